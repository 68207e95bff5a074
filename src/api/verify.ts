/**
 * The promise API: `verify(options)` opens the flow (a modal by default), resolves with how it ended, and removes
 * the element it created. For pages that want one call instead of an element and its events.
 */
import type { FaceSignVerifyElement } from '../element/facesign-verify.js';
import { FaceSignError } from '../protocol/errors.js';
import type { FaceSignMode } from '../element/options.js';
import type { ClientSecret, FetchClientSecret } from '../base/client-secret.js';
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
  /** the element's texts, replaced or in another language */
  strings?: FaceSignStringsByLang;
  /** `modal` (default) or `inline` (then `container` receives the element) */
  mode?: FaceSignMode;
  /** where an inline element goes (default: document.body) */
  container?: Element;
  /** aborting closes the verification (one terminal `facesign-cancel`) and rejects with an `AbortError` */
  signal?: AbortSignal;
}

/** A client secret, or `fetchClientSecret` to get the first one (and the next ones), or both. */
export type VerifyOptions = VerifySettings &
  (
    | { clientSecret: string | ClientSecret; fetchClientSecret?: FetchClientSecret }
    | { clientSecret?: string | ClientSecret; fetchClientSecret: FetchClientSecret }
  );

/** How the flow ended. `complete` still needs confirming on your server (webhook or GET /sessions/:id). */
export type VerifyResult = { status: 'complete'; sessionId: string } | { status: 'canceled'; reason: string };

const NOT_PROPERTIES = ['mode', 'container', 'signal'];
/** the verification whose promise has not settled yet */
let open: FaceSignVerifyElement | undefined;
/** the element of the last verify() until it closes (it may show the hosted page's end screen after settling) */
let shown: FaceSignVerifyElement | undefined;

/** The signal's reason when it is an AbortError (the default reason is), else a plain one. */
const aborted = (signal: AbortSignal): Error =>
  signal.reason instanceof Error && signal.reason.name === 'AbortError' ? signal.reason : new DOMException('verify() was aborted', 'AbortError');

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
  if (typeof options !== 'object' || options === null) return Promise.reject(new FaceSignError('invalid_option', 'verify() takes an options object'));
  const { mode = 'modal', container, signal } = options;
  if (signal?.aborted) return Promise.reject(aborted(signal));
  // every property the element declares, and nothing else: a misspelt option is an error, not a silent default
  const unknown = Object.keys(options).find((k) => !NOT_PROPERTIES.includes(k) && !cls.elementProperties.has(k));
  if (unknown) return Promise.reject(new FaceSignError('invalid_option', `verify() has no option "${unknown}"`));
  if (options.clientSecret == null && options.fetchClientSecret == null)
    return Promise.reject(
      new FaceSignError(
        'invalid_client_secret',
        `verify() needs clientSecret${__FACESIGN_DEV__ ? ' (clientSecret.secret from your server)' : ''} or fetchClientSecret`,
      ),
    );
  if (open)
    return Promise.reject(
      new FaceSignError(
        'already_open',
        `a verification is already open${__FACESIGN_DEV__ ? ': wait for its promise to settle before calling verify() again' : ''}`,
      ),
    );
  // the last one settled but may still show its end screen: this one replaces it, at once (its session has ended,
  // so there is no `close` for its page to act on)
  const last = shown;
  last?.close();
  last?.remove();
  const el = (open = shown = document.createElement('facesign-verify'));
  for (const [k, v] of Object.entries(options)) if (!NOT_PROPERTIES.includes(k) && v !== undefined) (el as unknown as Record<string, unknown>)[k] = v;
  el.mode = mode;
  return new Promise<VerifyResult>((resolve, reject) => {
    const stop = new AbortController();
    // settled at the terminal event; the element stays (the hosted page's end screen) until it closes
    const settle = (done: () => void) => {
      if (open === el) open = undefined;
      end(ended);
      done();
    };
    const ended = new AbortController();
    // closed: removed a moment later, so a closed hosted page can still act on `close`
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
    const on = <K extends keyof HTMLElementEventMap>(type: K, f: (e: HTMLElementEventMap[K]) => void) =>
      el.addEventListener(type, f, { signal: ended.signal });
    on('facesign-complete', (e) => settle(() => resolve({ status: 'complete', sessionId: e.detail.sessionId })));
    on('facesign-cancel', (e) => settle(() => resolve({ status: 'canceled', reason: e.detail.reason })));
    on('facesign-error', (e) => e.detail.recoverable || settle(() => reject(FaceSignError.from(e.detail))));
    // an abort closes it (its facesign-cancel is the one terminal event), and the promise rejects instead
    signal?.addEventListener('abort', () => (settle(() => reject(aborted(signal))), el.close()), { signal: ended.signal });
    (mode === 'inline' ? (container ?? document.body) : document.body).append(el);
    if (mode === 'modal') el.show();
  });
}
