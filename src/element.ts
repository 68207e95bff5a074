import { html, nothing, type TemplateResult } from 'lit-html';
import { ReactiveBase, type PropertyDeclaration } from './base.js';
import { openHostChannel } from './channel.js';
import { FaceSignError, isErrorCode } from './errors.js';
import { emit, type FaceSignCancelReason, type FaceSignCloseSource } from './events.js';
import { DEFAULT_VERIFY_URL, checkLang, checkMode, checkRefreshUrl, randomId, verifyOrigin, type FaceSignMode } from './options.js';
import { PARAM, PROTOCOL_VERSION, message, type FrameMessage, type HostMessage } from './protocol.js';
import { lockScroll } from './scroll-lock.js';
import { SecretLifecycle, readSecret, type ClientSecret, type FetchClientSecret, type RefreshTrigger } from './secret.js';
import { styles } from './styles.js';
import { VERSION } from './version.js';

export type FaceSignStatus = 'idle' | 'loading' | 'requiresInput' | 'processing' | 'complete' | 'canceled' | 'error';


let versionWarned = false;

const ENDED_TEXT = { error: 'could not continue.', canceled: 'was closed.', complete: 'complete.' };

/** The focused element, looking into open shadow roots. */
function deepActive(): HTMLElement | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a as HTMLElement | null;
}

/**
 * Runs a FaceSign verification in the page: the hosted verify page in an iframe (inline) or a dialog (modal),
 * connected over a private MessagePort; its lifecycle is re-dispatched as `facesign-*` events.
 *
 * @tag facesign-verify
 * @fires {CustomEvent<FaceSignReadyDetail>} facesign-ready - the hosted page is loaded and connected
 * @fires {CustomEvent<FaceSignStartDetail>} facesign-start - the user started the verification
 * @fires {CustomEvent<FaceSignStepDetail>} facesign-step - the flow moved to another node ({ nodeId, nodeType })
 * @fires {CustomEvent<FaceSignCompleteDetail>} facesign-complete - terminal: the flow finished ({ sessionId }); confirm it on your server
 * @fires {CustomEvent<FaceSignCancelDetail>} facesign-cancel - terminal: the session was canceled ({ reason })
 * @fires {CustomEvent<FaceSignErrorDetail>} facesign-error - a FaceSignError ({ code, message, recoverable }); terminal when not recoverable
 * @fires {CustomEvent<FaceSignCloseRequestDetail>} facesign-close-request - cancelable: Esc, close button, backdrop or the hosted page asks to close ({ source })
 * @fires {CustomEvent<FaceSignCloseDetail>} facesign-close - the verification UI was closed ({ reason })
 * @fires {CustomEvent<FaceSignSecretRefreshDetail>} facesign-secret-refresh - a new client secret reached the hosted page ({ trigger, expireAt }); no secret inside
 * @fires {CustomEvent<FaceSignSecretExpiredDetail>} facesign-secret-expired - cancelable, only without refresh-url/fetchClientSecret: the secret is expiring ({ trigger, expireAt })
 * @csspart box - the frame's container
 * @csspart frame - the iframe
 * @csspart loading - the loading cover
 * @csspart error - the error / ended cover
 * @csspart retry-button - the button on the error cover
 * @csspart dialog - the modal dialog
 * @csspart close-button - the modal's close button
 * @cssprop --facesign-min-height - least inline height (480px)
 * @cssprop --facesign-max-height - most inline height (100dvh)
 * @cssprop --facesign-width - modal width (min(480px, 100vw))
 * @cssprop --facesign-height - modal height (min(720px, 100dvh))
 * @cssprop --facesign-border - border of the frame or dialog
 * @cssprop --facesign-radius - corner radius
 * @cssprop --facesign-backdrop - modal backdrop background
 * @cssprop --facesign-background - background behind the frame
 * @cssprop --facesign-accent - spinner and button colour
 */
export class FaceSignVerifyElement extends ReactiveBase {
  static readonly version = VERSION;
  /** ms the hosted page has to connect before a recoverable `load_timeout` (it may still connect later) */
  static loadTimeout = 20_000;
  /** ms one secret refresh request may take */
  static refreshTimeout = 10_000;
  /** retries of a failed refresh (network error, timeout, 5xx, 408, 429) */
  static refreshRetries = 3;
  /** ms before the first retry; doubles each time, with jitter */
  static refreshRetryDelay = 1000;
  /** the clock (ms) secret expiry is measured with; replaceable in tests */
  static now: () => number = () => Date.now();
  static override styles = styles;

