/**
 * The promise API: `verify(options)` opens the flow (a modal by default), resolves with how it ended, and removes
 * the element it created. For pages that want one call instead of an element and its events.
 */
import type { FaceSignVerifyElement } from '../element/facesign-verify.js';
import { FaceSignError } from '../protocol/errors.js';
import { checkMode, kind, type FaceSignDelegation, type FaceSignMode, type FaceSignWebView } from '../element/options.js';
import type { ClientSecretInput, FetchClientSecret } from '../base/client-secret.js';
import type { FaceSignFallback } from '../surfaces/fallback.js';
import type { FaceSignStringsByLang } from '../element/strings.js';
import { end } from '../base/lifetime.js';

/** Every setting the element takes, as properties. */
export interface VerifySettings {
  refreshUrl?: string;
  refreshMargin?: number;
  /** unix seconds; `expiresAt`, its old name, is accepted until 1.0 */
  expireAt?: number;
  lang?: string;
  verifyUrl?: string;
  debug?: boolean;
  loadTimeout?: number;
  refreshTimeout?: number;
  refreshRetries?: number;
  refreshRetryDelay?: number;
  /** the refresh-url request's cookies: `same-origin` (default), `include` or `omit` */
  refreshCredentials?: RequestCredentials;
  /** where the frame cannot verify: `auto` (default), `popup`, `redirect` or `none` */
  fallback?: FaceSignFallback;
  /** where a redirect fallback comes back to (this origin; default: this page) */
  returnUrl?: string;
  /** `refuse` (default) or `own-app`: this page runs in your own app's WebView, which grants the camera */
  webview?: FaceSignWebView;
  /** the name your app's native code listens under: every facesign-* event is forwarded to it */
  nativeBridge?: string;
  /** features the frame is given on request: `digital-credentials-get`, `publickey-credentials-get` */
  delegate?: string | readonly FaceSignDelegation[];
  /** the element's texts, replaced or in another language */
  strings?: FaceSignStringsByLang;
  /** `modal` (default) or `inline` (then `container` receives the element) */
  mode?: FaceSignMode;
  /** where an inline element goes, in the document: an element or a shadow root (default: document.body) */
  container?: Element | ShadowRoot;
  /** aborting closes the verification (one terminal `facesign-cancel`) and rejects with an `AbortError` */
  signal?: AbortSignal;
}

/** A client secret, or `fetchClientSecret` to get the first one (and the next ones), or both. */
export type VerifyOptions = VerifySettings &
  (
    | { clientSecret: string | ClientSecretInput; fetchClientSecret?: FetchClientSecret }
    | { clientSecret?: string | ClientSecretInput; fetchClientSecret: FetchClientSecret }
  );

/** How the flow ended. `complete` still needs confirming on your server (webhook or GET /sessions/:id). */
export type VerifyResult = { status: 'complete'; sessionId: string } | { status: 'canceled'; reason: string };

const NOT_PROPERTIES = ['mode', 'container', 'signal'];
/** the verification whose promise has not settled yet */
let open: FaceSignVerifyElement | undefined;
/** the element of the last verify() until it closes (it may show the hosted page's end screen after settling) */
let shown: FaceSignVerifyElement | undefined;

/** verify()'s options, checked: where the element goes, what ends it early, and what it is given. */
interface Checked {
  mode: FaceSignMode;
  /** where the element goes when inline */
  container: ParentNode;
  signal: AbortSignal | undefined;
  /** the element's properties, read once (the element checks their values itself) */
  properties: [string, unknown][];
}

/** The signal's reason when it is an AbortError (the default reason is), else a plain one. */
const aborted = (signal: AbortSignal): Error =>
  signal.reason instanceof Error && signal.reason.name === 'AbortError' ? signal.reason : new DOMException('verify() was aborted', 'AbortError');

const invalid = (message: string) => new FaceSignError('invalid_option', message);

/** An AbortSignal: anything else would throw only once the element exists, too late to leave nothing behind. */
function checkSignal(v: unknown): AbortSignal | undefined {
  if (v === undefined || v === null || v instanceof AbortSignal) return v ?? undefined;
  // the usual mistake: the controller itself
  throw invalid(
    `signal must be an AbortSignal${__FACESIGN_DEV__ ? ' (controller.signal)' : ''}, got ${v instanceof AbortController ? 'an AbortController' : kind(v)}`,
  );
}

/**
 * Where an inline element goes: an element or a shadow root, in the document. Outside it the element would never
 * connect, so never start and never settle. A modal goes on the body and ignores it.
 */
function checkContainer(v: unknown, inline: boolean): ParentNode {
  if (v === undefined || v === null) return document.body;
  if (!(v instanceof Element || v instanceof ShadowRoot)) throw invalid(`container must be an element or a shadow root, got ${kind(v)}`);
  if (inline && !v.isConnected)
    throw invalid(
      `container must be in the document${__FACESIGN_DEV__ ? ': append it before calling verify(), or leave container out for document.body' : ''}`,
    );
  return v;
}

