/**
 * The session's side of the secret lifecycle: the lifecycle itself (when to refresh, how), where its settings
 * come from, how a new secret reaches the hosted page (`secret`, then `secret-accepted` or `secret-rejected`
 * within refreshTimeout; a reconnect's `init` carries it too), the session id that goes with refreshes, and what
 * a failure does to the session (a stall behind a cover whose Try again refreshes, or the end).
 */
import { FaceSignError } from '../protocol/errors.js';
import { message, type FrameMessage } from '../protocol/messages.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import { clock } from '../base/clock.js';
import { deprecated } from '../base/warn-once.js';
import type { Notice } from '../base/outbox.js';
import { secretKey } from '../base/secret-key.js';
import { SecretLifecycle, type RefreshSettings, type RefreshTrigger, type SecretOwner } from './secret-lifecycle.js';
import type { SessionCore } from './core.js';
import type { Resumable } from './state.js';
import { obtainSecretVia } from './secret-request-on-demand.js';

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

export class SecretSide implements SecretOwner {
  readonly lifecycle: SecretLifecycle;
  /** the FaceSign session's id, from the hosted page's `ready` (or the run this one continues) */
  sessionId?: string;
  /** a tag of each secret this session had, to bind a redirect's return to it */
  readonly keys: string[];
  readonly #session: SessionCore;
  #handOver?: HandOver;

  constructor(session: SessionCore, first: ClientSecretInput, sessionId: string | undefined) {
    this.#session = session;
    this.sessionId = sessionId;
    this.keys = [secretKey(first.secret)];
    const signal = session.untilEnd;
    // a refresh waiting for the page's answer ends with the session, so refreshSecret() settles
    signal.addEventListener('abort', () => this.#handedOver());
    this.lifecycle = new SecretLifecycle(this, first, () => clock.now(), signal);
  }

  get current(): ClientSecretInput {
    return this.lifecycle.current;
  }

  refresh(trigger: RefreshTrigger): Promise<void> {
    return this.lifecycle.refresh(trigger);
  }

  /**
   * The host page set a new secret: taken when this session waits for one (the host was asked for it, or a
   * refresh stalled); false otherwise.
   */
  takes(secret: ClientSecretInput): boolean {
    const s = this.#session;
    if (s.ended || (!this.lifecycle.awaitingHost && s.phase.name !== 'stalled')) return false;
    this.lifecycle.supply(secret).catch(() => {});
    return true;
  }

  readyWith(sessionId: string | undefined): void {
    this.sessionId = sessionId ?? this.sessionId;
    // the code a refresh runs comes on demand: fetched now, while nothing waits on it, where a refresh is configured
    const code = this.#session.parts.secrets;
    if (code.now()) return;
    try {
      const set = this.settings();
      if (set.fetchClientSecret || set.refreshUrl) code.load().catch(() => {});
    } catch {
      // an invalid setting is reported when a refresh runs
    }
  }

  /** The secret messages from the hosted page. */
  pageSaid(m: FrameMessage): void {
    switch (m.type) {
      case 'secret-expired':
        // reported as events; the promise is for refreshSecret()'s callers
        return void this.refresh('expired').catch(() => {});
      case 'secret-accepted':
        return this.#handedOver();
      case 'secret-rejected':
        return this.#refused(new FaceSignError('secret_rejected', `the hosted page refused the new client secret: ${m.message}`, true));
    }
  }

  /** A handshake's `init` carried the current secret: a hand-over under way is done. */
  handedOver(): void {
    this.#handedOver();
  }

  obtain(set: RefreshSettings, request: Parameters<SecretOwner['obtain']>[1]): ReturnType<SecretOwner['obtain']> {
    return obtainSecretVia(this.#session.parts.secrets, set, request);
  }

  settings(): RefreshSettings {
    return this.#session.host.refreshSettings();
  }

  deliver(s: ClientSecretInput, trigger: RefreshTrigger): Promise<void> {
    this.log('new secret for the hosted page:', trigger);
    this.keys.push(secretKey(s.secret));
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
    let ms = 10_000;
    try {
      ms = this.settings().timeout;
    } catch {
      // the default
    }
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

  ask(trigger: RefreshTrigger, expireAt?: number): boolean {
    const events = this.#session.host.events;
    const detail = { trigger, ...(expireAt && { expireAt }) };
    // `ask` is false when a listener called preventDefault(): it promised a secret
    if (!events.ask('facesign-secret-request', detail)) return true;
    // the old name, for pages not moved yet: it counts only when a listener handled it
    if (events.ask('facesign-secret-expired', detail)) return false;
    if (__FACESIGN_DEV__) deprecated('the facesign-secret-expired event', 'facesign-secret-request');
    return true;
  }

  refreshFailed(e: FaceSignError, trigger: RefreshTrigger): void {
    // the endpoint says the session is gone (or not this user's): it ends, with no "Try again" that cannot work
    if (!e.recoverable) return this.#session.fail(e);
    // a failed early refresh leaves a working secret: the user goes on, and the hosted page's secret-expired
    // later tries again; otherwise the session waits behind a retry cover
    if (trigger !== 'expiring' || this.lifecycle.expired) this.#stall(e);
    else this.#session.fail(e, 'event');
  }

  log(...a: unknown[]): void {
    this.#session.host.log(...a);
  }

  #handedOver(): void {
    const h = this.#handOver;
    if (!h) return;
    clearTimeout(h.timer);
    this.#handOver = undefined;
    if (!this.#session.ended) this.#refreshed(h.trigger);
    h.resolve();
  }

  #refused(e: FaceSignError): void {
    const h = this.#handOver;
    if (!h) return;
    clearTimeout(h.timer);
    this.#handOver = undefined;
    this.#stall(e);
    h.reject(e);
  }

  /** The session waits behind a cover until a new secret reaches the page. */
  #stall(error: FaceSignError): void {
    const s = this.#session;
    const resume = resumable(s);
    if (!resume) return s.fail(error, 'event');
    s.go({ name: 'stalled', error, resume }, ['facesign-error', error.toJSON()]);
  }

  /** The hosted page has the new secret: a stall is over; the host page is told (its expiry, never the secret). */
  #refreshed(trigger: RefreshTrigger): void {
    const s = this.#session;
    const p = s.phase;
    const expireAt = this.current.expireAt;
    const notice: Notice = ['facesign-secret-refresh', { trigger, ...(expireAt && { expireAt }) }];
    if (p.name === 'stalled') s.go(p.resume, notice);
    else s.host.events.post(notice);
  }
}

/** The phase a stall interrupts (the one it interrupted already, when stalled again). */
function resumable(s: SessionCore): Resumable | undefined {
  const p = s.phase;
  switch (p.name) {
    case 'stalled':
      return p.resume;
    case 'away':
      return p.from;
    case 'ended':
    case 'starting':
      return undefined;
    default:
      return p;
  }
}
