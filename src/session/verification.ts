/**
 * One verification of one element (a run of a FaceSign session), from its first secret to its one terminal event:
 * one state (state.ts) changed in one place, `to`, which never leaves `ended`, closes what the new phase no longer
 * shows, commits, renders once, then posts the events. Built of the page link (channel, watch, load timer), the
 * secret side and the offers. `#untilEnd` (timers, refreshes, the watch) ends at the terminal event, `#untilDisposed` at disposal.
 */
import { FaceSignError } from '../protocol/errors.js';
import { message } from '../protocol/messages.js';
import { embeddedUrl, policyText, returnedOutcome } from './hosted-page.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import type { FaceSignCancelReason } from '../base/events.js';
import { randomId } from '../base/ids.js';
import { end } from '../base/lifetime.js';
import type { Notice } from '../base/outbox.js';
import type { Surface, SurfaceEvents, OnTrouble } from '../surfaces/surface.js';
import { afterParse } from '../base/after-parse.js';
import type { Continuation, SessionHost, SessionInputs, SessionParts } from './host.js';
import { PageLink } from './page-link.js';
import { SecretSide } from './secret-side.js';
import { statusOf, surfaceOf, type FaceSignStatus, type Outcome, type Phase, type Progress, type SessionState } from './state.js';
import { Offers } from './offers.js';
import { Handoffs } from './handoff.js';
import type { FaceSignFallbackReason } from '../base/events.js';
import { firstSecret } from './first-secret.js';
import type { PageMessageSink } from './page-messages.js';
import { goodbyeFor } from './goodbye.js';
import { retryWhenOnline } from './unreachable.js';
import { linkEvents } from './link-events.js';

export type { FaceSignStatus } from './state.js';

export class Verification implements PageMessageSink {
  #state: SessionState = { phase: { name: 'starting' }, progress: 'loading' };
  readonly #continuation?: Continuation;
  /** set once the inputs are read; the secret side once the first secret is known */
  inputs?: SessionInputs;
  secrets?: SecretSide;
  link?: PageLink;
  readonly offers = new Offers(this);
  readonly handoffs: Handoffs = new Handoffs(this);
  /** the hosted page's URL for this session (channel parameters, no secret), its origin, the channel id */
  url = '';
  #origin = '';
  /** the channel's id (and the popup's window name) */
  readonly id = randomId();
  readonly #untilEnd = new AbortController();
  readonly #untilDisposed = new AbortController();

  constructor(
    readonly host: SessionHost,
    readonly parts: SessionParts,
    continuation?: Continuation,
  ) {
    this.#continuation = continuation;
  }

  get state(): SessionState {
    return this.#state;
  }
  get phase(): Phase {
    return this.#state.phase;
  }