  /**
   * Registers the element under `tag` in `registry`, safely: when the tag is taken (an npm copy and a script-tag
   * copy on one page), the first definition wins and a different version warns once instead of throwing. Does
   * nothing where there is no registry (Node, SSR). Use it for another tag name or a scoped registry.
   */
  static define(tag = 'facesign-verify', registry: CustomElementRegistry | undefined = globalThis.customElements): void {
    if (!registry) return;
    const existing = registry.get(tag) as { version?: string } | undefined;
    if (!existing) {
      // one constructor can back one tag per registry, so another tag gets a subclass
      registry.define(tag, registry.getName?.(this) ? class extends this {} : this);
    } else if (existing.version !== VERSION && !versionWarned) {
      versionWarned = true;
      console.warn(`[facesign-verify] <${tag}> is already defined by version ${existing.version ?? 'unknown'}; this copy (${VERSION}) is not used. Load the SDK once.`);
    }
  }
  static override properties: Record<string, PropertyDeclaration> = {
    clientSecret: { attribute: 'client-secret' },
    expiresAt: { attribute: 'expires-at', type: Number },
    refreshUrl: { attribute: 'refresh-url' },
    refreshMargin: { attribute: 'refresh-margin', type: Number },
    fetchClientSecret: { attribute: false },
    mode: {},
    open: { type: Boolean, reflect: true },
    verifyUrl: { attribute: 'verify-url' },
    lang: {},
    debug: { type: Boolean },
    _status: { state: true },
    _frame: { state: true },
    _closing: { state: true },
    _stall: { state: true },
  };
  static {
    this.finalize();
  }

  /** The session's client secret: `clientSecret.secret` from your server, or the whole `clientSecret` object. */
  declare clientSecret: string | ClientSecret | undefined;
  /** When the string secret expires (unix seconds); the object form carries its own `expireAt`. */
  declare expiresAt: number | undefined;
  /** Your endpoint that returns a new client secret (POST, JSON); see README, "Client secret refresh". */
  declare refreshUrl: string | undefined;
  /** Seconds before expiry to refresh (default 60). */
  declare refreshMargin: number;
  /** Gets a new client secret; wins over `refreshUrl`. */
  declare fetchClientSecret: FetchClientSecret | undefined;
  /** `inline` (default) or `modal`. */
  declare mode: FaceSignMode;
  /** Modal mode: the dialog is shown while true. */
  declare open: boolean;
  /** Base URL of the hosted verify page; https, or http on loopback. */
  declare verifyUrl: string;
  /** BCP 47 language for the hosted page; empty lets the session decide. */
  declare lang: string;
  /** Logs dropped messages and state changes to the console (never a secret). */
  declare debug: boolean;
  declare private _status: FaceSignStatus;
  /** the current session's iframe; a new element per session, so no session-history entry is ever added */
  declare private _frame: HTMLIFrameElement | undefined;
  /** a closed session's iframe, kept (hidden behind the cover or the closed dialog) until the hosted page has
   * handled `close`: removing it at once would destroy it before the message arrives */
  declare private _closing: HTMLIFrameElement | undefined;
  /** a recoverable secret failure: the hosted page keeps its state behind a cover whose button retries */
  declare private _stall: FaceSignError | undefined;

  /** the current session's one terminal event has been dispatched */
  #ended = false;
  /** the inputs (but the secret) the current (or last) session started with; undefined = none */
  #runKey?: string;
  /** the secret string the host gave for this session (not the refreshed ones) */
  #runSecret?: string;
  #secret?: SecretLifecycle;
  #sessionId?: string;
  /** what started the refresh whose secret the hosted page has not acknowledged yet */
  #refreshing?: RefreshTrigger;
  /** aborts everything of the current session: channel, port, timers */
  #run?: AbortController;
  /** aborts everything set up in connectedCallback */
  #conn?: AbortController;
  #send?: (m: HostMessage) => boolean;
  #timer?: ReturnType<typeof setTimeout>;
  #unlock?: () => void;
  #returnFocus?: HTMLElement | null;
  #closingRun?: AbortController;
  #closingTimer?: ReturnType<typeof setTimeout>;

  constructor() {
    super();
    this.mode = 'inline';
    this.open = false;
    this.verifyUrl = DEFAULT_VERIFY_URL;
    this.lang = '';
    this.debug = false;
    this.refreshMargin = 60;
    this._status = 'idle';
  }

  /** `idle | loading | requiresInput | processing | complete | canceled | error` */
  get status(): FaceSignStatus {
    return this._status;
  }

  /** Modal mode: opens the dialog (and starts the session). */
  show(): void {
    this.open = true;
  }

  /** Closes the verification: a running session ends with `facesign-cancel` (reason `closed`). */
  close(): void {
    this.#close('closed');
  }

