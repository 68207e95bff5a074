/**
 * The session controller: keeps the element's one running session in step with its inputs. After each update it
 * starts, replaces or closes the session, in a microtask of its own, so every event is dispatched outside the
 * update cycle and a listener that sets a property gets a normal update (and a sync) of its own. It keeps no
 * state of the session's: what it shows is read from the session. Everything it sets up per connection ends in
 * `hostDisconnected`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FaceSignError } from '../protocol/errors.js';
import type { FaceSignCancelReason, FaceSignCloseSource } from '../base/events.js';
import { Outbox } from '../base/outbox.js';
import { followPage } from './page-lifecycle.js';
import { warnOnce } from '../base/warn-once.js';
import { end } from '../base/lifetime.js';
import { Verification, type FaceSignStatus } from '../session/verification.js';
import type { Continuation, FaceSignMode, SessionHost, SessionInputs } from '../session/host.js';
import { PARTS } from './session-parts.js';
import { continuationOf, leave, runFor } from './continuations.js';
import { keepInStep } from './resume-memory.js';
import { givenSecret } from './inputs.js';
import { lacksSecret, warnMissingSecret } from './missing-secret.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import type { RefreshSettings } from '../session/refresh-settings.js';

/** What the controller needs from its element: its inputs, and what a session asks of it. */
export interface SessionControllerHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  clientSecret: unknown;
  fetchClientSecret: unknown;
  verifyUrl: unknown;
  mode: FaceSignMode;
  lang: string;
  open: boolean;
  /** what the end's cover offers: 'close' for verify()'s element, whose result went to a promise */
  afterEnd: 'restart' | 'close';
  readInputs(): SessionInputs;
  readSecret(): ClientSecretInput;
  refreshSettings(): RefreshSettings;
  resizeFrame(height?: number): void;
  requestClose(source: FaceSignCloseSource): void;
  texts(): { frameTitle: string };
  log(...a: unknown[]): void;
}

export class SessionController implements ReactiveController {
  /** the current (or last ended) session */
  session?: Verification;
  /** the element's events, in order (the sessions' and the controller's own) */
  readonly events: Outbox;
  readonly #el: SessionControllerHost;
  readonly #host: SessionHost;
  /** earlier sessions whose frame is still kept, hidden, for its page to handle `close` */
  readonly #leaving = new Set<Verification>();
  /** the inputs (but the secret) the current session started with; undefined: none */
  #inputs?: [verifyUrl: unknown, mode: FaceSignMode, lang: unknown];
  #given?: unknown;
  /** where the last run that ended in a leave got to: a restart goes on from there, until a new secret is given */
  #carry?: Continuation;
  #untilDisconnected?: AbortController;
  #scheduled?: Promise<void>;
  /**
   * The secret of a modal session that completed and closed: opened again with it (a stale `open` a framework
   * re-renders) it could only reach a finished session, so it does not reload; a new secret, fetchClientSecret or retry() does.
   */
  #spent?: unknown;

