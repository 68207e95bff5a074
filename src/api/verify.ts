/**
 * The promise API: `verify(options)` opens the flow (a modal by default), resolves with how it ended, and removes
 * the element it created. For pages that want one call instead of an element and its events.
 */
import type { FaceSignVerifyElement } from '../element/facesign-verify.js';
import { FaceSignError } from '../protocol/errors.js';
import type { FaceSignMode } from '../element/options.js';
import type { ClientSecret, FetchClientSecret } from '../element/client-secret.js';

export interface VerifyOptions {
  /** `clientSecret.secret` from your server, or the whole `clientSecret` object */
  clientSecret: string | ClientSecret;
  fetchClientSecret?: FetchClientSecret;
  refreshUrl?: string;
  lang?: string;
  verifyUrl?: string;
  /** `modal` (default) or `inline` (then `container` receives the element) */
  mode?: FaceSignMode;
  /** where an inline element goes (default: document.body) */
  container?: Element;
  debug?: boolean;
}

/** How the flow ended. `complete` still needs confirming on your server (webhook or GET /sessions/:id). */
export type VerifyResult = { status: 'complete'; sessionId: string } | { status: 'canceled'; reason: string };

let open: FaceSignVerifyElement | undefined;

/**
 * Opens a verification. Resolves `{ status: 'complete', sessionId }` or `{ status: 'canceled', reason }`; rejects
 * with a FaceSignError on a non-recoverable error (bad options included). One at a time: a second call while one
 * is open rejects with `already_open`.
 */
export function verify(options: VerifyOptions): Promise<VerifyResult> {
  if (typeof document === 'undefined' || !customElements.get('facesign-verify'))
    return Promise.reject(
      new FaceSignError('unsupported_environment', 'verify() needs a browser page with <facesign-verify> registered (import "@facesign/verify")'),
    );
  if (open)
    return Promise.reject(
      new FaceSignError('already_open', 'a verification is already open: wait for its promise to settle before calling verify() again'),
    );
  const el = (open = document.createElement('facesign-verify'));
  const { clientSecret, fetchClientSecret, refreshUrl, lang, verifyUrl, mode = 'modal', container, debug } = options ?? ({} as VerifyOptions);
  Object.assign(
    el,
    { clientSecret, mode },
    fetchClientSecret && { fetchClientSecret },
    refreshUrl && { refreshUrl },
    lang && { lang },
    verifyUrl && { verifyUrl },
    debug && { debug },
  );
  return new Promise<VerifyResult>((resolve, reject) => {
    const stop = new AbortController();
    const settle = (done: () => void) => {
      stop.abort();
      open = undefined;
      done();
      // closed now; removed a moment later, so a closed hosted page can still act on `close`
      el.close();
      setTimeout(() => el.remove(), 1000);
    };
    const on = <K extends keyof HTMLElementEventMap>(type: K, f: (e: HTMLElementEventMap[K]) => void) =>
      el.addEventListener(type, f, { signal: stop.signal });
    on('facesign-complete', (e) => settle(() => resolve({ status: 'complete', sessionId: e.detail.sessionId })));
    on('facesign-cancel', (e) => settle(() => resolve({ status: 'canceled', reason: e.detail.reason })));
    on('facesign-error', (e) => e.detail.recoverable || settle(() => reject(FaceSignError.from(e.detail))));
    (mode === 'inline' ? (container ?? document.body) : document.body).append(el);
    if (mode === 'modal') el.show();
  });
}