  /**
   * Gets a new client secret now (refresh-url, fetchClientSecret, or facesign-secret-expired) and hands it to the
   * running session without reloading it. Resolves when done; failures are reported as facesign-error.
   */
  refreshSecret(): Promise<void> {
    return this.#secret?.refresh('manual') ?? Promise.resolve();
  }

  /** Loads the hosted page again with the same inputs (after an error, a timeout or a cancel). */
  retry(): void {
    // a session still running (e.g. after a recoverable load_timeout) ends before the new one starts
    if (this.#active()) this.#cancel('replaced');
    this.#teardown();
    this.#runKey = undefined;
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#conn = new AbortController();
    // leaving the page (or entering the back/forward cache) ends a running session exactly once
    addEventListener('pagehide', () => this.#active() && this.#close('page-hidden'), { signal: this.#conn.signal });
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#active()) this.#cancel('removed');
    this.#teardown();
    this.#releaseModal();
    this.#runKey = undefined;
    this.#conn?.abort();
    // a modal re-inserted later starts closed
    if (this.open) this.open = false;
  }

  protected override willUpdate(): void {
    this.#sync();
  }

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog) {
      const show = this.open && this.isConnected;
      if (show && !dialog.open) {
        this.#returnFocus = deepActive();
        dialog.showModal();
        this.#unlock = lockScroll();
      } else if (!show && dialog.open) {
        dialog.close();
        this.#releaseModal();
      }
    }
  }