  constructor(el: SessionControllerHost) {
    this.#el = el;
    this.events = new Outbox(el);
    this.#host = {
      events: this.events,
      readInputs: () => el.readInputs(),
      refreshSettings: () => el.refreshSettings(),
      update: () => el.requestUpdate(),
      place: (s) => s.place(el.renderRoot.querySelector('.box')),
      resizeFrame: (h) => el.resizeFrame(h),
      requestClose: (source) => el.requestClose(source),
      frameTitle: () => el.texts().frameTitle,
      log: (...a) => el.log(...a),
    };
    el.addController(this);
  }

  get status(): FaceSignStatus {
    return this.session?.status ?? 'idle';
  }

  /** The current session's iframe while it is seen in the box (not a lingering one). */
  get frame(): boolean {
    return !!this.session?.surface?.visible;
  }

  /** The mode whose box holds a frame (the current session's, or one kept for its page to handle `close`). */
  get heldMode(): FaceSignMode | undefined {
    for (const s of [this.session, ...this.#leaving]) if (s?.surface?.holdsBox) return s.inputs?.mode;
    return undefined;
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
    this.#untilDisconnected = new AbortController();
    // re-appended after a removal (which ended its session): Lit requests no update on reconnect, so nothing would start one
    this.#el.requestUpdate();
    // back from the back/forward cache, an inline element of its own (not a verify() one's) goes on
    followPage(this, () => this.#el.mode === 'inline' && this.#el.afterEnd === 'restart', this.#untilDisconnected.signal);
  }

  hostUpdated(): void {
    const s = this.session?.surface;
    if (s) this.#host.place(s);
    keepInStep(this.#el, this.session);
    this.#scheduled ??= Promise.resolve().then(() => {
      this.#scheduled = undefined;
      this.#sync();
    });
  }

  hostDisconnected(): void {
    if (this.#untilDisconnected) end(this.#untilDisconnected);
    // a new element given the same in this task (a framework re-mounting it) goes on from this run
    const c = this.session && continuationOf(this.session);
    const given = this.#given ?? this.#el.fetchClientSecret;
    if (c && given != null && this.#inputs) leave(given, c, this, this.#inputs);
    // the iframe left the document with the element: its page learns from its own unload (docs/protocol.md)
    this.close('removed');
    this.session?.dispose();
    for (const l of this.#leaving) l.dispose();
    this.#leaving.clear();
    this.#inputs = undefined;
  }

  /** Starts, restarts or closes the session so that it follows the inputs. */
  #sync(): void {
    const el = this.#el;
    if (!el.isConnected) return;
    const running = this.#inputs;
    if (el.mode === 'modal' && !el.open) {
      // a running inline session whose element became a (closed) modal is replaced, not closed by the user
      if (running) this.close(running[1] === 'modal' ? 'closed' : 'replaced');
      return;
    }
    const inputs: [unknown, FaceSignMode, unknown] = [el.verifyUrl, el.mode, el.lang];
    const given = givenSecret(el.clientSecret);
    // markup first, the secret later (the declarative case): idle and waiting, not failed
    if (lacksSecret(el)) {
      if (running) this.#end('replaced');
      if (this.session) el.requestUpdate();
      this.#inputs = this.#given = this.session = this.#carry = undefined;
      if (__FACESIGN_DEV__) warnMissingSecret();
      return;
    }
    if (el.mode === 'modal' && !running && given !== undefined && Object.is(given, this.#spent)) {
      if (__FACESIGN_DEV__)
        warnOnce(
          'spent',
          'open was set again with the secret of a completed verification, so nothing reloads: to verify again, set a new clientSecret (a stale open={true}? keep it in sync with facesign-close)',
        );
      el.open = false;
      return;
    }
    const same = !!running && inputs.every((v, i) => Object.is(v, running[i]));
    if (same && Object.is(given, this.#given)) return;
    const newSecret = !Object.is(given, this.#given);
    const s = this.session;
    if (running && !newSecret && s?.status === 'complete') return this.#keepSpent(inputs);
    if (same && s && !s.ended) {
      // the secret the session already has (set back by the host after a refresh): nothing to do; or asked for
      // (facesign-secret-request), or a session stalled on its secret: the same session continues with it. Else
      // it is replaced below, and what it got to is remembered under the secret it was given (#given, still)
      try {
        if (given === s.secrets?.current.secret || s.takes(el.readSecret())) return void (this.#given = given);
      } catch (e) {
        this.#given = given;
        return s.fail(e as FaceSignError);
      }
    }
    this.#end('replaced');
    // a new secret is a new verification; a restart with the same one goes on where the last run got to
    if (newSecret) this.#carry = undefined;
    // a frame of the old mode is kept for its page to handle `close`: the new mode's box comes once it is gone
    const held = this.heldMode;
    if (held && held !== inputs[1]) return;
    this.#inputs = inputs;
    this.#given = given;
    this.#start();
  }

  /** An input changed after the verification completed: its secret is spent (no page gets it again); a modal closes. */
  #keepSpent(inputs: [unknown, FaceSignMode, unknown]): void {
    if (__FACESIGN_DEV__) warnOnce('spent-change', 'an input changed after the verification completed: to verify again, set a new clientSecret');
    if (inputs[1] === 'modal') this.#el.open = false;
    else this.#inputs = inputs;
  }

  #start(): void {
    const el = this.#el;
    el.resizeFrame();
    // this element's own last run, else one of an element it replaces in this task (a framework re-mount)
    const run = runFor(this.#given ?? el.fetchClientSecret, this, this.#inputs ?? [], this.#carry);
    // held before it starts: a listener of its first event (facesign-fallback, facesign-error) reaches it
    const s = (this.session = new Verification(this.#host, PARTS, run));
    this.#carry = undefined;
    s.start();
    // the page a redirect of this session came back to: this secret is spent
    if (s.phase.name === 'ended' && s.status === 'complete') this.#spent = this.#given;
    el.requestUpdate();
  }

  /** Ends the current session (the hosted page is told `close`) and keeps its iframe until the page handled it. */
  #end(reason: FaceSignCancelReason): void {
    const s = this.session;
    if (!s) return;
    s.close(reason);
    // asked once it has ended: a leave goes on from the run, a cancel ended its FaceSign session too
    this.#carry = continuationOf(s);
    s.dispose('linger');
    if (s.disposing) this.#leaving.add(s);
  }

  /** Closes the verification: a running session ends with `facesign-cancel`, then `facesign-close`. */
  close(reason: FaceSignCancelReason): void {
    const el = this.#el;
    const s = this.session;
    // a running session on any surface (or none yet: a first secret pending, a cover), or its frame still shown
    if (!(s && !s.ended) && !this.frame && !el.open) return;
    // what was set before the close is closed with it (a sync still pending for it starts nothing behind it); what
    // its listeners set after acts
    if (el.mode !== 'modal' && this.#inputs) [this.#inputs, this.#given] = [[el.verifyUrl, el.mode, el.lang], givenSecret(el.clientSecret)];
    this.#end(reason);
    const status = this.status;
    const final = status === 'complete' || status === 'error' ? status : reason;
    if (el.mode === 'modal') {
      // a completed session is finished on the server too; a closed one may be opened again
      if (status === 'complete') this.#spent = this.#given;
      this.#inputs = undefined;
      el.open = false;
    }
    el.requestUpdate();
    this.events.post(['facesign-close', { reason: final }]);
  }

  /**
   * Try again. A session behind a cover that can continue (an interruption, a stall) goes on in place: the same
   * verification, the same secret and session id. Otherwise the hosted page loads again: a running session ends
   * first (`replaced`), and the new one goes on from where it got to.
   */
  retry(): void {
    const s = this.session;
    this.#spent = undefined;
    const p = s?.phase.name;
    if (p === 'interrupted' || p === 'stalled') return s!.retry();
    this.#end('replaced');
    this.#inputs = undefined;
    this.#el.requestUpdate();
  }

  refreshSecret(): Promise<void> {
    return this.session?.refreshSecret() ?? Promise.resolve();
  }

  /** Some session, current or earlier, still has its frame in the box. */
  get holdsBox(): boolean {
    this.#forgetGone();
    return !!this.heldMode;
  }

  #forgetGone(): void {
    for (const s of this.#leaving) if (s.disposed) this.#leaving.delete(s);
  }
}
