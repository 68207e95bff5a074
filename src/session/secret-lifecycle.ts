/**
 * The client-secret lifecycle of one session: knows the current secret and its expiry, refreshes it a margin
 * before it expires (re-checked when the tab wakes up), when the hosted page reports it expired, or on demand;
 * one request at a time, with a timeout, retries with backoff and jitter, and `Retry-After`. The new secret goes
 * to the hosted page over the channel: the iframe is never reloaded.
 */
import { FaceSignError } from '../protocol/errors.js';
import type { ClientSecret, FetchClientSecret } from '../base/client-secret.js';
import { onPageEvent } from '../base/page-events.js';
import { obtainSecret, type Outcome } from './secret-request.js';

/** Why a refresh started. */
export type RefreshTrigger = 'expiring' | 'expired' | 'manual';

/** How refreshes are made; read at each refresh, so a page can change them mid-session. */
export interface RefreshSettings {
  fetchClientSecret?: FetchClientSecret;
  /** checked and absolute */
  refreshUrl?: string;
  /** seconds before expireAt to refresh */
  margin: number;
  /** ms one attempt may take; also how long the page has to supply a secret after facesign-secret-request */
  timeout: number;
  retries: number;
  retryDelay: number;
  /** the refresh-url request's credentials mode */
  credentials: RequestCredentials;
}

/** The session a lifecycle belongs to: where settings come from and where results go. */
export interface SecretOwner {
  /** throws a FaceSignError when a setting became invalid */
  settings(): RefreshSettings;
  sessionId(): string | undefined;
  /** hand the new secret to the hosted page */
  deliver(s: ClientSecret, trigger: RefreshTrigger): void;
  /** no refresh configured: ask the host page; returns true when it promised a new secret (preventDefault) */
  ask(trigger: RefreshTrigger, expireAt?: number): boolean;
  /** `trigger` tells whether the hosted page is already waiting (`expired`, `manual`) or may still work (`expiring`) */
  refreshFailed(e: FaceSignError, trigger: RefreshTrigger): void;
  log(...a: unknown[]): void;
}

const MAX_TIMER = 2 ** 31 - 1;
const MIN_GAP = 10_000;

export class SecretLifecycle {
  current: ClientSecret;
  #o: SecretOwner;
  #now: () => number;
  /** aborts with the session's life: timers, listeners, requests */
  #signal: AbortSignal;
  #inflight?: Promise<void>;
  #timer?: ReturnType<typeof setTimeout>;
  /** set while the host page was asked (facesign-secret-request) and has not set a new secret yet */
  #awaiting?: { trigger: RefreshTrigger; timer: ReturnType<typeof setTimeout>; resolve: (o: Outcome | void) => void };
  #refreshedAt = -Infinity;

