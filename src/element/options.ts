/**
 * The element's inputs, checked. A page can assign anything to a property (a number, an object whose getter or
 * `toString` throws, a Symbol, a Proxy): every checker here either returns a valid value or throws a
 * `FaceSignError` with the property's stable code and a message naming the property and what it expects. They
 * only use `typeof`, comparisons and `isURL`, which no value can make throw.
 */
import { FaceSignError, type FaceSignErrorCode } from '../protocol/errors.js';
import { FALLBACKS, type FaceSignFallback } from '../surfaces/fallback.js';
import { kind } from '../base/client-secret.js';
import { WEBVIEWS, type FaceSignWebView } from '../surfaces/obstacles.js';
import { CROSS_DEVICES, type FaceSignCrossDevice } from '../surfaces/handoff.js';
import { DELEGATIONS, type FaceSignDelegation } from '../surfaces/delegation.js';

export { checkClientSecret, kind } from '../base/client-secret.js';

import type { FaceSignMode } from '../session/host.js';

export type { FaceSignMode } from '../session/host.js';
export type { FaceSignFallback } from '../surfaces/fallback.js';
export type { FaceSignWebView } from '../surfaces/obstacles.js';
export type { FaceSignCrossDevice } from '../surfaces/handoff.js';
export type { FaceSignDelegation } from '../surfaces/delegation.js';
export const MODES: readonly FaceSignMode[] = ['inline', 'modal'];
export const DEFAULT_VERIFY_URL = 'https://verify.facesign.ai/';
/** How the refresh request carries the page's cookies: `include` for an endpoint on another subdomain. */
export const CREDENTIALS: readonly RequestCredentials[] = ['same-origin', 'include', 'omit'];

/** Values the element's properties read back while unset (or set to `undefined` / `null`). */
export const DEFAULTS = {
  mode: 'inline' as FaceSignMode,
  open: false,
  verifyUrl: DEFAULT_VERIFY_URL,
  lang: '',
  debug: false,
  refreshMargin: 60,
  loadTimeout: 20_000,
  refreshTimeout: 10_000,
  refreshRetries: 3,
  refreshRetryDelay: 1000,
  fallback: 'auto' as FaceSignFallback,
  crossDevice: 'auto' as FaceSignCrossDevice,
  refreshCredentials: 'same-origin' as RequestCredentials,
  webview: 'refuse' as FaceSignWebView,
};

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

const fail = (code: FaceSignErrorCode, message: string): never => {
  throw new FaceSignError(code, message);
};

/** A URL object; false for anything else, a Proxy whose traps throw included (`instanceof` runs them). */
function isURL(v: unknown): v is URL {
  try {
    return v instanceof URL;
  } catch {
    return false;
  }
}

/**
 * What a URL's scheme was, for messages: a well-known one by name, anything else not (a value with a ":" parses as
 * a URL whose "scheme" is all that comes before it, and a client secret may hold a ":").
 */
const schemeOf = (u: URL) => (/^(https?|ftp|file|data|javascript):$/.test(u.protocol) ? u.protocol : 'another scheme');

/** The exact origin of the hosted page, from `verifyUrl` (a string or a URL): https, or http on loopback. */
export function verifyOrigin(url: unknown, name = 'verifyUrl'): string {
  const bad = (why: string) => fail(name === 'verifyUrl' ? 'invalid_verify_url' : 'invalid_option', `${name} ${why}`);
  if (typeof url !== 'string' && !isURL(url)) return bad(`must be a URL string, got ${kind(url)}`);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed) return bad('must be an absolute URL');
  if (parsed.username || parsed.password) bad('must not contain credentials');
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname)))
    bad(`must be https:${__FACESIGN_DEV__ ? ' (http: only on localhost, 127.x or [::1])' : ''}, got ${schemeOf(parsed)}`);
  return parsed.origin;
}

/** `refreshUrl`: same-origin (relative is fine), or https, or http on loopback; the secret is POSTed there. */
export function checkRefreshUrl(url: unknown): string | undefined {
  if (url === undefined || url === null || url === '') return undefined;
  const bad = () =>
    fail(
      'invalid_option',
      __FACESIGN_DEV__ ? 'refreshUrl must be a same-origin path or an https: URL (http: only on loopback)' : 'refreshUrl is not allowed',
    );
  if (typeof url !== 'string' && !isURL(url)) return bad();
  let u: URL | undefined;
  try {
    u = new URL(url, location.href);
  } catch {
    // reported below
  }
  if (!u || !(u.origin === location.origin || u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname)))) return bad();
  return u.href;
}

/**
 * `returnUrl`: where a redirect comes back to, checked like verifyUrl (https, or http on loopback; no
 * credentials) and on this page's origin: the return is bound to this tab's sessionStorage, which only this
 * origin can read.
 */