  get status(): FaceSignStatus {
    return statusOf(this.#state);
  }

  /** The terminal event has been dispatched. */
  get ended(): boolean {
    return this.phase.name === 'ended';
  }

  /** Ends with the terminal event: timers, refreshes, the watch. */
  get untilEnd(): AbortSignal {
    return this.#untilEnd.signal;
  }

  /** The hosted page's exact origin. */
  get origin(): string {
    return this.#origin;
  }

  /** The surface the hosted page is shown on now. */
  get surface(): Surface | undefined {
    return surfaceOf(this.phase);
  }

  /** Where this run got to, for a restart of the same verification (its current secret and session id). */
  get continuation(): Continuation | undefined {
    return this.secrets ? { secret: this.secrets.current, sessionId: this.secrets.sessionId } : this.#continuation;
  }

  /**
   * The one place the state changes. Nothing leaves `ended`. The surface the old phase showed and the new one
   * does not is closed; entering `ended` ends the session's life first. Then one render, then the events.
   */
  to(phase: Phase, progress: Progress, ...notices: Notice[]): void {
    const before = this.#state.phase;
    // nothing leaves ended; an ended session only lets go of its surface (disposal), with nothing to tell
    if (before.name === 'ended') {
      if (phase.name === 'ended' && !notices.length) this.#state = { phase, progress };
      return;
    }
    const was = surfaceOf(before);
    const is = surfaceOf(phase);
    this.#state = { phase, progress };
    // committed first: what ends with the session (a hand-over waiting for the page) sees that it has ended
    if (phase.name === 'ended') end(this.#untilEnd);
    if (was !== is) was?.close();
    if (phase.name === 'ended') is?.ended();
    else this.link?.attach(is);
    this.host.update();
    this.host.events.post(...notices);
  }

  go(phase: Phase, ...notices: Notice[]): void {
    this.to(phase, this.#state.progress, ...notices);
  }

  /** Starts it: its inputs, a redirect's result, its first secret. Apart from the constructor, so the element holds it before its first event. */
  start(): void {
    try {
      this.inputs = this.host.readInputs();
    } catch (e) {
      // a session that ends at once, with its one terminal error: no iframe, no request
      return this.fail(e as FaceSignError);
    }
    retryWhenOnline(this);
    const c = this.#continuation;
    const given = c?.secret ?? this.inputs.secret;
    const back = returnedOutcome(given, (...a) => this.host.log(...a));
    // an element in the page's HTML upgrades before the page's scripts add their listeners
    if (back) return afterParse(() => this.finish(back));
    if (given) return this.begin(given, c?.sessionId);
    this.go({ name: 'fetching' });
    firstSecret(this).catch(() => {});
  }

  /** With the first secret: the channel, the secret lifecycle, and the frame (in this task). */
  begin(secret: ClientSecretInput, sessionId?: string): void {
    const { lang, hostedPage } = this.inputs!;
    try {
      const { base, origin } = hostedPage(secret);
      this.url = embeddedUrl(base, this.id, lang);
      this.#origin = origin;
    } catch (e) {
      return this.fail(e as FaceSignError);
    }
    this.secrets = new SecretSide(this, secret, sessionId);
    this.link = new PageLink({
      channel: this.id,
      origin: this.#origin,
      loadTimeout: this.inputs!.loadTimeout,
      events: linkEvents(this, this.#origin),
      log: (...a) => this.host.log(...a),
      signal: this.#untilDisposed.signal,
      watchSignal: this.#untilEnd.signal,
      openChannel: this.parts.openChannel,
    });
    // what cannot work in a frame here is known before anything loads
    const obstacle = this.parts.obstacle(this.inputs!.webview);
    if (obstacle) return this.offers.cannotFrame(obstacle);
    // the merchant's `force`: on a computer, the person is offered the phone before anything loads
    if (!this.handoffs.offer('computer')) this.showFrame();
  }

  cannotFrame(reason: FaceSignFallbackReason): void {
    this.offers.cannotFrame(reason);
  }

  /** A new frame for the hosted page (the first, or again after Try again). */
  showFrame(): void {
    this.show(this.parts.frame(this.url, this.#origin, this.host.frameTitle(), this.surfaceEvents, this.inputs!.delegate));
  }

  /** Shows the hosted page on `surface`, in place at once. */
  show(surface: Surface): void {
    this.go({ name: 'showing', surface });
    if (this.surface === surface) this.host.place(surface);
  }

  /** What the current surface reports. */
  readonly surfaceEvents: SurfaceEvents = {
    loaded: () => this.link?.loaded(),
    closed: (severed) => {
      // closed at once, before its hello: severed by this page's COOP, so no popup can work here
      if (severed && this.#state.progress === 'loading') this.offers.cannotFrame('popup_blocked');
      else this.cancel('popup_closed');
    },
    policyBlocks: (features) => this.offers.cannotFrame('camera_blocked', policyText(this.#origin, features)),
  };

  /**
   * Something went wrong on the surface: its own policy says whether another path is offered. `keep`: the
   * surface that may still connect (an interruption keeps it; an offer keeps only a frame that was refused).
   */
  trouble(what: OnTrouble, text: string, keep?: Surface, code: 'hosted_page_lost' | 'load_timeout' = 'hosted_page_lost'): void {
    if ('offer' in what) return this.offers.cannotFrame(what.offer, text, what.offer === 'frame_blocked' ? keep : undefined);
    this.fail(new FaceSignError(code, text, true), keep ?? this.surface);
  }

  /** Ends the verification with its outcome: the transition to `ended`, with the one terminal event. */
  finish(outcome: Outcome): void {
    const notice: Notice =
      outcome.status === 'complete'
        ? ['facesign-complete', { sessionId: outcome.sessionId }]
        : outcome.status === 'canceled'
          ? ['facesign-cancel', { reason: outcome.reason }]
          : ['facesign-error', outcome.error.toJSON()];
    this.host.log(outcome.status, outcome.status === 'error' ? outcome.error.code : outcome.status === 'canceled' ? outcome.reason : '');
    // an error leaves nothing to show or to talk to: its cover says what happened
    if (outcome.status === 'error') end(this.#untilDisposed);
    this.go({ name: 'ended', outcome, surface: outcome.status === 'error' ? undefined : this.surface }, notice);
  }

  /**
   * Reports an error. A non-recoverable one ends the session; a recoverable one interrupts it behind a cover
   * whose Try again continues (`keep`: the surface that stays, as a late page may still connect), or, with
   * 'event', is only reported (the hosted page goes on).
   */
  fail(error: FaceSignError, keep?: Surface | 'event'): void {
    if (this.ended) return;
    if (!error.recoverable) return this.finish({ status: 'error', error });
    this.host.log('error', error.code);
    if (keep === 'event') return this.host.events.post(['facesign-error', error.toJSON()]);
    this.go({ name: 'interrupted', error, surface: keep, ...this.handoffs.kept(keep) }, ['facesign-error', error.toJSON()]);
  }

  /** Ends the session with its one terminal `facesign-cancel`. */
  cancel(reason: FaceSignCancelReason): void {
    if (!this.ended) this.finish({ status: 'canceled', reason });
  }

  /** The host ends a running session: the page is told `close` (a cancel or a leave: goodbye.ts), then `facesign-cancel`. */
  close(reason: FaceSignCancelReason): void {
    if (this.ended) return;
    this.link?.send(message('close', { goodbye: goodbyeFor(reason) }));
    this.cancel(reason);
  }

  /** Try again: the same session goes on from where the cover interrupted it (the same secret and session id). */
  retry(): void {
    const p = this.phase;
    if (p.name === 'stalled') return void this.refreshSecret().catch(() => {});
    if (p.name !== 'interrupted') return;
    if (!this.secrets) return void firstSecret(this).catch(() => {});
    if (this.handoffs.again(p)) return;
    // an obstacle never gets a frame: its path is offered again (after an interruption of the popup it led to)
    const offer = p.offer ?? this.parts.obstacle(this.inputs!.webview);
    if (offer) return this.offers.cannotFrame(offer);
    this.showFrame();
  }

  /** A new secret now, for the page (and for a first secret that could not be had: the session starts). */
  refreshSecret(): Promise<void> {
    if (this.ended) return Promise.resolve();
    if (!this.secrets) return this.phase.name === 'interrupted' ? firstSecret(this) : Promise.resolve();
    return this.secrets.refresh('manual');
  }

  /** A secret the host page set while this session runs: taken when it waits for one (true), else not (false). */
  takes(secret: ClientSecretInput): boolean {
    return !!this.secrets?.takes(secret);
  }

  /** Continues in a popup (call it from a click), with a redirect, or on the person's phone. */
  continueIn(via: 'popup' | 'redirect' | 'phone'): void {
    this.offers.continueIn(via);
  }

  /** Disposal is under way: a frame is kept hidden for its page to handle `close`. */
  get disposing(): boolean {
    return this.ended && !!this.surface && !this.surface.visible && !this.disposed;
  }

  /** Drops the channel and the surface; `linger` lets a frame stay hidden up to a second for its page to handle `close`. */
  dispose(linger?: 'linger'): void {
    if (this.disposed) return;
    const s = this.surface;
    end(this.#untilEnd);
    if (linger && s?.holdsBox) {
      // already on its way out: nothing changes
      if (!s.visible) return;
      s.release(() => this.dispose());
      return this.host.update();
    }
    end(this.#untilDisposed);
    s?.close();
    this.link?.attach(undefined);
    // an ended session stays the element's last one (for its status) until the next: without its iframe, which
    // a modal opened again and again would otherwise keep alive, one per element
    const p = this.phase;
    if (p.name === 'ended') this.to({ ...p, surface: undefined }, this.#state.progress);
    this.host.update();
  }

  get disposed(): boolean {
    return this.#untilDisposed.signal.aborted;
  }
}
