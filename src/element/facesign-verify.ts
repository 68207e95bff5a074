import { LitElement, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { VERSION } from '../version.js';
import type { FaceSignCloseSource } from '../base/events.js';
import { ModalController } from './modal-controller.js';
import type { FaceSignCrossDevice, FaceSignDelegation, FaceSignFallback, FaceSignMode, FaceSignWebView } from './options.js';
import { readInputs, readRefreshSettings, readSecretInput } from './inputs.js';
import { defineOnce } from './registration.js';
import type { ClientSecretInput, FetchClientSecret } from '../base/client-secret.js';
import type { RefreshSettings } from '../session/refresh-settings.js';
import { SessionController } from './session-controller.js';
import type { FaceSignStatus } from '../session/verification.js';
import type { SessionInputs } from '../session/host.js';
import { isRtl, type FaceSignStrings, type FaceSignStringsByLang } from './strings.js';
import { busy, missingSecretHint, renderCover } from './covers.js';
import { coverActions } from './cover-actions.js';
import { handoffNow } from './on-demand/load.js';
import { clock } from '../base/clock.js';
import { warnOnce } from '../base/warn-once.js';
import { defaultedProperties, toNumber } from './defaulted-properties.js';
import { styles } from './styles.js';
import { lookOf, type FaceSignAppearance } from './appearance.js';
import { wear } from './contrast.js';
import { ElementTexts } from './element-texts.js';
import { NativeBridge } from './native-bridge.js';

export type { FaceSignStatus } from '../session/verification.js';
export type { FaceSignAppearance, FaceSignColorScheme } from './appearance.js';

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
 * @fires {CustomEvent<FaceSignFallbackDetail>} facesign-fallback - cancelable: the frame cannot verify here and another path is about to be offered ({ reason, via }); preventDefault() and call continueIn(via) from your own UI
 * @fires {CustomEvent<FaceSignSecretRequestDetail>} facesign-secret-request - cancelable, only without refreshUrl/fetchClientSecret: a new client secret is needed ({ trigger, expireAt }); preventDefault() and set clientSecret
 * @fires {CustomEvent<FaceSignSecretRequestDetail>} facesign-secret-expired - deprecated until 1.0: the old name of facesign-secret-request, dispatched after it when nobody handled that
 * @csspart box - the frame's container
 * @csspart frame - the iframe
 * @csspart loading - the loading cover
 * @csspart error - the error / ended cover
 * @csspart retry-button - a screen's primary button (Try again, Continue, Done…)
 * @csspart secondary-button - a screen's secondary button (Cancel)
 * @csspart title - a screen's title
 * @csspart body - a screen's text under its title
 * @csspart reference - an error's reference for support (its code and the session's id)
 * @csspart mark - a screen's status mark (an SVG)
 * @csspart dialog - the modal dialog
 * @csspart close-button - the modal's close button
 * @cssprop --facesign-min-height - least inline height (480px)
 * @cssprop --facesign-max-height - most inline height (100dvh)
 * @cssprop --facesign-width - modal width (min(480px, 100vw))
 * @cssprop --facesign-height - modal height (min(720px, 100dvh))
 * @cssprop --facesign-border - border of the frame or dialog
 * @cssprop --facesign-radius - corner radius
 * @cssprop --facesign-backdrop - modal backdrop background
 * @cssprop --facesign-background - background of the frame's box and the element's screens
 * @cssprop --facesign-text - text colour of the screens (picked for readability when only a background is set)
 * @cssprop --facesign-accent - spinner, mark and primary button colour
 * @cssprop --facesign-on-accent - text on the accent (picked for readability when unset)
 * @cssprop --facesign-font - the screens' font-family
 */
