/**
 * Where the frame cannot verify: which path is offered (the `fallback` setting and the reason), the one
 * `facesign-fallback` that lets the merchant offer it in its own UI, the offer's UI loaded before the user can
 * click, and `continueIn()`: a popup (from a click) or the redirect, an exit rather than a surface.
 */
import { FaceSignError } from '../protocol/errors.js';
import type { FaceSignFallbackReason } from '../base/events.js';
import { end } from '../base/lifetime.js';
import type { Notice } from '../base/outbox.js';
import { onPageEvent } from '../base/page-events.js';
import { warnOnce } from '../base/warn-once.js';
import { fallbackVia, framed, reasonError } from '../surfaces/fallback.js';
import type { Surface } from '../surfaces/surface.js';
import type { SessionCore } from './core.js';
import type { HandoffReason, Phase, Resumable } from './state.js';

/** reasons where the phone is offered beside the path (scanning a code may be easier than copying a link) */
export const PHONE_BESIDE: readonly FaceSignFallbackReason[] = ['in_app', 'no_camera', 'webview_no_camera'];
/** reasons no frame can overcome here: trying again offers the same path instead of loading a frame */
const OBSTACLES: readonly FaceSignFallbackReason[] = ['in_app', 'insecure', 'no_camera', 'webview_no_camera'];

const loadFailed = (what: string, e: unknown) =>
  new FaceSignError('network_error', `${what} could not start: its module did not load (${(e as Error)?.message ?? e}); try again`, true);

export class Offers {
  readonly #s: SessionCore;

  constructor(session: SessionCore) {
    this.#s = session;
  }

  /** The frame cannot verify: the error (recoverable), then `facesign-fallback` and the path offered. `keep`: a frame that may still connect. */
  cannotFrame(reason: FaceSignFallbackReason, text?: string, keep?: Surface): void {
    const s = this.#s;
    if (s.ended) return;
    let via;
    try {
      via = fallbackVia(s.inputs!.fallback(), reason);
    } catch (e) {
      // changed to something invalid during the session: reported as at the start
      return s.fail(e as FaceSignError);
    }
    const error = reasonError(reason, text);
    const before = s.phase;
    s.host.log('error', error.code);
    // nothing new to offer, and an offer on the cover: it stays (a popup blocked under fallback "none"), reported
    if (!via && before.name === 'offering') return s.host.events.post(['facesign-error', error.toJSON()]);
    if (!via)
      return s.go({ name: 'interrupted', error, surface: keep, offer: OBSTACLES.includes(reason) ? reason : undefined }, [
        'facesign-error',
        error.toJSON(),
      ]);
    // the same offer again (a popup asked for again and blocked again): reported, and nothing else changes
    if (before.name === 'offering' && before.reason === reason && before.via === via) return s.host.events.post(['facesign-error', error.toJSON()]);
    // a path that failed from inside the listener of the first announcement is offered without a second one
    const quiet = before.name === 'offering' && before.stage === 'announcing';
    const offered: Phase = { name: 'offering', stage: 'offered', reason, via, error, surface: keep };
    if (quiet) {
      s.go(offered, ['facesign-error', error.toJSON()]);
      return this.#loadUi(offered);
    }
    const announcing: Phase = { ...offered, stage: 'announcing' };
    s.go(announcing, ['facesign-error', error.toJSON()]);
    this.#loadUi(announcing);
    const ours = s.host.events.ask('facesign-fallback', { reason, via });
    // a listener moved it on (continueIn, close): that stands
    if (s.phase !== announcing) return;
    // the merchant's own UI instead of ours, and it did not continue yet: the error's cover, whose Try again offers again
    if (!ours) return s.go({ name: 'interrupted', error, surface: keep, offer: reason });
    s.go(offered);
    this.#loadUi(offered);
  }

