/**
 * One verification session of one element, from its first secret to its one terminal event. The conversation
 * with the hosted page (conversation.ts) runs over one surface at a time (frame, popup, redirect: src/surfaces);
 * this part chooses it, watches it, and swaps it for a fallback: the same channel, secret and events go on.
 * `life` (timers, refreshes) ends at the terminal event, the channel at disposal, which may come up to a second
 * later so that the hosted page can act on `close`.
 */
import { FaceSignError } from '../protocol/errors.js';
import { PARAM, PROTOCOL_VERSION, message } from '../protocol/messages.js';
import { emit } from '../base/events.js';
import { randomId } from '../base/ids.js';
import { clock } from '../base/clock.js';
import { onPageEvent } from '../base/page-events.js';
import type { ClientSecret } from '../base/client-secret.js';
import { timing, watchPage } from './watch.js';
import { SecretLifecycle, type RefreshSettings } from './secret-lifecycle.js';
import { obtainSecret } from './secret-request.js';
import { Conversation } from './conversation.js';
import { fallbackVia, reasonError, type FaceSignFallback, type FaceSignFallbackReason, type FaceSignFallbackVia } from '../surfaces/fallback.js';
import { browserObstacle } from '../surfaces/obstacles.js';
import type { Surface, SurfaceEvents } from '../surfaces/surface.js';
import { FrameSurface } from '../surfaces/frame.js';
import type { PopupSurface } from '../surfaces/popup.js';
import { secretKey } from '../surfaces/redirect-return.js';
import { ONE_FILE, fallbackNow, loadFallback, loadRedirect } from '../on-demand/load.js';
import type { FaceSignMode } from '../element/options.js';
import { end } from '../base/lifetime.js';

export type FaceSignStatus = 'idle' | 'loading' | 'requiresInput' | 'processing' | 'complete' | 'canceled' | 'error';

/** The inputs a session starts with, already checked. */
export interface SessionInputs {
  /** undefined: fetchClientSecret gives the first one */
  secret?: ClientSecret;
  /** the hosted page's URL and exact origin for this secret (throws invalid_verify_url) */
  hostedPage: (secret: ClientSecret) => { base: string; origin: string };
  mode: FaceSignMode;
  lang: string;
  /** ms the hosted page has to connect */
  loadTimeout: number;
  /** the `fallback` setting as it is now (throws invalid_option) */
  fallback: () => FaceSignFallback;
  /** where a redirect comes back to (default: this page) */
  returnUrl?: string;
}

/** What a session needs from its element (the element itself: events are dispatched from it). */
export interface SessionHost extends HTMLElement {
  /** refresh settings, read at each refresh (throws a FaceSignError when one became invalid) */
  refreshSettings(): RefreshSettings;
  requestUpdate(): void;
  /** the hosted page reported its height */
  resizeFrame(height: number): void;
  /** the hosted page asked to close */
  requestClose(source: 'hosted_page'): void;
  log(...a: unknown[]): void;
  texts(): { frameTitle: string };
}

export class Session extends Conversation {
  /** a path beside the frame, offered on a cover (or by the merchant's own UI after facesign-fallback) */
  offer?: { reason: FaceSignFallbackReason; via: FaceSignFallbackVia };
  /** the tab is leaving for the hosted page (the redirect): leaving this page is not a cancel */
  away = false;
  /** the hosted page's URL for this session (channel parameters, no secret), its origin, the channel id */
  #url = '';
  #origin = '';
  #id = randomId();
  #inputs: SessionInputs;
  /** ends with the current surface: its watch */
  #scope = new AbortController();
  #loadTimer?: ReturnType<typeof setTimeout>;
  /** a tag of each secret this session had, to bind a redirect's return to it */
  #keys: string[] = [];
  /** facesign-fallback is being dispatched */
  #announcing = false;