  /** Starts, restarts or closes the session so that it follows the inputs. */
  #sync(): void {
    if (!this.isConnected) return;
    if (this.mode === 'modal' && !this.open) {
      if (this.#runKey !== undefined) this.#close('closed');
      return;
    }
    const key = [this.verifyUrl, this.mode, this.lang].join('\n');
    const given = typeof this.clientSecret === 'object' ? this.clientSecret?.secret : this.clientSecret;
    if (key === this.#runKey && given === this.#runSecret) return;
    const life = this.#secret;
    if (key === this.#runKey && life && this.#active()) {
      this.#runSecret = given;
      // the secret the session already has (set back by the host after a refresh): nothing to do
      if (given === life.current.secret) return;
      // asked for by facesign-secret-expired: the same session continues with it
      if (life.awaitingHost) {
        try {
          return life.supply(this.#readSecret());
        } catch (e) {
          return this.#fail(e as FaceSignError);
        }
      }
    }
    if (this.#active()) this.#cancel('replaced');
    this.#teardown();
    this.#runKey = key;
    this.#runSecret = given;
    this.#start();
  }

  /** The host's secret input, checked, with `expires-at` for the string form. */
  #readSecret(): ClientSecret {
    const s = readSecret(this.clientSecret, 'invalid_client_secret', FaceSignVerifyElement.now());
    return { ...s, expireAt: s.expireAt ?? (this.expiresAt || undefined) };
  }

  #start(): void {
    this.#ended = false;
    this.#box()?.style.removeProperty('--_h');
    let origin: string, secret: ClientSecret, mode: FaceSignMode, lang: string, base: string;
    try {
      secret = this.#readSecret();
      // the object form's url gives the hosted page when verify-url was left at its default
      base = this.verifyUrl === DEFAULT_VERIFY_URL && secret.url ? secret.url : this.verifyUrl;
      origin = verifyOrigin(base);
      mode = checkMode(this.mode);
      lang = checkLang(this.lang);
      checkRefreshUrl(this.refreshUrl);
    } catch (e) {
      // a session that ends at once, with its one terminal error
      return this.#fail(e as FaceSignError);
    }
    const run = (this.#run = new AbortController());
    const channel = randomId();
    const url = new URL(base);
    url.hash = '';
    // clientSecret.url carries the secret for top-level use; an embedded page gets it over the port only
    url.searchParams.delete('client_secret');
    url.searchParams.set(PARAM.channel, channel);
    url.searchParams.set(PARAM.version, String(PROTOCOL_VERSION));
    url.searchParams.set(PARAM.origin, location.origin);
    if (lang) url.searchParams.set(PARAM.lang, lang);
    const frame = (this._frame = document.createElement('iframe'));
    frame.part.add('frame');
    frame.title = 'FaceSign identity verification';
    frame.allow = 'camera; microphone; fullscreen; autoplay; clipboard-write';
    frame.referrerPolicy = 'strict-origin';
    frame.src = url.href;
    this._status = 'loading';
    this.#log('loading', origin);
    this.#sessionId = this.#refreshing = this._stall = undefined;
    const E = FaceSignVerifyElement;
    this.#secret = new SecretLifecycle({
      initial: secret,
      margin: () => (Number.isFinite(this.refreshMargin) ? this.refreshMargin : 60),
      fetchClientSecret: () => this.fetchClientSecret,
      refreshUrl: () => checkRefreshUrl(this.refreshUrl),
      sessionId: () => this.#sessionId,
      active: () => this.#active(),
      now: () => E.now(),
      timeout: E.refreshTimeout,
      retries: E.refreshRetries,
      retryDelay: E.refreshRetryDelay,
      signal: run.signal,
      deliver: (s, trigger) => {
        this.#log('new secret for the hosted page:', trigger);
        this._stall = undefined;
        // not connected yet: the coming init carries the new secret, so there is nothing to wait for
        if (this.#send?.(message('secret', { secret: s.secret }))) this.#refreshing = trigger;
        else this.#refreshed(trigger);
      },
      ask: (trigger, expireAt) => !emit(this, 'facesign-secret-expired', { trigger, ...(expireAt && { expireAt }) }, true),
      // a failed early refresh leaves a working secret: the user goes on, and the hosted page's
      // secret-expired later tries again; otherwise the session waits behind a retry cover
      fail: (e, trigger) => {
        if (trigger !== 'expiring' || this.#secret?.expired) this._stall = e;
        this.#fail(e, false);
      },
      log: (...a) => this.#log(...a),
    });
    this.#send = openHostChannel({
      channel,
      origin,
      frame: () => frame,
      init: () => ({ secret: this.#secret!.current.secret, mode, ...(lang && { lang }) }),
      // a closing session's page may still talk: its `canceled` says it handled `close`, the rest is stale
      onMessage: (m) => (run === this.#run ? this.#onMessage(m) : m.type === 'canceled' && this.#dropClosing()),
      log: (...a) => this.#log(...a),
      signal: run.signal,
    });
    const ms = FaceSignVerifyElement.loadTimeout;
    this.#timer = setTimeout(
      () => this.#fail(new FaceSignError('load_timeout', `${origin} did not connect in ${ms}ms: check verify-url, the network and CSP frame-src`, true)),
      ms,
    );
  }

  #onMessage(m: FrameMessage): void {
    this.#log('received', m.type);
    switch (m.type) {
      case 'resize':
        // CSSOM, not a style attribute: allowed under a strict CSP
        this.#box()?.style.setProperty('--_h', `${Math.ceil(m.height)}px`);
        return;
      case 'close-request':
        return this.#requestClose('hosted-page');
    }
    // after the terminal event only resize and close-request matter
    if (this.#ended) return this.#log('ignored after end:', m.type);
    switch (m.type) {
      case 'ready':
        clearTimeout(this.#timer);
        this.#sessionId = m.sessionId ?? this.#sessionId;
        if (this._status === 'loading' || this._status === 'error') {
          this._status = 'requiresInput';
          emit(this, 'facesign-ready', {});
        }
        return;
      case 'started':
        if (this._status === 'processing') return;
        this._status = 'processing';
        emit(this, 'facesign-start', {});
        return;
      case 'step':
        emit(this, 'facesign-step', { nodeId: m.nodeId, nodeType: m.nodeType });
        return;
      case 'completed':
        this._status = 'complete';
        this.#ended = true;
        emit(this, 'facesign-complete', { sessionId: m.sessionId });
        return;
      case 'canceled':
        return this.#cancel(m.reason);
      case 'secret-expired':
        return void this.#secret?.refresh('expired');
      case 'secret-accepted': {
        const trigger = this.#refreshing;
        this.#refreshing = undefined;
        if (trigger) this.#refreshed(trigger);
        return;
      }
      case 'secret-rejected': {
        this.#refreshing = undefined;
        const e = (this._stall = new FaceSignError('secret_rejected', `the hosted page refused the new client secret: ${m.message}`, true));
        return this.#fail(e, false);
      }
      case 'error':
        return this.#fail(new FaceSignError(isErrorCode(m.code) ? m.code : 'hosted_page_error', m.message, m.recoverable), false);
    }
  }

  /** The hosted page has the new secret: tell the host page (its expiry, never the secret). */
  #refreshed(trigger: RefreshTrigger): void {
    const expireAt = this.#secret?.current.expireAt;
    emit(this, 'facesign-secret-refresh', { trigger, ...(expireAt && { expireAt }) });
  }

  /** Reports an error. Non-recoverable ones end the session (terminal); `cover` shows the error cover. */
  #fail(error: FaceSignError, cover = true): void {
    this.#log('error', error.code);
    if (!error.recoverable) {
      this.#teardown();
      this.#ended = true;
      this._status = 'error';
    } else if (cover) this._status = 'error';
    emit(this, 'facesign-error', error);
  }

  /** Ends a running session with its one terminal `facesign-cancel`. */
  #cancel(reason: FaceSignCancelReason): void {
    this._status = 'canceled';
    this.#ended = true;
    this.#log('canceled', reason);
    emit(this, 'facesign-cancel', { reason });
  }