  /** The offer's UI (its covers, the popup), here before the user can click, as a rule. */
  #loadUi(offering: Phase): void {
    const s = this.#s;
    // an in-app browser, or one without a camera API: the phone beside it (its UI too)
    if (offering.name === 'offering' && PHONE_BESIDE.includes(offering.reason)) s.handoffs.beside(offering.reason as HandoffReason);
    s.parts.offerUi().then(
      () => s.host.update(),
      (e: unknown) => {
        // offline, or a deploy replaced the chunk: no path can be offered now; Try again loads it again
        const now = s.phase;
        if (now.name !== 'offering' || offering.name !== 'offering' || now.reason !== offering.reason) return;
        const error = loadFailed('the other path', e);
        s.host.log('error', error.code);
        s.go({ name: 'interrupted', error, surface: offering.surface, offer: offering.reason }, ['facesign-error', error.toJSON()]);
      },
    );
  }

  /** Continues in a popup (call it from a click: popups need a user gesture), with the redirect, or on the phone. */
  continueIn(via: 'popup' | 'redirect' | 'phone'): void {
    const s = this.#s;
    const p = s.phase;
    const refuse = (why: string) => {
      s.host.log(`continueIn('${via}') ignored:`, why);
      if (__FACESIGN_DEV__) warnOnce(`continueIn:${why}`, `continueIn('${via}') does nothing: ${why}`);
    };
    if (p.name === 'ended') return refuse('the verification has ended');
    if (p.name === 'away') return refuse('the page is already leaving for the hosted page');
    if (!s.secrets) return refuse('the client secret has not arrived yet (continueIn works once the session has it)');
    // the session runs only from the phone now: a flow here would be refused
    if (via !== 'phone' && s.handoffs.phoneHolds) return refuse('the verification continues on the person’s phone (close() ends it)');
    if (via === 'popup') return this.#popup(p);
    // the link the phone opens is not the secret: it works under fallback "none" too
    if (via === 'phone') return s.handoffs.start();
    let setting;
    try {
      setting = s.inputs!.fallback();
    } catch (e) {
      return s.fail(e as FaceSignError);
    }
    // the secret reaches a URL only where the merchant allows another path
    if (setting === 'none') return refuse('fallback is "none", so the client secret never goes into a URL');
    if (framed())
      return refuse(
        'this page is in a frame: a redirect would navigate the frame, not the tab; use the popup (or put the element in a top-level page)',
      );
    this.#redirect(p as Resumable);
  }

  #popup(p: Phase): void {
    const s = this.#s;
    const open = s.parts.popup.now();
    // asked before its module came (a page calling continueIn at once): opened when it is here, which the browser
    // may block for lack of a click; then the redirect is offered. A module that cannot load is no blocked popup.
    if (!open)
      return void s.parts.popup.load().then(
        () => this.continueIn('popup'),
        // the path that was offered is offered again by Try again (an obstacle never gets a frame)
        (e: unknown) => {
          const error = loadFailed('the popup', e);
          const offer = p.name === 'offering' ? p.reason : p.name === 'interrupted' ? p.offer : undefined;
          s.host.log('error', error.code);
          s.go({ name: 'interrupted', error, surface: s.surface, offer }, ['facesign-error', error.toJSON()]);
        },
      );
    const current = s.surface;
    if (current?.shownIn === 'window') return current.focus();
    const popup = open(s.url, `facesign-${s.id}`, s.surfaceEvents);
    if (!popup) return this.cannotFrame('popup_blocked', undefined, p.name === 'offering' ? p.surface : undefined);
    s.show(popup);
  }

  /**
   * The tab leaves for the hosted page; back here from the back/forward cache, the phase it left from returns, as
   * it does when this page's CSP refuses the form that leaves. The way back is `returnUrl`, or this page's origin
   * and path: its query and fragment (an `#access_token=…`) are nobody else's, and would reach the hosted page's
   * server.
   */
  #redirect(from: Resumable): void {
    const s = this.#s;
    s.go({ name: 'away', from });
    // the departure's own life: until the tab is back here (or never left), or the session ends
    const departure = new AbortController();
    s.untilEnd.addEventListener('abort', () => end(departure), { signal: departure.signal });
    const back = (...notices: Notice[]) => {
      const a = s.phase;
      end(departure);
      if (a.name === 'away') s.go(a.from, ...notices);
    };
    s.parts.redirect().then(
      (leave) => {
        // ended, or back, while it loaded
        if (s.phase.name !== 'away') return;
        const { current, keys, sessionId } = s.secrets!;
        const returnUrl = s.inputs!.returnUrl ?? location.origin + location.pathname;
        leave(
          { base: s.url, secret: current.secret, returnUrl, keys, sessionId },
          (error) => (s.host.log('error', error.code), back(['facesign-error', error.toJSON()])),
          departure.signal,
        );
      },
      (e: unknown) => {
        // offline, or a deploy replaced the chunk: the offer is drawn again, and the user can try again
        const error = loadFailed('the redirect', e);
        s.host.log('error', error.code);
        back(['facesign-error', error.toJSON()]);
      },
    );
    // (only a page restored from that cache: the first pageshow of a page still loading is no return)
    onPageEvent('pageshow', (e) => (e as PageTransitionEvent).persisted && back(), departure.signal);
  }
}