  constructor(host: SessionHost, inputs: SessionInputs) {
    super(host);
    this.#inputs = inputs;
    this.life.signal.addEventListener('abort', () => (clearTimeout(this.#loadTimer), end(this.#scope)));
  }

  /** Starts it: apart from the constructor, so the element holds it before its first event. */
  start(): void {
    if (this.#inputs.secret) return this.#begin(this.#inputs.secret);
    // fetchClientSecret alone: the first secret with the same timeout, retries and abort as a refresh
    let set: RefreshSettings;
    try {
      set = this.settings();
    } catch (e) {
      return this.fail(e as FaceSignError);
    }
    this.log('fetching the first client secret');
    void obtainSecret(
      { ...set, refreshUrl: undefined },
      { current: '', signal: this.life.signal, now: clock.now, log: (...a) => this.log(...a) },
    ).then((r) => r && ('ok' in r ? this.#begin(r.ok) : this.fail(r.error)));
  }

  /** With the first secret: the channel, the secret lifecycle, the load timer, and the frame (in this task). */
  #begin(secret: ClientSecret): void {
    const { lang } = this.#inputs;
    try {
      const { base, origin } = this.#inputs.hostedPage(secret);
      const url = new URL(base);
      url.hash = '';
      // clientSecret.url carries the secret for top-level use; an embedded page gets it over the port only
      url.searchParams.delete('client_secret');
      url.searchParams.set(PARAM.channel, this.#id);
      url.searchParams.set(PARAM.version, String(PROTOCOL_VERSION));
      url.searchParams.set(PARAM.origin, location.origin);
      if (lang) url.searchParams.set(PARAM.lang, lang);
      this.#url = url.href;
      this.#origin = origin;
    } catch (e) {
      return this.fail(e as FaceSignError);
    }
    this.log('loading', this.#origin);
    this.#keys.push(secretKey(secret.secret));
    this.secrets = new SecretLifecycle(this, secret, () => clock.now(), this.life.signal);
    this.openChannel(this.#id, this.#origin, this.#inputs.mode, lang);
    this.#armLoadTimer();
    // what cannot work in a frame here is known before anything loads
    const obstacle = browserObstacle();
    if (obstacle) return this.#cannotFrame(obstacle);
    this.#show(new FrameSurface(this.#url, this.#origin, this.host.texts().frameTitle, this.#events));
  }

  #armLoadTimer(): void {
    const ms = this.#inputs.loadTimeout;
    clearTimeout(this.#loadTimer);
    this.#loadTimer = setTimeout(() => {
      const why = `${this.#origin} did not connect in ${ms}ms`;
      // a popup sent elsewhere (or that never loaded) is never going to connect: offer a new one
      if (this.surface?.kind === 'popup') this.#cannotFrame('hosted_page_lost', `the popup: ${why}`);
      else this.fail(new FaceSignError('load_timeout', `${why}${__FACESIGN_DEV__ ? ': check verify-url, the network and CSP frame-src' : ''}`, true));
    }, ms);
  }

  /** What the current surface reports. */
  #events: SurfaceEvents = {
    loaded: () => this.watch?.loaded(),
    closed: (severed) => {
      if (this.ended) return;
      this.surface = undefined;
      // closed at once, before its hello: severed by this page's COOP, so no popup can work here
      if (severed && !this.connected) this.#cannotFrame('popup_blocked');
      else this.cancel('popup_closed');
    },
    policyBlocks: (features) => {
      const o = this.#origin;
      this.#cannotFrame(
        'camera_blocked',
        /^https?:\/\/\[::1\]/.test(o)
          ? `verify-url is on IPv6 loopback (${o})${__FACESIGN_DEV__ ? `: Chromium gives an [::1] frame no ${features.join(' or ')} under allow="camera", only under allow="camera *", which this SDK never sets; use http://127.0.0.1 or http://localhost instead` : ''}`
          : `this page's Permissions-Policy does not allow ${features.join(' and ')} for ${o}${__FACESIGN_DEV__ ? `: allow it (e.g. camera=(self "${o}")), or let the user continue in a popup` : ''}`,
      );
    },
  };

  /** Shows the hosted page on `next` instead of the current surface: the old one closes, its port is dropped. */
  #show(next: Surface | undefined): void {
    this.surface?.close();
    end(this.#scope);
    this.#scope = new AbortController();
    this.channel?.drop();
    this.connected = false;
    this.surface = next;
    this.watch =
      next && next.kind !== 'redirect'
        ? watchPage({
            ping: () => this.send(message('ping', {})),
            blocked: () =>
              this.#cannotFrame(
                'frame_blocked',
                `${this.#origin} loaded in the frame but did not connect within ${timing.helloAfterLoad / 1000} s${__FACESIGN_DEV__ ? ': it refuses to be framed (X-Frame-Options or CSP frame-ancestors), or nothing at verify-url runs the FaceSign page' : ''}`,
                false,
              ),
            lost: (why) => {
              const err = `the hosted page ${why}; retry() continues the same session`;
              // the old document's port is closed: whatever is there now gets nothing without a new handshake
              this.channel?.drop();
              if (this.surface?.kind === 'popup') this.#cannotFrame('hosted_page_lost', err);
              else this.fail(new FaceSignError('hosted_page_lost', err, true));
            },
            log: (...a) => this.log(...a),
            signal: this.#scope.signal,
          })
        : undefined;
    this.host.requestUpdate();
  }

  /** The frame cannot verify: the error (recoverable), then `facesign-fallback` and the path offered. */
  #cannotFrame(reason: FaceSignFallbackReason, text?: string, drop = true): void {
    if (this.ended) return;
    clearTimeout(this.#loadTimer);
    if (drop) this.#show(undefined);
    let via: FaceSignFallbackVia | undefined;
    try {
      via = fallbackVia(this.#inputs.fallback(), reason);
    } catch (e) {
      // changed to something invalid during the session: reported as at the start
      return this.fail(e as FaceSignError);
    }
    this.fail(reasonError(reason, text), !via);
    if (!via || this.ended) return;
    this.offer = { reason, via };
    // the offer's cover and the popup come in a module of their own: here before the user can click, as a rule
    if (!ONE_FILE && !fallbackNow())
      void loadFallback().then(
        () => this.host.requestUpdate(),
        (e: unknown) => {
          // offline, or a deploy replaced the chunk: no path to offer, the error's cover (and retry) stays
          this.log('the fallback could not load:', e);
          if (this.offer?.reason === reason) this.offer = undefined;
          this.host.requestUpdate();
        },
      );
    // from a listener of facesign-fallback (its continueIn found the popup blocked): reported, offered on our
    // cover, not announced again, or a listener that always calls continueIn('popup') would never return
    if (this.#announcing) return this.host.requestUpdate();
    const before = this.surface;
    this.#announcing = true;
    let ours: boolean;
    try {
      // the merchant's own UI instead of ours: it calls continueIn(via), maybe from this very listener
      ours = emit(this.host, 'facesign-fallback', { reason, via }, true);
    } finally {
      this.#announcing = false;
    }
    if (ours || this.surface !== before || this.away || this.offer.reason !== reason) return this.host.requestUpdate();
    this.offer = undefined;
    this.set('error');
  }

  /** Continues in a popup (call it from a click: popups need a user gesture) or with a redirect. */
  continueIn(via: 'popup' | 'redirect'): void {
    if (this.ended || !this.secrets || this.away) return;
    if (via === 'redirect') {
      this.away = true;
      this.host.requestUpdate();
      // its module on demand (a chunk of the ESM build): only a session that redirects needs it
      void loadRedirect().then(
        ({ RedirectSurface }) => {
          // ended, or back from the cache, while it loaded
          if (this.ended || !this.away) return;
          const back = this.#inputs.returnUrl ?? location.href;
          this.#show(new RedirectSurface(this.#url, this.secrets!.current.secret, back, this.#keys, this.sessionId()));
        },
        // (the script tag has it inside: it cannot fail to load)
        ONE_FILE
          ? undefined
          : (e: unknown) => {
              // offline, or a deploy replaced the chunk: the offer stays, and the user can try again
              if (this.ended || !this.away) return;
              this.away = false;
              this.fail(
                new FaceSignError('network_error', `the redirect could not start: its module did not load (${(e as Error)?.message ?? e})`, true),
                false,
              );
            },
      );
      // back here from the back/forward cache: the tab did not stay at the hosted page, so offer it again
      onPageEvent('pageshow', () => this.away && ((this.away = false), this.host.requestUpdate()), this.life.signal);
      return;
    }
    const ui = fallbackNow();
    // asked before its module came (a page calling continueIn at once): opened when it is here, which the browser
    // may block for lack of a click; then the redirect is offered
    if (!ONE_FILE && !ui)
      return void loadFallback().then(
        () => this.continueIn('popup'),
        () => this.#cannotFrame('popup_blocked'),
      );
    if (this.surface?.kind === 'popup') return (this.surface as PopupSurface).focus();
    const popup = ui!.PopupSurface.open(this.#url, `facesign-${this.#id}`, this.#events);
    if (!popup) return this.#cannotFrame('popup_blocked');
    this.offer = { reason: this.offer?.reason ?? 'frame_blocked', via: 'popup' };
    this.#show(popup);
    this.#armLoadTimer();
  }

  protected override readied(): void {
    clearTimeout(this.#loadTimer);
    if (this.surface?.kind === 'frame') this.offer = undefined;
  }

  protected override cameraBlocked(text: string): void {
    this.#cannotFrame('camera_blocked', text);
  }

  /** A new secret reached the session: its tag binds a redirect's return too. */
  protected override accepted(s: ClientSecret): void {
    this.#keys.push(secretKey(s.secret));
  }
}