  /** A session has started and has not ended. */
  #active(): boolean {
    return !!this.#run && !this.#ended;
  }

  #requestClose(source: FaceSignCloseSource): void {
    if (emit(this, 'facesign-close-request', { source }, true)) this.#close(source);
  }

  #close(reason: FaceSignCancelReason): void {
    if (!this.#run && !this.open) return;
    if (this.#active()) {
      this.#send?.(message('close', {}));
      this.#cancel(reason);
    }
    const final = this._status === 'complete' || this._status === 'error' ? this._status : reason;
    this.#teardown(true);
    if (this.mode === 'modal') {
      this.#runKey = undefined;
      this.open = false;
    }
    emit(this, 'facesign-close', { reason: final });
  }

  /** Ends the current session's channel and iframe; `linger` keeps both up to 1 s for the hosted page to act on `close`. */
  #teardown(linger = false): void {
    clearTimeout(this.#timer);
    this.#dropClosing();
    if (linger && this.#run && this._frame && this.isConnected) {
      this.#closingRun = this.#run;
      this._closing = this._frame;
      this.#closingTimer = setTimeout(() => this.#dropClosing(), 1000);
    } else {
      this.#run?.abort();
      // removed now, not at the next render: a disconnected element may never render again
      this._frame?.remove();
    }
    this.#run = this.#send = this._frame = this.#secret = this._stall = undefined;
  }

  #dropClosing(): void {
    clearTimeout(this.#closingTimer);
    this.#closingRun?.abort();
    this._closing?.remove();
    this.#closingRun = this._closing = undefined;
  }

  /** The dialog closed (by us, or by the browser without a cancel event): release scroll and focus. */
  #releaseModal(): void {
    if (!this.#unlock) return;
    this.#unlock();
    this.#unlock = undefined;
    this.#returnFocus?.focus?.();
    this.#returnFocus = undefined;
  }

  #onDialogClose = (e: Event): void => {
    // the close event is queued: when show() reopened the dialog since, this one is stale
    if ((e.target as HTMLDialogElement).open) return;
    this.#releaseModal();
    // Chrome may close a dialog on a repeated Esc without a cancel event
    // (https://github.com/whatwg/html/issues/10046): still a user close.
    if (this.open) this.#close('escape');
  };

  #onCancel = (e: Event): void => {
    e.preventDefault();
    this.#requestClose('escape');
  };

  #onDialogClick = (e: MouseEvent): void => {
    // clicks on the backdrop target the dialog itself, outside its box
    const d = e.target as HTMLDialogElement;
    if (d.localName !== 'dialog') return;
    const r = d.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) this.#requestClose('backdrop');
  };

  #box(): HTMLElement | null {
    return this.renderRoot.querySelector('.box');
  }

  #log(...args: unknown[]): void {
    if (this.debug) console.debug('[facesign-verify]', ...args);
  }

  protected override render(): TemplateResult {
    const s = this._status;
    const cover = (text: string, label?: string, action?: () => unknown) =>
      html`<div part="error" class="cover" role="alert"><p>${text}</p>${label ? html`<button part="retry-button" class="retry" @click=${action}>${label}</button>` : nothing}</div>`;
    const box = html`<div part="box" class="box" aria-busy=${s === 'loading'}>${this._frame ?? this._closing ?? nothing}${s === 'loading'
      ? html`<div part="loading" class="cover" role="status"><span class="spinner"></span>Loading verification…</div>`
      : this._stall
        ? cover('The verification session could not be renewed.', 'Try again', () => this.refreshSecret())
        : s === 'error' || (!this._frame && s !== 'idle')
          ? cover(`Verification ${ENDED_TEXT[s as 'error']}`, s === 'complete' ? undefined : s === 'error' ? 'Try again' : 'Start again', this.retry)
          : nothing}</div>`;
    return this.mode === 'modal'
      ? html`<dialog part="dialog" aria-label="Identity verification" @cancel=${this.#onCancel} @close=${this.#onDialogClose} @click=${this.#onDialogClick}><button part="close-button" class="close" aria-label="Close verification" @click=${() => this.#requestClose('close-button')}>×</button>${this.open || this._closing ? box : nothing}</dialog>`
      : box;
  }
}
