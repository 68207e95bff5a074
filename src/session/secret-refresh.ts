/**
 * How a session gets a new client secret and hands it to the hosted page, loaded on demand (secret-side.ts decides
 * when): one refresh at a time, through `fetchClientSecret`, `refresh-url` (secret-request.ts: timeouts, retries
 * with backoff and jitter, `Retry-After`) or the host page (`facesign-secret-request`); then the new secret goes to
 * the hosted page over the channel (`secret`, answered by `secret-accepted` or `secret-rejected` within
 * refreshTimeout; a reconnect's `init` carries it too). The iframe is never reloaded.
 */
import { FaceSignError } from '../protocol/errors.js';
import { message, type FrameMessage, type HostMessage } from '../protocol/messages.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import { clock } from '../base/clock.js';
import { deprecated } from '../base/warn-once.js';
import type { Notice, Outbox } from '../base/outbox.js';
import type { RefreshSettings, RefreshTrigger } from './refresh-settings.js';
import type { Phase } from './state.js';
import { obtainSecret, type Outcome } from './secret-request.js';

export { obtainSecret } from './secret-request.js';

/** What the refresh needs of the session's secret side (secret-side.ts). */
export interface SecretHolder {
  readonly current: ClientSecretInput;
  readonly sessionId?: string;
  /** throws a FaceSignError when a setting became invalid */
  settings(): RefreshSettings;
  /** refreshTimeout as now set, or its default while the setting is invalid */
  timeout(): number;
  /** a refresh got this secret: it is the current one from now */
  accepted(s: ClientSecretInput): void;
  /** the refresh under way failed (the holder knows whether the page waits for it) */
  refreshFailed(e: FaceSignError): void;
  /** the session waits behind a cover until a new secret reaches the page */
  stall(e: FaceSignError): void;
  /** the hosted page has the new secret: a stall is over, the host page is told */
  refreshed(trigger: RefreshTrigger): void;
  log(...a: unknown[]): void;
}

/** What the refresh sees of its session (core.ts's SessionCore is one; named here, so the part's type needs no more). */
export interface RefreshedSession {
  readonly untilEnd: AbortSignal;
  readonly ended: boolean;
  readonly phase: Phase;
  readonly link?: { send(m: HostMessage): boolean };
  readonly host: { readonly events: Pick<Outbox, 'post' | 'ask'> };
  go(phase: Phase, ...notices: Notice[]): void;
}

/**
 * A new secret on its way to the hosted page, until it says whether it took it (`timer`: its answer's deadline),
 * or, with no page connected, until the next page's `init` carries it (no timer: a page may take minutes to come).
 */
interface HandOver {
  trigger: RefreshTrigger;
  timer?: ReturnType<typeof setTimeout>;
  resolve: () => void;
  reject: (e: FaceSignError) => void;
}

export class SecretRefresh {
  readonly #side: SecretHolder;
  readonly #session: RefreshedSession;
  #inflight?: Promise<void>;
  /** set while the host page was asked (facesign-secret-request) and has not set a new secret yet */
  #awaiting?: { trigger: RefreshTrigger; timer: ReturnType<typeof setTimeout>; resolve: (o: Outcome | void) => void };
  #handOver?: HandOver;

  constructor(side: SecretHolder, session: RefreshedSession) {
    this.#side = side;
    this.#session = session;
    session.untilEnd.addEventListener('abort', () => {
      clearTimeout(this.#awaiting?.timer);
      // a refresh waiting for the host page, or for the page's answer, ends with the session, so refreshSecret() settles
      this.#awaiting?.resolve();
      this.#handedOver();
    });
  }

  /** A refresh is under way. */
  get busy(): boolean {
    return !!this.#inflight;
  }

  /** The host page promised a new secret (it handled facesign-secret-request) and has not set it yet. */
  get awaitingHost(): boolean {
    return !!this.#awaiting;
  }

  /**
   * One refresh at a time: concurrent triggers share it. Resolves once the hosted page took the new secret;
   * rejects with the FaceSignError that was also reported (a failed request, or the page refusing the secret
   * or not confirming it).
   */
  refresh(trigger: RefreshTrigger): Promise<void> {
    if (this.#session.untilEnd.aborted) return Promise.resolve();
    return (this.#inflight ??= this.#run(trigger).then(
      (r) => this.#settle(r, trigger),
      (e: unknown) => this.#settle({ error: e as FaceSignError }, trigger),
    ));
  }

  /** The secret the host page set after `facesign-secret-request`: the refresh that asked takes it, and settles. */
  supply(s: ClientSecretInput): Promise<void> {
    const waiting = this.#awaiting;
    if (!waiting) return Promise.resolve();
    clearTimeout(waiting.timer);
    this.#awaiting = undefined;
    waiting.resolve({ ok: s });
    return this.#inflight ?? Promise.resolve();
  }

  /** The hosted page's answer about the secret handed over. */
  pageSaid(m: FrameMessage): void {
    if (m.type === 'secret-accepted') return this.#handedOver();
    if (m.type === 'secret-rejected')
      this.#refused(new FaceSignError('secret_rejected', `the hosted page refused the new client secret: ${m.message}`, true));
  }

  /** A handshake's `init` carried the current secret: a hand-over under way is done. */
  handedOver(): void {
    this.#handedOver();
  }

  /** How a refresh ended: the new secret handed over, or the failure reported (after the slot is free, so a
   * listener of it that calls refreshSecret() gets a refresh of its own, not the one that is just ending). */
  async #settle(r: Outcome | void, trigger: RefreshTrigger): Promise<void> {
    if (this.#session.untilEnd.aborted || !r) return void (this.#inflight = undefined);
    if ('ok' in r) {
      try {
        return await this.#accept(r.ok, trigger);
      } finally {
        this.#inflight = undefined;
      }
    }
    this.#inflight = undefined;
    this.#side.refreshFailed(r.error);
    throw r.error;
  }

  #accept(s: ClientSecretInput, trigger: RefreshTrigger): Promise<void> {
    this.#side.accepted(s);
    return this.handOver(s, trigger);
  }