  constructor(owner: SecretOwner, initial: ClientSecret, now: () => number, signal: AbortSignal) {
    this.#o = owner;
    this.#now = now;
    this.#signal = signal;
    this.current = initial;
    const check = () => document.visibilityState === 'visible' && this.#schedule();
    // timers sleep in background tabs and in the back/forward cache: look again when the page is back
    onPageEvent('pageshow', check, signal);
    onPageEvent('visibilitychange', check, signal);
    signal.addEventListener('abort', () => {
      clearTimeout(this.#timer);
      clearTimeout(this.#awaiting?.timer);
      // a refresh waiting for the host page ends with the session, so refreshSecret() settles
      this.#awaiting?.resolve();
    });
    // not from the constructor: a refresh due at once reports to an owner that is still being built
    queueMicrotask(() => this.#schedule());
  }

  /** The known secret is past its expireAt. */
  get expired(): boolean {
    const at = this.current.expireAt;
    return at !== undefined && at * 1000 <= this.#now();
  }

  /** The host page promised a new secret (it handled facesign-secret-request) and has not set it yet. */
  get awaitingHost(): boolean {
    return !!this.#awaiting;
  }

  /** Re-arms the proactive timer; refreshes at once when the margin is already reached. */
  #schedule(): void {
    clearTimeout(this.#timer);
    const at = this.current.expireAt;
    if (at === undefined || this.#signal.aborted) return;
    let margin = 60;
    try {
      margin = this.#o.settings().margin;
    } catch {
      // an invalid setting is reported when the refresh runs
    }
    let wait = at * 1000 - margin * 1000 - this.#now();
    // a new secret that arrives already inside the margin (a TTL shorter than it) must not refresh in a loop
    if (wait <= 0 && this.#now() - this.#refreshedAt < MIN_GAP) wait = MIN_GAP;
    // failures are reported as events; the promise is for refreshSecret()'s callers
    if (wait <= 0) this.refresh('expiring').catch(() => {});
    else this.#timer = setTimeout(() => this.#schedule(), Math.min(wait, MAX_TIMER));
  }

  /**
   * One refresh at a time: concurrent triggers share it. Resolves once the new secret is handed over; rejects
   * with the FaceSignError that was also reported (`refreshFailed`), so callers that only trigger must catch.
   */
  refresh(trigger: RefreshTrigger): Promise<void> {
    if (this.#signal.aborted) return Promise.resolve();
    // the outcome is reported after the slot is free: a listener of it that calls refreshSecret() gets a refresh
    // of its own, not the one that is just ending
    return (this.#inflight ??= this.#run(trigger).then((r) => {
      this.#inflight = undefined;
      if (this.#signal.aborted || !r) return;
      if ('ok' in r) return this.#accept(r.ok, trigger);
      this.#o.refreshFailed(r.error, trigger);
      throw r.error;
    }));
  }

  /** The host page set a new secret after `facesign-secret-request`. */
  supply(s: ClientSecret): void {
    const waiting = this.#awaiting;
    if (!waiting) return this.#accept(s, 'expired');
    clearTimeout(waiting.timer);
    this.#awaiting = undefined;
    waiting.resolve({ ok: s });
  }

  #accept(s: ClientSecret, trigger: RefreshTrigger): void {
    this.current = s;
    this.#refreshedAt = this.#now();
    this.#o.deliver(s, trigger);
    this.#schedule();
  }

  /** Gets a new secret: its outcome, or nothing when the session ended meanwhile. */
  async #run(trigger: RefreshTrigger): Promise<Outcome | void> {
    const o = this.#o;
    clearTimeout(this.#timer);
    let set: RefreshSettings;
    try {
      set = o.settings();
    } catch (e) {
      // a setting changed to something invalid mid-session: fixable, so the session waits
      return { error: new FaceSignError((e as FaceSignError).code, (e as Error).message, true) };
    }
    const { fetchClientSecret: fn, refreshUrl: url } = set;
    if (!fn && !url) {
      if (!o.ask(trigger, this.current.expireAt))
        return {
          error: new FaceSignError(
            'secret_expired',
            `the client secret expired and no refresh is configured${__FACESIGN_DEV__ ? ': set refreshUrl (refresh-url) or fetchClientSecret, or handle facesign-secret-request' : ''}`,
            true,
          ),
        };
      // a listener promised a secret: it settles this refresh; if it never comes, the session must not wait forever
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          this.#awaiting = undefined;
          resolve({
            error: new FaceSignError(
              'secret_refresh_failed',
              `no new clientSecret was set within ${set.timeout}ms of facesign-secret-request being handled; call refreshSecret() to ask again`,
              true,
            ),
          });
        }, set.timeout);
        this.#awaiting = { trigger, timer, resolve };
      });
    }
    o.log('refreshing secret:', trigger);
    return obtainSecret(set, {
      current: this.current.secret,
      sessionId: o.sessionId(),
      signal: this.#signal,
      now: () => this.#now(),
      log: (...a) => o.log(...a),
    });
  }
}
