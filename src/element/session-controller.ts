/**
 * The session controller: keeps the element's one running session in step with its inputs. After each update it
 * starts, replaces or closes the session, in a microtask of its own, so every event it dispatches is outside the
 * update cycle and a listener that sets a property gets a normal update (and a sync) of its own. Everything it sets
 * up per connection goes in `hostDisconnected`.
 */
import type { ReactiveController } from 'lit';
import type { FaceSignError } from '../protocol/errors.js';
import { emit, type FaceSignCancelReason } from '../base/events.js';
import type { FaceSignVerifyElement } from './facesign-verify.js';
import { onPageEvent } from '../base/page-events.js';
import { warnOnce } from '../base/warn-once.js';
import { Session, type FaceSignStatus, type SessionInputs } from '../session/session.js';
import { FrameSurface } from '../surfaces/frame.js';
import { secretKey, takeRedirectResult } from '../surfaces/redirect-return.js';
import { end } from '../base/lifetime.js';

/**
 * Runs `f` once the document is parsed and its deferred and module scripts have run: DOMContentLoaded, or `load`
 * when that has passed (readyState alone cannot tell: it is `interactive` both while those scripts run and after).
 */
function afterParse(f: () => void): void {
  if (document.readyState === 'complete') return void setTimeout(f);
  const once = new AbortController();
  const go = () => (end(once), setTimeout(f));
  for (const [t, on] of [
    ['DOMContentLoaded', document],
    ['load', window],
  ] as const)
    on.addEventListener(t, go, { signal: once.signal });
}

/** What the controller needs from its element, besides its inputs. */
type SessionControllerHost = FaceSignVerifyElement;

/** The secret the host gave, for telling a new one from a re-render: the object form by its `secret`. */
function givenSecret(v: unknown): unknown {
  try {
    return v && typeof v === 'object' ? (v as { secret?: unknown }).secret : v;
  } catch {
    // a throwing getter: compare the object itself; the session start reports it
    return v;
  }
}

export class SessionController implements ReactiveController {
  /** the current (or last ended) session */
  session?: Session;
  /** a session that could not start: its inputs were invalid */
  startError?: FaceSignError;
  /** the outcome a redirect came back with (this page is its return page) */
  returned?: 'complete' | 'canceled';
  readonly #host: SessionControllerHost;
  /** closed sessions whose iframe is kept hidden until their page handled `close` */
  readonly #lingering = new Set<Session>();
  /** the inputs (but the secret) the current session started with; undefined: none */
  #inputs?: unknown[];
  #given?: unknown;
  #conn?: AbortController;
  #scheduled?: Promise<void>;
  /**
   * The secret of a modal session that completed and closed. Opening again with it could only reach a finished
   * session on the server, so a stale `open` (a framework re-rendering a prop it never set back) does not
   * reload it; a new secret, fetchClientSecret or retry() starts a new session.
   */
  #spent?: unknown;