export function checkReturnUrl(url: unknown): string | undefined {
  if (url === undefined || url === null || url === '') return undefined;
  const bad = (why: string) => fail('invalid_option', `returnUrl ${why}`);
  if (typeof url !== 'string' && !isURL(url)) return bad(`must be a URL string, got ${kind(url)}`);
  let u: URL | undefined;
  try {
    u = new URL(url, location.href);
  } catch {
    // reported below
  }
  if (!u) return bad('must be a URL');
  verifyOrigin(u.href, 'returnUrl');
  if (u.origin !== location.origin)
    bad(`must be on this page's origin${__FACESIGN_DEV__ ? ` (${location.origin}): the redirect's result is bound to this tab's storage` : ''}`);
  return u.href;
}

/**
 * One of a list of words (`mode`, `fallback`, `refreshCredentials`). The message lists them and says what it got
 * by its kind and length only: a value in the wrong place may be a secret (a client secret set as `mode`).
 */
export function checkOneOf<T>(name: string, values: readonly T[], v: unknown): T {
  if (!values.includes(v as T))
    fail(
      'invalid_option',
      `${name} must be one of ${values.join(', ')}, got ${typeof v === 'string' ? `a string of ${v.length} characters` : kind(v)}`,
    );
  return v as T;
}

export const checkFallback = (v: unknown): FaceSignFallback => checkOneOf('fallback', FALLBACKS, v);

export const checkCrossDevice = (v: unknown): FaceSignCrossDevice => checkOneOf('crossDevice', CROSS_DEVICES, v);

export const checkMode = (v: unknown): FaceSignMode => checkOneOf('mode', MODES, v);

/** An empty lang lets the hosted page choose (the session's defaultLang). */
export function checkLang(lang: unknown): string {
  if (lang === '' || lang == null) return '';
  const bad = () => fail('invalid_option', __FACESIGN_DEV__ ? 'lang must be a BCP 47 tag such as "en" or "pt-BR"' : 'lang must be a BCP 47 tag');
  if (typeof lang !== 'string') return bad();
  try {
    return Intl.getCanonicalLocales(lang)[0]!;
  } catch {
    return bad();
  }
}

/** A number of seconds (`expireAt`, `refreshMargin`); undefined when unset. */
export function checkSeconds(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    fail(
      'invalid_option',
      `${name} must be a number of seconds${__FACESIGN_DEV__ ? ' (0 or more)' : ''}, got ${typeof v === 'number' ? v : kind(v)}`,
    );
  return v as number;
}

/**
 * A setting in milliseconds or a count: a finite number. A timeout (`loadTimeout`, `refreshTimeout`) is more than
 * 0: at 0 every load or attempt would time out at once. A delay (`refreshRetryDelay`) or a count
 * (`refreshRetries`, whole) may be 0: no wait, no retry.
 */
export function checkSetting(name: string, v: unknown, as: 'timeout' | 'delay' | 'count'): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (as === 'timeout' ? v > 0 : v >= 0) && (as !== 'count' || Number.isInteger(v));
  if (!ok)
    fail(
      'invalid_option',
      `${name} must be ${as === 'count' ? 'a whole number' : 'a number of milliseconds'}${as === 'timeout' ? ' more than 0' : ', 0 or more'}, got ${typeof v === 'number' ? v : kind(v)}`,
    );
  return v as number;
}

/** An optional function property (`fetchClientSecret`). */
export function checkFunction<T>(name: string, v: unknown): T | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'function') fail('invalid_option', `${name} must be a function, got ${kind(v)}`);
  return v as T;
}

/** What a word-valued setting was given, for its message: never the value itself (a page may put anything there). */
const given = (v: unknown) => (typeof v === 'string' ? 'another word' : kind(v));

/** `webview`: whether a WebView here is the merchant's own app's. */
export function checkWebView(v: unknown): FaceSignWebView {
  if (!WEBVIEWS.includes(v as FaceSignWebView)) fail('invalid_option', `webview must be "refuse" (the default) or "own-app", got ${given(v)}`);
  return v as FaceSignWebView;
}

/** `delegate`: features for the frame beyond the camera's, space-separated or an array; none by default. */
export function checkDelegate(v: unknown): FaceSignDelegation[] {
  if (v === undefined || v === null || v === '') return [];
  let tokens: unknown[] | undefined;
  try {
    tokens = typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : Array.isArray(v) ? [...(v as unknown[])] : undefined;
  } catch {
    // reported below
  }
  if (!tokens?.every((t) => DELEGATIONS.includes(t as FaceSignDelegation)))
    fail('invalid_option', `delegate must name ${DELEGATIONS.join(' and/or ')} (space-separated, or an array), got ${given(v)}`);
  return [...new Set(tokens as FaceSignDelegation[])];
}

/** `nativeBridge`: the name the app's native code listens under; unset: nothing is forwarded. */
export function checkBridgeName(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !/^[A-Za-z_$][\w$]{0,63}$/.test(v))
    fail(
      'invalid_option',
      `nativeBridge must be the name your app's native code listens under, such as "facesign"${__FACESIGN_DEV__ ? ' (letters, digits, _ or $, not starting with a digit)' : ''}, got ${given(v)}`,
    );
  return v as string;
}