/** Every option checked before anything opens; throws the FaceSignError of the first bad one. */
function checkOptions(options: VerifyOptions, cls: typeof FaceSignVerifyElement): Checked {
  if (typeof options !== 'object' || options === null) throw invalid('verify() takes an options object');
  const entries = Object.entries(options);
  // every property the element declares, and nothing else: a misspelt option is an error, not a silent default
  const unknown = entries.find(([k]) => !NOT_PROPERTIES.includes(k) && !cls.elementProperties.has(k));
  if (unknown) throw invalid(`verify() has no option "${unknown[0]}"`);
  if (options.clientSecret == null && options.fetchClientSecret == null)
    throw new FaceSignError(
      'invalid_client_secret',
      `verify() needs clientSecret${__FACESIGN_DEV__ ? ' (clientSecret.secret from your server)' : ''} or fetchClientSecret`,
    );
  // checked here, not by the element, so that a bad one leaves no element behind
  const mode = checkMode(options.mode ?? 'modal');
  return {
    mode,
    container: checkContainer(options.container, mode === 'inline'),
    signal: checkSignal(options.signal),
    properties: entries.filter(([k, v]) => !NOT_PROPERTIES.includes(k) && v !== undefined),
  };
}

/**
 * Opens a verification. Resolves `{ status: 'complete', sessionId }` or `{ status: 'canceled', reason }`; rejects
 * with a FaceSignError on a non-recoverable error (bad options included), or an `AbortError` when `signal` aborts.
 * One at a time: a second call while one is open rejects with `already_open`.
 */
export function verify(options: VerifyOptions): Promise<VerifyResult> {
  const cls = typeof document !== 'undefined' ? (customElements.get('facesign-verify') as typeof FaceSignVerifyElement | undefined) : undefined;
  if (!cls)
    return Promise.reject(
      new FaceSignError(
        'unsupported_environment',
        `verify() needs <facesign-verify> registered${__FACESIGN_DEV__ ? ' in a browser page (import "@facesign/verify")' : ''}`,
      ),
    );
  let checked: Checked;
  try {
    checked = checkOptions(options, cls);
  } catch (e) {
    // before the lock is taken: a bad option (or a page's getter that throws) never blocks a later call
    return Promise.reject(e);
  }
  const { signal } = checked;
  if (signal?.aborted) return Promise.reject(aborted(signal));
  if (open)
    return Promise.reject(
      new FaceSignError(
        'already_open',
        `a verification is already open${__FACESIGN_DEV__ ? ': wait for its promise to settle before calling verify() again' : ''}`,
      ),
    );
  return run(checked);
}

/**
 * The checked verification, from its element to its end. Holds the lock (`open`) until its promise settles:
 * checked options cannot make it throw on the way, which would keep the lock for the page's life.
 */
function run({ mode, container, signal, properties }: Checked): Promise<VerifyResult> {
  closeLast();
  const el = (open = shown = document.createElement('facesign-verify'));
  for (const [k, v] of properties) (el as unknown as Record<string, unknown>)[k] = v;
  el.mode = mode;
  // the promise settles at the terminal event: a new session started from the end's cover would report to no one,
  // so that cover closes instead (a Try again before the end continues the same verification, in place)
  el.afterEnd = 'close';
  removeOnClose(el);
  return new Promise<VerifyResult>((resolve, reject) => {
    // owns the listeners that settle the promise: ended with it
    const ended = new AbortController();
    const settle = (done: () => void) => {
      if (open === el) open = undefined;
      end(ended);
      done();
    };
    const on = <K extends keyof HTMLElementEventMap>(type: K, f: (e: HTMLElementEventMap[K]) => void) =>
      el.addEventListener(type, f, { signal: ended.signal });
    on('facesign-complete', (e) => settle(() => resolve({ status: 'complete', sessionId: e.detail.sessionId })));
    on('facesign-cancel', (e) => settle(() => resolve({ status: 'canceled', reason: e.detail.reason })));
    on('facesign-error', (e) => e.detail.recoverable || settle(() => reject(FaceSignError.from(e.detail))));
    // an abort closes it (its facesign-cancel is the one terminal event), and the promise rejects instead
    signal?.addEventListener('abort', () => (settle(() => reject(aborted(signal))), el.close()), { signal: ended.signal });
    (mode === 'inline' ? container : document.body).append(el);
    if (mode === 'modal') el.show();
  });
}

/**
 * The last verify() settled but may still show its end screen: a new one replaces it, at once (its session has
 * ended, so there is no `close` for its page to act on). Never two modals.
 */
function closeLast(): void {
  const last = shown;
  last?.close();
  last?.remove();
}

/** Closed: removed a moment later, so a closed hosted page can still act on `close`. */
function removeOnClose(el: FaceSignVerifyElement): void {
  // owns the close listener: ended by the close itself
  const stop = new AbortController();
  el.addEventListener(
    'facesign-close',
    () => {
      end(stop);
      if (shown === el) shown = undefined;
      if (open === el) open = undefined;
      setTimeout(() => el.remove(), 1000);
    },
    { signal: stop.signal },
  );
}
