/**
 * The client-secret lifecycle of one session: knows the current secret and its expiry, refreshes it a margin
 * before it expires (re-checked when the tab wakes up), when the hosted page reports it expired, or on demand;
 * one request at a time, with a timeout, retries with backoff and jitter, and `Retry-After`. The new secret goes
 * to the hosted page over the channel: the iframe is never reloaded.
 */
import { FaceSignError } from '../protocol/errors.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import type { RefreshSettings, RefreshTrigger } from './refresh-settings.js';

export type { RefreshSettings, RefreshTrigger } from './refresh-settings.js';
import { onPageEvent } from '../base/page-events.js';
import type { Outcome, obtainSecret } from './secret-request.js';

/** The session a lifecycle belongs to: where settings come from and where results go. */
export interface SecretOwner {
  /** throws a FaceSignError when a setting became invalid */
  settings(): RefreshSettings;
  /** the FaceSign session's id, when known: sent with refreshes */
  readonly sessionId?: string;
  /** hands the new secret to the hosted page; settles when the page took it (rejects when it refused it) */
  deliver(s: ClientSecretInput, trigger: RefreshTrigger): Promise<void>;
  /** no refresh configured: ask the host page; returns true when it promised a new secret (preventDefault) */
  ask(trigger: RefreshTrigger, expireAt?: number): boolean;
  /** `trigger` tells whether the hosted page is already waiting (`expired`, `manual`) or may still work (`expiring`) */
  refreshFailed(e: FaceSignError, trigger: RefreshTrigger): void;
  /** gets a new secret with `set`'s retries (secret-request.ts, which may come on demand) */
  obtain: typeof obtainSecret;
  log(...a: unknown[]): void;
}

const MAX_TIMER = 2 ** 31 - 1;

export class SecretLifecycle {
  current: ClientSecretInput;
  #o: SecretOwner;
  #now: () => number;
  /** aborts with the session's life: timers, listeners, requests */
  #signal: AbortSignal;
  #inflight?: Promise<void>;
  #timer?: ReturnType<typeof setTimeout>;
  /** set while the host page was asked (facesign-secret-request) and has not set a new secret yet */
  #awaiting?: { trigger: RefreshTrigger; timer: ReturnType<typeof setTimeout>; resolve: (o: Outcome | void) => void };
  /** when the current secret was obtained by a refresh (its lifetime is measured from then); the first one's is unknown */
  #receivedAt = -Infinity;

  constructor(owner: SecretOwner, initial: ClientSecretInput, now: () => number, signal: AbortSignal) {
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
    // a secret that lives no longer than the margin (a short TTL in a sandbox) would be refreshed again as soon as
    // it arrived, each refresh killing the last secret: it is refreshed when it expires instead, once per lifetime
    if ((at - margin) * 1000 <= this.#receivedAt) margin = 0;
    const wait = at * 1000 - margin * 1000 - this.#now();
    // failures are reported as events; the promise is for refreshSecret()'s callers
    if (wait <= 0) this.refresh(margin ? 'expiring' : 'expired').catch(() => {});
    else this.#timer = setTimeout(() => this.#schedule(), Math.min(wait, MAX_TIMER));
  }

  /**
   * One refresh at a time: concurrent triggers share it. Resolves once the hosted page took the new secret;
   * rejects with the FaceSignError that was also reported (a failed request, or the page refusing the secret
   * or not confirming it), so callers that only trigger must catch.
   */
  refresh(trigger: RefreshTrigger): Promise<void> {
    if (this.#signal.aborted) return Promise.resolve();
    return (this.#inflight ??= this.#run(trigger).then(
      (r) => this.#settle(r, trigger),
      (e: unknown) => this.#settle({ error: e as FaceSignError }, trigger),
    ));
  }

  /**
   * A secret the host page set itself: after `facesign-secret-request` (that refresh takes it), or for a session
   * stalled on a secret. Settles as a refresh does.
   */
  supply(s: ClientSecretInput): Promise<void> {
    const waiting = this.#awaiting;
    if (!waiting) return this.#accept(s, 'expired');
    clearTimeout(waiting.timer);
    this.#awaiting = undefined;
    waiting.resolve({ ok: s });
    return this.#inflight ?? Promise.resolve();
  }

  /** How a refresh ended: the new secret handed over, or the failure reported (after the slot is free, so a
   * listener of it that calls refreshSecret() gets a refresh of its own, not the one that is just ending). */
  async #settle(r: Outcome | void, trigger: RefreshTrigger): Promise<void> {
    if (this.#signal.aborted || !r) return void (this.#inflight = undefined);
    if ('ok' in r) {
      try {
        return await this.#accept(r.ok, trigger);
      } finally {
        this.#inflight = undefined;
      }
    }
    this.#inflight = undefined;
    this.#o.refreshFailed(r.error, trigger);
    throw r.error;
  }

  #accept(s: ClientSecretInput, trigger: RefreshTrigger): Promise<void> {
    this.current = s;
    this.#receivedAt = this.#now();
    this.#schedule();
    return this.#o.deliver(s, trigger);
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
    return o.obtain(set, {
      current: this.current.secret,
      sessionId: o.sessionId,
      signal: this.#signal,
      now: () => this.#now(),
      log: (...a) => o.log(...a),
    });
  }
}