export class FaceSignVerifyElement extends LitElement {
  static readonly version = VERSION;
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    clientSecret: { attribute: 'client-secret' },
    expireAt: { attribute: 'expire-at', converter: toNumber },
    // the old name, forwarded to expireAt with a warning until 1.0
    expiresAt: { attribute: 'expires-at', converter: toNumber },
    refreshUrl: { attribute: 'refresh-url' },
    refreshMargin: { attribute: 'refresh-margin', converter: toNumber },
    fetchClientSecret: { attribute: false },
    mode: {},
    open: { type: Boolean, reflect: true },
    verifyUrl: { attribute: 'verify-url' },
    lang: {},
    fallback: {},
    crossDevice: { attribute: 'cross-device' },
    returnUrl: { attribute: 'return-url' },
    strings: { attribute: false },
    appearance: { attribute: false },
    debug: { type: Boolean },
    loadTimeout: { attribute: 'load-timeout', converter: toNumber },
    refreshTimeout: { attribute: 'refresh-timeout', converter: toNumber },
    refreshRetries: { attribute: 'refresh-retries', converter: toNumber },
    refreshRetryDelay: { attribute: 'refresh-retry-delay', converter: toNumber },
    refreshCredentials: { attribute: 'refresh-credentials' },
    webview: {},
    nativeBridge: { attribute: 'native-bridge' },
    delegate: {},
  };
  static {
    defaultedProperties(this.prototype);
  }

  /**
   * Registers the element under `tag` in `registry`, safely: when the tag is taken (an npm copy and a script-tag
   * copy on one page), the first definition wins and a different version warns once instead of throwing. Does
   * nothing where there is no registry (Node, SSR). Use it for another tag name or a scoped registry.
   */
  static define(tag = 'facesign-verify', registry: CustomElementRegistry | undefined = globalThis.customElements): void {
    defineOnce(this, tag, registry);
  }

  /** The session's client secret: `clientSecret.secret` from your server, or the whole `clientSecret` object. */
  declare clientSecret: string | ClientSecretInput | undefined;
  /** When the string secret expires (unix seconds, the API's `expireAt`); the object form carries its own. */
  declare expireAt: number | undefined;
  /** @deprecated use `expireAt` (the API's name); accepted until 1.0 */
  declare expiresAt: number | undefined;
  /** Your endpoint that returns a new client secret (POST, JSON); see docs/refresh.md. */
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
  /** Where the frame cannot verify: `auto` (default) offers a popup (or a redirect, or the user's own browser), `popup`, `redirect`, or `none`. */
  declare fallback: FaceSignFallback;
  /** Continue on the phone: `auto` (default) offers it where this device cannot verify, `force` also on every computer, `off` never. */
  declare crossDevice: FaceSignCrossDevice;
  /** Where a redirect fallback comes back to: a URL of this origin (default: this page, without the `fs_` parameters). */
  declare returnUrl: string | undefined;
  /** Replaces the element's texts or adds a language: `{ es: { tryAgain: '…' }, nl: { … } }`. */
  declare strings: FaceSignStringsByLang | undefined;
  /** The brand, stated once: colour scheme, colours, radius, font; the hosted page wears it too (docs/element.md, "Appearance"). */
  declare appearance: FaceSignAppearance | undefined;
  /** Logs dropped messages and state changes to the console (never a secret). */
  declare debug: boolean;
  /** ms the hosted page has to connect before a recoverable `load_timeout` (default 20000; it may still connect later). */
  declare loadTimeout: number;
  /** ms one secret refresh attempt may take (default 10000); also how long a promised secret may take. */
  declare refreshTimeout: number;
  /** Retries of a failed refresh: network error, timeout, 5xx, 408, 429 (default 3). */
  declare refreshRetries: number;
  /** ms before the first retry (default 1000); doubles each time, with jitter. */
  declare refreshRetryDelay: number;
  /** The refresh-url request's cookies: `same-origin` (default), `include` (an endpoint on another subdomain; it then needs CORS with credentials), `omit`. */
  declare refreshCredentials: RequestCredentials;
  /** `refuse` (default): an Android WebView cannot verify; `own-app`: this page runs in your own app's WebView, which grants the camera (docs/fallbacks.md, "WebView"). */
  declare webview: FaceSignWebView;
  /** The name your app's native code listens under (e.g. `facesign`): every facesign-* event is forwarded to it (docs/fallbacks.md, "The native bridge"). */
  declare nativeBridge: string | undefined;
  /** Features the frame is given on request beyond the camera's: `digital-credentials-get`, `publickey-credentials-get` (space-separated, or an array). */
  declare delegate: string | readonly FaceSignDelegation[] | undefined;

  readonly #session = new SessionController(this);
  readonly #modal = new ModalController(this);
  readonly #bridge = new NativeBridge(this); // eslint-disable-line no-unused-private-class-members -- it acts through its controller hooks
  /**
   * @internal What the end's cover offers: starting again (the element's own), or closing, for an element whose
   * result went to a promise that has settled (verify()): a new session there would report to no one.
   */
  afterEnd: 'restart' | 'close' = 'restart';

  /** `idle | loading | requiresInput | processing | complete | canceled | error` */
  get status(): FaceSignStatus {
    return this.#session.status;
  }

  /** Modal mode: opens the dialog (and starts the session). */
  show(): void {
    this.open = true;
  }

  /** Closes the verification: a running session ends with `facesign-cancel` (reason `closed`). */
  close(): void {
    this.#session.close('closed');
  }

  /**
   * Gets a new client secret now and hands it to the running session without reloading it. Resolves when done (at
   * once when no session is running); rejects with the FaceSignError that `facesign-error` also reported.
   */
  refreshSecret(): Promise<void> {
    return this.#session.refreshSecret();
  }

  /** Continues where the frame cannot verify (after `facesign-fallback`): `popup` (call it from a click), `redirect`, or `phone`. */
  continueIn(via: 'popup' | 'redirect' | 'phone'): void {
    const s = this.#session.session;
    if (s) return s.continueIn(via);
    this.log(`continueIn('${via}') ignored: no session`);
    if (__FACESIGN_DEV__)
      warnOnce('continueIn:none', `continueIn('${via}') does nothing: this element has no session (set clientSecret or fetchClientSecret first)`);
  }

  /** Loads the hosted page again with the same inputs (after an error, a timeout or a cancel). */
  retry(): void {
    this.#session.retry();
  }

  /**
   * The `client-secret` attribute is read once and removed (every script and session-replay tool reads attributes);
   * the value stays in memory. A recorder keeping old values still gets it, so development says to use the property.
   */
  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name !== 'client-secret') return super.attributeChangedCallback(name, old, value);
    if (value === null) return;
    if (__FACESIGN_DEV__)
      warnOnce(
        'secret-attribute',
        'the client-secret attribute put the secret in the DOM: it is removed at once, but a recorder that keeps old attribute values (session replay, MutationObserver attributeOldValue) still gets it; set the clientSecret property instead',
      );
    super.attributeChangedCallback(name, old, value);
    this.removeAttribute(name);
  }

  /** Also waits for the session to follow the last update (a start, a replacement) and what that renders. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.isUpdatePending || this.#session.pending) {
      await this.#session.settled;
      done = await super.getUpdateComplete();
    }
    return done;
  }

  /** @internal every input checked (throws the FaceSignError of the first bad one) */
  readInputs(): SessionInputs {
    return readInputs(this);
  }

  /** @internal the secret input alone, checked */
  readSecret(): ClientSecretInput {
    return readSecretInput(this, clock.now());
  }

  /** @internal read at each refresh */
  refreshSettings(): RefreshSettings {
    return readRefreshSettings(this);
  }

  /** @internal a cancelable facesign-close-request while the session runs; closes unless prevented. After the end, only `facesign-close` follows. */
  requestClose(source: FaceSignCloseSource): void {
    const ended = this.#session.session?.ended ?? true;
    if (ended || this.#session.events.ask('facesign-close-request', { source })) this.#session.close(source);
  }

  /** @internal the browser closed the dialog without a cancel event: still a user close */
  closedByBrowser(): void {
    this.#session.close('escape');
  }

  /** @internal */
  log(...args: unknown[]): void {
    if (this.debug) console.debug('[facesign-verify]', ...args);
  }

  /** @internal the hosted page's height: CSSOM, not a style attribute, so a strict CSP allows it */
  resizeFrame(height?: number): void {
    const box = this.renderRoot.querySelector<HTMLElement>('.box')?.style;
    if (height === undefined) box?.removeProperty('--_h');
    else box?.setProperty('--_h', `${Math.ceil(height)}px`);
  }

  /** @internal the texts for this element's language: `lang`, then the page's `<html lang>`, then English */
  texts(): FaceSignStrings {
    return this.#texts.get();
  }
  readonly #texts = new ElementTexts(this, (title) => this.#session.session?.surface?.retitle(title));

  protected override render(): TemplateResult {
    const session = this.#session;
    const t = this.texts();
    const phase = session.session?.phase.name;
    // the iframes are not in the template: the session puts them in the box, and never moves them
    const look = { scheme: lookOf(this.appearance).colorScheme ?? 'light', dir: isRtl(this.#texts.lang()) ? ('rtl' as const) : ('ltr' as const) };
    const box = html`<div part="box" class="box" data-scheme=${look.scheme} dir=${look.dir} aria-busy=${this.status === 'loading' && busy(phase)}>${
      missingSecretHint(this) ?? renderCover(session.session, t, coverActions(this, session, t, this.#texts.lang()), this.#texts.lang())
    }</div>`;
    // a frame still in the box keeps it rendered, in the mode it was made in, until its page handled `close`
    const mode = session.heldMode ?? this.mode;
    return mode === 'modal' ? this.#modal.render(this.open || session.holdsBox ? box : nothing, t, look) : box;
  }

  protected override updated(): void {
    wear(this.renderRoot.querySelectorAll<HTMLElement>('.box, dialog'), this.appearance, () => lookOf(this.appearance));
    // the handoff's screens bring their own sheet, with their module (on demand)
    const sheet = handoffNow()?.handoffStyles.styleSheet;
    const root = this.renderRoot as ShadowRoot;
    if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}
