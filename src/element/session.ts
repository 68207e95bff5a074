/**
 * One verification session of one element, from the iframe's creation to its one terminal event: the iframe, the
 * channel, the load timer, the secret lifecycle, the status. A new object per session, so nothing is reset
 * piecemeal. Two scopes end it: `#life` (timers, refreshes) at the terminal event, `#wire` (channel, iframe) at
 * disposal, which may come up to a second later so that the hosted page can act on `close`.
 */
import { FaceSignError, isErrorCode, type FaceSignErrorCode } from '../protocol/errors.js';
import { PARAM, PROTOCOL_VERSION, message, type FrameMessage, type HostMessage } from '../protocol/messages.js';
import { emit, type FaceSignCancelReason } from './events.js';
import { openHostChannel, type HostChannel } from './host-channel.js';
import { HELLO_AFTER_LOAD, watchFrame, type FrameWatch } from './frame-watch.js';
import { fallbackVia, reasonError, redirectUrl, type FaceSignFallback, type FaceSignFallbackReason, type FaceSignFallbackVia } from './fallback.js';
import { blockedFeatures, browserObstacle } from './obstacles.js';
import { randomId, type FaceSignMode } from './options.js';
import { clock } from './clock.js';
import { deprecated } from './warn-once.js';
import type { ClientSecret } from './client-secret.js';
import { SecretLifecycle, type RefreshSettings, type RefreshTrigger, type SecretOwner } from './secret-lifecycle.js';
import { obtainSecret } from './secret-request.js';

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
  fallback: FaceSignFallback;
}

/** What a session needs from its element (the element itself: events are dispatched from it). */
export interface SessionHost extends HTMLElement {
  /** refresh settings, read at each refresh (throws a FaceSignError when one became invalid) */
  refreshSettings(): RefreshSettings;
  /** the session's state changed: render */
  requestUpdate(): void;
  /** the hosted page reported its height */
  resizeFrame(height: number): void;
  /** the hosted page asked to close */
  requestClose(source: 'hosted_page'): void;
  log(...a: unknown[]): void;
  /** the element's texts in its language */
  texts(): { frameTitle: string };
}

/** codes after which retrying with the same secret cannot work: the merchant must create a new session */
const UNUSABLE: readonly FaceSignErrorCode[] = ['invalid_client_secret', 'session_not_found', 'session_finished'];

/** ms a closed session's iframe is kept (hidden) for the hosted page to handle `close` */
const LINGER = 1000;
export class Session implements SecretOwner {
  status: FaceSignStatus = 'loading';
  /** set once the first secret is known */
  frame?: HTMLIFrameElement;
  /** a recoverable secret failure: the hosted page keeps its state behind a cover whose button retries */
  stall?: FaceSignError;
  /** the terminal event has been dispatched */
  ended = false;
  /** ended on an error that no retry with this secret can mend: the cover says to start again, with no button */
  unusable = false;
  /** the iframe is kept hidden until the hosted page handled `close` */
  lingering = false;
  /** set once the first secret is known */
  secrets?: SecretLifecycle;
  /** a path beside the frame, offered on a cover (or by the merchant's own UI after facesign-fallback) */
  offer?: { reason: FaceSignFallbackReason; via: FaceSignFallbackVia };
  /** the popup the verification runs in */
  popup?: Window;
  /** the hosted page's URL for this session (channel parameters, no secret) and its origin */
  #url = '';
  #origin = '';
  /** ends the current transport: the iframe's channel and watch, or the popup's */
  #transport = new AbortController();
  #inputs: SessionInputs;
  #host: SessionHost;
  #life = new AbortController();
  #wire = new AbortController();
  /** false while there is no port (not connected yet, or no channel yet) */
  #send: (m: HostMessage) => boolean = () => false;
  #sessionId?: string;
  /** what started the refresh whose secret the hosted page has not acknowledged yet */
  #refreshing?: { trigger: RefreshTrigger; timer: ReturnType<typeof setTimeout> };
  #loadTimer?: ReturnType<typeof setTimeout>;
  #watch?: FrameWatch;
  #connected = false;
  #placed = false;