  constructor(host: SessionControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get status(): FaceSignStatus {
    return this.startError ? 'error' : (this.returned ?? this.session?.status ?? 'idle');
  }

  /** The current session's iframe while it is shown; lingering iframes are rendered hidden. */
  get frame(): HTMLIFrameElement | undefined {
    const f = this.session?.surface;
    return f instanceof FrameSurface && f.shown && !this.session!.disposed ? f.iframe : undefined;
  }

  /** Some closed session's iframe is still kept for its page to handle `close`. */
  get lingering(): boolean {
    for (const s of this.#lingering) if (s.disposed) this.#lingering.delete(s);
    return this.#lingering.size > 0;
  }

  /** A sync is scheduled. */
  get pending(): boolean {
    return !!this.#scheduled;
  }

  /** Resolves once a scheduled sync has run. */
  get settled(): Promise<void> {
    return this.#scheduled ?? Promise.resolve();
  }

  hostConnected(): void {
    this.#conn = new AbortController();
    // re-appended after a removal (which ended its session): Lit requests no update of its own on reconnect,
    // so nothing would start the new session (found by the generated lifecycles)
    this.#host.requestUpdate();
    // leaving the page (or entering the back/forward cache) ends a running session exactly once
    // (but a redirect leaving for the hosted page: the session goes on there)
    onPageEvent('pagehide', () => this.session?.active && !this.session.away && this.close('page_hidden'), this.#conn.signal);
  }

  hostUpdated(): void {
    this.#place();
    this.#scheduled ??= Promise.resolve().then(() => {
      this.#scheduled = undefined;
      this.#sync();
    });
  }

  hostDisconnected(): void {
    if (this.#conn) end(this.#conn);
    const s = this.session;
    // the iframe left the document with the element: its page learns from its own unload (docs/protocol.md)
    if (s?.active) s.close('removed');
    s?.dispose();
    for (const l of this.#lingering) l.dispose();
    this.#lingering.clear();
    this.#inputs = undefined;
  }

  /** Starts, restarts or closes the session so that it follows the inputs. */
  #sync(): void {
    const host = this.#host;
    if (!host.isConnected) return;
    if (host.mode === 'modal' && !host.open) {
      if (this.#inputs) this.close('closed');
      return;
    }
    const inputs = [host.verifyUrl, host.mode, host.lang];
    const given = givenSecret(host.clientSecret);
    // markup first, the secret later (the declarative case): idle and waiting, not failed
    const raw = host.clientSecret as unknown;
    if ((raw === undefined || raw === null || raw === '') && host.fetchClientSecret == null) {
      if (this.#inputs) this.#end('replaced');
      if (this.session || this.startError) host.requestUpdate();
      this.#inputs = this.#given = this.session = this.startError = undefined;
      return;
    }
    if (host.mode === 'modal' && !this.#inputs && given !== undefined && Object.is(given, this.#spent)) {
      if (__FACESIGN_DEV__)
        warnOnce(
          'spent',
          'open was set again with the secret of a completed verification, so nothing reloads: to verify again, set a new clientSecret (a stale open={true}? keep it in sync with facesign-close)',
        );
      host.open = false;
      return;
    }
    const same = !!this.#inputs && inputs.every((v, i) => Object.is(v, this.#inputs![i]));
    if (same && Object.is(given, this.#given)) return;
    const s = this.session;
    if (same && s?.active) {
      this.#given = given;
      // the secret the session already has (set back by the host after a refresh): nothing to do
      if (given === s.secrets?.current.secret) return;
      // asked for by facesign-secret-request: the same session continues with it
      if (s.secrets?.awaitingHost) {
        try {
          return s.secrets.supply(host.readSecret());
        } catch (e) {
          return s.fail(e as FaceSignError);
        }
      }
    }
    this.#end('replaced');
    this.#inputs = inputs;
    this.#given = given;
    this.#start();
  }

  #start(): void {
    const host = this.#host;
    this.startError = this.session = this.returned = undefined;
    host.resizeFrame();
    // the page a redirect of this session came back to: the outcome is in its URL, and this secret is spent
    const given = this.#given;
    const back = typeof given === 'string' ? takeRedirectResult([secretKey(given)], (...a) => host.log(...a)) : undefined;
    if (back) {
      this.returned = back.status;
      this.#spent = given;
      host.requestUpdate();
      // an element in the page's HTML upgrades before the page's scripts add their listeners
      afterParse(() =>
        back.status === 'complete'
          ? emit(host, 'facesign-complete', { sessionId: back.sessionId })
          : emit(host, 'facesign-cancel', { reason: back.reason }),
      );
      return;
    }
    let inputs: SessionInputs;
    try {
      inputs = host.readInputs();
    } catch (e) {
      // a session that ends at once, with its one terminal error: no iframe, no request
      this.startError = e as FaceSignError;
      host.log('error', this.startError.code);
      host.requestUpdate();
      emit(host, 'facesign-error', this.startError.toJSON());
      return;
    }
    // held before it starts: a listener of its first event (facesign-fallback, facesign-error) reaches it
    this.session = new Session(host, inputs);
    this.session.start();
    this.#place();
    host.requestUpdate();
  }

  /**
   * Puts the current iframe into the rendered box, in the same task as its creation. Lit never renders it: moving
   * an iframe in the DOM reloads its document, so it stays where it was put until its session drops it.
   */
  #place(): void {
    const f = this.session?.surface;
    // in the same task: the page's Permissions-Policy for it is known before its document loads
    if (f instanceof FrameSurface) f.place(this.#host.renderRoot.querySelector('.box'));
  }

  /** Ends the running session (the hosted page is told `close`) and keeps its iframe until the page handled it. */
  #end(reason: FaceSignCancelReason): void {
    const s = this.session;
    if (!s) return;
    s.close(reason);
    s.dispose(true);
    if (s.lingering) this.#lingering.add(s);
  }

  /** Closes the verification: a running session ends with `facesign-cancel`, then `facesign-close`. */
  close(reason: FaceSignCancelReason): void {
    const host = this.#host;
    const s = this.session;
    // asked from a listener of the terminal event: that event comes first, for every listener
    if (s?.terminating) return queueMicrotask(() => this.close(reason));
    // a running session on any surface (or none yet: a first secret pending, a cover), or its frame still shown
    if (!s?.active && !this.frame && !host.open) return;
    this.#end(reason);
    const status = this.status;
    const final = status === 'complete' || status === 'error' ? status : reason;
    if (host.mode === 'modal') {
      // a completed session is finished on the server too; a closed one may be opened again
      if (this.session?.status === 'complete') this.#spent = this.#given;
      this.#inputs = undefined;
      host.open = false;
    }
    host.requestUpdate();
    emit(host, 'facesign-close', { reason: final });
  }

  /** Loads the hosted page again with the same inputs; a running session ends first (`replaced`). */
  retry(): void {
    this.#spent = undefined;
    this.#end('replaced');
    this.#inputs = undefined;
    this.#host.requestUpdate();
  }

  refreshSecret(): Promise<void> {
    return (this.session?.active && this.session.secrets?.refresh('manual')) || Promise.resolve();
  }
}
