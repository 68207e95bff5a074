/**
 * The session's side of the secret lifecycle (SecretOwner): where refresh settings come from, how a new secret
 * reaches the hosted page (`secret`, then `secret-accepted` or `secret-rejected`, with a deadline), and how a
 * failed refresh shows. The base of Session, apart from it because it does not depend on any surface.
 */
import { FaceSignError } from '../protocol/errors.js';
import { message, type FrameMessage, type HostMessage } from '../protocol/messages.js';
import { emit } from '../base/events.js';
import { deprecated } from '../base/warn-once.js';
import type { ClientSecret } from '../base/client-secret.js';
import type { RefreshSettings, RefreshTrigger, SecretLifecycle, SecretOwner } from './secret-lifecycle.js';
import type { FaceSignStatus, SessionHost } from './session.js';

export abstract class SecretExchange implements SecretOwner {
  abstract status: FaceSignStatus;
  /** set once the first secret is known */
  secrets?: SecretLifecycle;
  /** a recoverable secret failure: the hosted page keeps its state behind a cover whose button retries */
  stall?: FaceSignError;
  protected readonly host: SessionHost;
  /** aborts at the terminal event: every timer of the session's life */
  protected readonly life = new AbortController();
  /** false while there is no port (not connected yet, or no channel yet) */
  protected send: (m: HostMessage) => boolean = () => false;
  #sessionId?: string;
  /** what started the refresh whose secret the hosted page has not acknowledged yet */
  #refreshing?: { trigger: RefreshTrigger; timer: ReturnType<typeof setTimeout> };

  constructor(host: SessionHost) {
    this.host = host;
    // the wait for the page to confirm a new secret ends with the session too
    this.life.signal.addEventListener('abort', () => this.#stopRefreshing());
  }

  abstract fail(error: FaceSignError, cover?: boolean): void;
  /** a new secret was taken (before it goes to the hosted page) */
  protected abstract accepted(s: ClientSecret): void;

  protected set(status: FaceSignStatus): void {
    this.status = status;
    this.host.requestUpdate();
  }

  /** The hosted page is ready, maybe with its session id (sent with refreshes). */
  protected readyWith(sessionId: string | undefined): void {
    this.#sessionId = sessionId ?? this.#sessionId;
  }

  /** The secret messages from the hosted page. */
  protected secretMessage(m: FrameMessage): void {
    switch (m.type) {
      case 'secret-expired':
        // reported as events; the promise is for refreshSecret()'s callers
        return void this.secrets?.refresh('expired').catch(() => {});
      case 'secret-accepted': {
        const r = this.#refreshing;
        this.#stopRefreshing();
        if (r) this.#refreshed(r.trigger);
        return;
      }
      case 'secret-rejected':
        this.#stopRefreshing();
        return this.#stallWith(new FaceSignError('secret_rejected', `the hosted page refused the new client secret: ${m.message}`, true));
    }
  }

  settings(): RefreshSettings {
    return this.host.refreshSettings();
  }

  sessionId(): string | undefined {
    return this.#sessionId;
  }

  deliver(s: ClientSecret, trigger: RefreshTrigger): void {
    this.log('new secret for the hosted page:', trigger);
    this.accepted(s);
    this.stall = undefined;
    this.host.requestUpdate();
    // not connected yet: the coming init carries the new secret, so there is nothing to wait for
    if (!this.send(message('secret', { secret: s.secret }))) return this.#refreshed(trigger);
    this.#stopRefreshing();
    let ms = 10_000;
    try {
      ms = this.settings().timeout;
    } catch {
      // the default
    }
    // a page that never answers must not leave the session waiting forever
    const timer = setTimeout(() => {
      this.#refreshing = undefined;
      this.#stallWith(
        new FaceSignError(
          'secret_refresh_failed',
          `the hosted page did not confirm the new client secret within ${ms}ms; call refreshSecret() to try again`,
          true,
        ),
      );
    }, ms);
    this.#refreshing = { trigger, timer };
  }

  ask(trigger: RefreshTrigger, expireAt?: number): boolean {
    const detail = { trigger, ...(expireAt && { expireAt }) };
    if (!emit(this.host, 'facesign-secret-request', detail, true)) return true;
    // the old name, for pages not moved yet: it counts only when a listener handled it
    if (emit(this.host, 'facesign-secret-expired', detail, true)) return false;
    if (__FACESIGN_DEV__) deprecated('the facesign-secret-expired event', 'facesign-secret-request');
    return true;
  }

  refreshFailed(e: FaceSignError, trigger: RefreshTrigger): void {
    // the endpoint says the session is gone (or not this user's): it ends, with no "Try again" that cannot work
    if (!e.recoverable) return this.fail(e);
    // a failed early refresh leaves a working secret: the user goes on, and the hosted page's secret-expired
    // later tries again; otherwise the session waits behind a retry cover
    if (trigger !== 'expiring' || this.secrets?.expired) this.#stallWith(e);
    else this.fail(e, false);
  }

  log(...a: unknown[]): void {
    this.host.log(...a);
  }

  #stallWith(e: FaceSignError): void {
    this.stall = e;
    this.host.requestUpdate();
    this.fail(e, false);
  }

  #stopRefreshing(): void {
    clearTimeout(this.#refreshing?.timer);
    this.#refreshing = undefined;
  }

  /** The hosted page has the new secret: tell the host page (its expiry, never the secret). */
  #refreshed(trigger: RefreshTrigger): void {
    const expireAt = this.secrets?.current.expireAt;
    emit(this.host, 'facesign-secret-refresh', { trigger, ...(expireAt && { expireAt }) });
  }
}