  constructor(host: SessionHost, inputs: SessionInputs) {
    this.#host = host;
    this.#inputs = inputs;
    // every timer of the session's life ends with it: the wait for the page to confirm a new secret too
    this.#life.signal.addEventListener('abort', () => {
      this.#stopRefreshing();
      // the frame watch ends with its transport, or here: after the terminal event nothing is judged
      this.#watch?.stop();
    });
    if (inputs.secret) {
      this.#begin(inputs.secret);
      return;
    }
    // fetchClientSecret alone: the first secret with the same timeout, retries and abort as a refresh
    let set: RefreshSettings;
    try {
      set = host.refreshSettings();
    } catch (e) {
      this.fail(e as FaceSignError);
      return;
    }
    host.log('fetching the first client secret');
    void obtainSecret(
      { ...set, refreshUrl: undefined },
      { current: '', signal: this.#life.signal, now: clock.now, log: (...a) => host.log(...a) },
    ).then((r) => r && ('ok' in r ? this.#begin(r.ok) : this.fail(r.error)));
  }

  /** With the first secret: the iframe (in this task), the channel, the secret lifecycle, the load timer. */
  #begin(secret: ClientSecret): void {
    const host = this.#host;
    const { lang } = this.#inputs;
    let base: string, origin: string;
    try {
      ({ base, origin } = this.#inputs.hostedPage(secret));
    } catch (e) {
      return this.fail(e as FaceSignError);
    }
    const url = new URL(base);
    url.hash = '';
    // clientSecret.url carries the secret for top-level use; an embedded page gets it over the port only
    url.searchParams.delete('client_secret');
    url.searchParams.set(PARAM.channel, randomId());
    url.searchParams.set(PARAM.version, String(PROTOCOL_VERSION));
    url.searchParams.set(PARAM.origin, location.origin);
    if (lang) url.searchParams.set(PARAM.lang, lang);
    this.#url = url.href;
    this.#origin = origin;
    host.log('loading', origin);
    this.secrets = new SecretLifecycle(this, secret, () => clock.now(), this.#life.signal);
    const ms = this.#inputs.loadTimeout;
    const timer = setTimeout(
      () =>
        this.fail(new FaceSignError('load_timeout', `${origin} did not connect in ${ms}ms: check verify-url, the network and CSP frame-src`, true)),
      ms,
    );
    this.#life.signal.addEventListener('abort', () => clearTimeout(timer));
    this.#loadTimer = timer;
    // what cannot work in a frame here is known before anything loads
    const obstacle = browserObstacle();
    if (obstacle) return this.#cannotFrame(obstacle);
    // a new iframe per session, so no session-history entry is ever added
    const frame = (this.frame = document.createElement('iframe'));
    frame.part.add('frame');
    frame.title = host.texts().frameTitle;
    frame.allow = 'camera; microphone; fullscreen; autoplay; clipboard-write';
    frame.referrerPolicy = 'strict-origin';
    frame.src = this.#url;
    const wire = this.#connect(() => frame.contentWindow);
    this.#watch = watchFrame({
      frame,
      ping: () => wire.send(message('ping', {})),
      blocked: () => {
        this.#cannotFrame(
          'frame_blocked',
          `${origin} loaded in the frame but did not connect within ${HELLO_AFTER_LOAD / 1000} s: it refuses to be framed (X-Frame-Options or CSP frame-ancestors), or nothing at verify-url runs the FaceSign page`,
          false,
        );
      },
      lost: (why) => {
        // the old document's port is closed: whatever is in the frame now gets nothing without a new handshake
        wire.drop();
        this.fail(new FaceSignError('hosted_page_lost', `the hosted page ${why}; retry() continues the same session`, true));
      },
      signal: this.#transport.signal,
    });
    // the iframe goes in the same task, before the hosted page could say hello
    host.requestUpdate();
  }

  /** The channel to the hosted page in `target` (our iframe, or our popup), for the current transport. */
  #connect(target: () => Window | null | undefined): HostChannel {
    const host = this.#host;
    const { mode, lang } = this.#inputs;
    const wire = openHostChannel({
      channel: new URL(this.#url).searchParams.get(PARAM.channel)!,
      origin: this.#origin,
      target,
      // again after the hosted page reloaded, with the secret it has now
      onConnect: () => {
        this.#connected = true;
        this.#watch?.connected();
        wire.send(message('init', { secret: this.secrets!.current.secret, mode: this.popup ? 'popup' : mode, ...(lang && { lang }) }));
      },
      onMessage: (m) => this.#onMessage(m),
      log: (...a) => host.log(...a),
      signal: this.#transport.signal,
    });
    this.#send = wire.send;
    this.#connected = false;
    return wire;
  }

  /** The controller placed our iframe: the page's Permissions-Policy for it can be read now, before it loads. */
  placed(): void {
    const frame = this.frame;
    if (!frame || this.#placed) return;
    this.#placed = true;
    const blocked = blockedFeatures(frame, this.#origin);
    if (blocked.length)
      this.#cannotFrame(
        'camera_blocked',
        `this page's Permissions-Policy does not allow ${blocked.join(' and ')} for ${this.#origin}: allow it (e.g. camera=(self "${this.#origin}")), or let the user continue in a popup`,
      );
  }

  /**
   * The frame cannot verify: the error (recoverable), then `facesign-fallback` and the path offered. `drop` ends
   * the iframe first (a blocked camera: nothing should start in it).
   */
  #cannotFrame(reason: FaceSignFallbackReason, message?: string, drop = true): void {
    if (this.ended) return;
    clearTimeout(this.#loadTimer);
    if (drop) this.#unembed();
    const via = fallbackVia(this.#inputs.fallback, reason);
    this.fail(reasonError(reason, message), !via);
    if (!via || this.ended) return;
    this.offer = { reason, via };
    // the merchant's own UI instead of ours: it calls continueIn(via)
    if (emit(this.#host, 'facesign-fallback', { reason, via }, true)) return this.#host.requestUpdate();
    this.offer = undefined;
    this.#set('error');
  }

  #unembed(): void {
    this.#watch = undefined;
    this.#transport.abort();
    this.#transport = new AbortController();
    this.frame?.remove();
    this.frame = undefined;
  }

  /** Continues in a popup (call it from a click: popups need a user gesture) or with a redirect. */
  continueIn(via: 'popup' | 'redirect'): void {
    if (this.ended || !this.secrets) return;
    if (via === 'redirect') return location.assign(redirectUrl(this.#url, this.secrets.current.secret));
    if (this.popup && !this.popup.closed) return this.popup.focus();
    this.#unembed();
    const win = open(this.#url, 'facesign-verify', 'popup,width=480,height=760');
    if (!win) return this.#cannotFrame('popup_blocked');
    this.popup = win;
    this.offer = { reason: this.offer?.reason ?? 'frame_blocked', via: 'popup' };
    this.#connect(() => win);
    const signal = this.#transport.signal;
    const poll = setInterval(() => {
      if (!win.closed) return;
      clearInterval(poll);
      this.popup = undefined;
      // closed before it ever connected: severed from this page (its Cross-Origin-Opener-Policy is same-origin),
      // so no popup can work here: straight to the redirect
      if (!this.#connected) {
        this.fail(reasonError('popup_blocked'), false);
        return this.continueIn('redirect');
      }
      this.cancel('popup_closed');
      focus();
    }, 250);
    signal.addEventListener('abort', () => clearInterval(poll));
    this.#host.requestUpdate();
  }

  /** Started and not ended. */
  get active(): boolean {
    return !this.ended;
  }

  #set(status: FaceSignStatus): void {
    this.status = status;
    this.#host.requestUpdate();
  }

  #onMessage(m: FrameMessage): void {
    const host = this.#host;
    host.log('received', m.type);
    if (this.lingering) {
      // a closed session's page may still talk: its `canceled` says it handled `close`, the rest is stale
      if (m.type === 'canceled') this.dispose();
      return;
    }
    switch (m.type) {
      case 'pong':
        return this.#watch?.pong();
      case 'resize':
        return host.resizeFrame(m.height);
      case 'close-request':
        return host.requestClose('hosted_page');
    }
    // after the terminal event only resize and close-request matter
    if (this.ended) return host.log('ignored after end:', m.type);
    switch (m.type) {
      case 'ready':
        clearTimeout(this.#loadTimer);
        if (!this.popup) this.offer = undefined;
        this.#sessionId = m.sessionId ?? this.#sessionId;
        if (this.status === 'loading' || this.status === 'error') {
          this.#set('requiresInput');
          emit(host, 'facesign-ready', {});
        }
        return;
      case 'started':
        if (this.status === 'processing') return;
        this.#set('processing');
        emit(host, 'facesign-start', {});
        return;
      case 'step':
        emit(host, 'facesign-step', { nodeId: m.nodeId, nodeType: m.nodeType });
        return;
      case 'completed':
        this.#end('complete');
        emit(host, 'facesign-complete', { sessionId: m.sessionId });
        return;
      case 'canceled':
        return this.cancel(m.reason);
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
      case 'error':
        // the hosted page found its camera blocked in its own document (where the host could not tell)
        if (m.code === 'camera_blocked' && !this.popup) return this.#cannotFrame('camera_blocked', m.message);
        return this.fail(new FaceSignError(isErrorCode(m.code) ? m.code : 'hosted_page_error', m.message, m.recoverable), false);
    }
  }

  /** Terminal: stop the timers and refreshes; the channel stays for resize and close-request. */
  #end(status: FaceSignStatus): void {
    this.ended = true;
    this.#life.abort();
    // a popup's work is over with the session: the user is back on this page
    if (this.popup && !this.popup.closed) {
      this.#transport.abort();
      this.popup.close();
      focus();
    }
    this.popup = undefined;
    this.#set(status);
  }

  /** Reports an error. Non-recoverable ones end the session (terminal); `cover` shows the error cover. */
  fail(error: FaceSignError, cover = true): void {
    if (this.ended) return;
    this.#host.log('error', error.code);
    if (!error.recoverable) {
      this.unusable = UNUSABLE.includes(error.code);
      this.#end('error');
      this.dispose();
    } else if (cover) this.#set('error');
    emit(this.#host, 'facesign-error', error.toJSON());
  }

  /** Ends the session with its one terminal `facesign-cancel`. */
  cancel(reason: FaceSignCancelReason): void {
    if (this.ended) return;
    this.#host.log('canceled', reason);
    this.#end('canceled');
    emit(this.#host, 'facesign-cancel', { reason });
  }

  /** The host ends a running session: the hosted page is told `close`, then the one terminal `facesign-cancel`. */
  close(reason: FaceSignCancelReason): void {
    if (this.ended) return;
    this.#send(message('close', {}));
    this.cancel(reason);
  }

  /** Drops the channel and the iframe; `linger` keeps both (hidden) up to a second for the page to handle `close`. */
  dispose(linger = false): void {
    if (this.#wire.signal.aborted) return;
    if (linger && this.frame?.isConnected) {
      if (this.lingering) return;
      this.lingering = true;
      this.frame!.classList.add('lingering');
      const timer = setTimeout(() => this.dispose(), LINGER);
      this.#wire.signal.addEventListener('abort', () => clearTimeout(timer));
      this.#host.requestUpdate();
      return;
    }
    this.lingering = false;
    this.#life.abort();
    this.#wire.abort();
    this.#transport.abort();
    // removed now, not at the next render: a disconnected element may never render again
    this.frame?.remove();
    this.#host.requestUpdate();
  }

  /** Whether the channel and iframe are gone. */
  get disposed(): boolean {
    return this.#wire.signal.aborted;
  }

  // --- the secret lifecycle's side (SecretOwner) ---

  settings(): RefreshSettings {
    return this.#host.refreshSettings();
  }

  sessionId(): string | undefined {
    return this.#sessionId;
  }

  deliver(s: ClientSecret, trigger: RefreshTrigger): void {
    this.#host.log('new secret for the hosted page:', trigger);
    this.stall = undefined;
    this.#host.requestUpdate();
    // not connected yet: the coming init carries the new secret, so there is nothing to wait for
    if (!this.#send(message('secret', { secret: s.secret }))) return this.#refreshed(trigger);
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
    if (!emit(this.#host, 'facesign-secret-request', detail, true)) return true;
    // the old name, for pages not moved yet: it counts only when a listener handled it
    if (emit(this.#host, 'facesign-secret-expired', detail, true)) return false;
    deprecated('the facesign-secret-expired event', 'facesign-secret-request');
    return true;
  }

  refreshFailed(e: FaceSignError, trigger: RefreshTrigger): void {
    // a failed early refresh leaves a working secret: the user goes on, and the hosted page's secret-expired
    // later tries again; otherwise the session waits behind a retry cover
    if (trigger !== 'expiring' || this.secrets?.expired) this.#stallWith(e);
    else this.fail(e, false);
  }

  log(...a: unknown[]): void {
    this.#host.log(...a);
  }

  #stallWith(e: FaceSignError): void {
    this.stall = e;
    this.#host.requestUpdate();
    this.fail(e, false);
  }

  #stopRefreshing(): void {
    clearTimeout(this.#refreshing?.timer);
    this.#refreshing = undefined;
  }

  /** The hosted page has the new secret: tell the host page (its expiry, never the secret). */
  #refreshed(trigger: RefreshTrigger): void {
    const expireAt = this.secrets?.current.expireAt;
    emit(this.#host, 'facesign-secret-refresh', { trigger, ...(expireAt && { expireAt }) });
  }
}