  /** Gets a new secret: its outcome, or nothing when the session ended meanwhile. */
  async #run(trigger: RefreshTrigger): Promise<Outcome | void> {
    const side = this.#side;
    let set: RefreshSettings;
    try {
      set = side.settings();
    } catch (e) {
      // a setting changed to something invalid mid-session: fixable, so the session waits
      return { error: new FaceSignError((e as FaceSignError).code, (e as Error).message, true) };
    }
    const { fetchClientSecret: fn, refreshUrl: url } = set;
    if (!fn && !url) {
      if (!this.#ask(trigger, side.current.expireAt))
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
    side.log('refreshing secret:', trigger);
    return obtainSecret(set, {
      // read as each attempt goes out: a secret the host page set since is the one refresh-url must be told it replaces
      current: () => side.current.secret,
      sessionId: side.sessionId,
      signal: this.#session.untilEnd,
      now: () => clock.now(),
      log: (...a) => side.log(...a),
    });
  }

  /** No refresh configured: asks the host page; true when it promised a new secret (preventDefault). */
  #ask(trigger: RefreshTrigger, expireAt?: number): boolean {
    const events = this.#session.host.events;
    const detail = { trigger, ...(expireAt && { expireAt }) };
    // `ask` is false when a listener called preventDefault(): it promised a secret
    if (!events.ask('facesign-secret-request', detail)) return true;
    // the old name, for pages not moved yet: it counts only when a listener handled it
    if (events.ask('facesign-secret-expired', detail)) return false;
    if (__FACESIGN_DEV__) deprecated('the facesign-secret-expired event', 'facesign-secret-request');
    return true;
  }

  /** Hands `s` (the current secret) to the hosted page; settles when the page took it (rejects when it refused it). */
  handOver(s: ClientSecretInput, trigger: RefreshTrigger): Promise<void> {
    this.#side.log('new secret for the hosted page:', trigger);
    const session = this.#session;
    // one that waits for a page waits for this newer secret instead; one a page was asked to confirm is moot
    const before = this.#handOver;
    const chained = before && !before.timer ? before : undefined;
    if (chained) this.#handOver = undefined;
    else this.#handedOver();
    const handOver = (resolve: () => void, reject: (e: FaceSignError) => void, timer?: ReturnType<typeof setTimeout>) =>
      (this.#handOver = {
        trigger,
        timer,
        resolve: () => (chained?.resolve(), resolve()),
        reject: (e) => (chained?.reject(e), reject(e)),
      });
    if (!session.link?.send(message('secret', { secret: s.secret }))) {
      // No page connected (lost, not loaded yet, or the one Try again will load): the next page's init carries the
      // new secret, and only then has a page got it (facesign-secret-refresh, the promise). A stall is over now:
      // the session has a working secret for whatever page comes.
      const p = session.phase;
      if (p.name === 'stalled') session.go(p.resume);
      return new Promise((resolve, reject) => void handOver(resolve, reject));
    }
    const ms = this.#side.timeout();
    return new Promise((resolve, reject) => {
      // a page that never answers must not leave the session waiting forever
      const timer = setTimeout(
        () =>
          this.#refused(
            new FaceSignError(
              'secret_refresh_failed',
              `the hosted page did not confirm the new client secret within ${ms}ms; call refreshSecret() to try again`,
              true,
            ),
          ),
        ms,
      );
      handOver(resolve, reject, timer);
    });
  }

  #handedOver(): void {
    const h = this.#handOver;
    if (!h) return;
    clearTimeout(h.timer);
    this.#handOver = undefined;
    if (!this.#session.ended) this.#side.refreshed(h.trigger);
    h.resolve();
  }

  #refused(e: FaceSignError): void {
    const h = this.#handOver;
    if (!h) return;
    clearTimeout(h.timer);
    this.#handOver = undefined;
    this.#side.stall(e);
    h.reject(e);
  }
}
