/**
 * The element's inputs read as one checked whole, before anything is created: the secret, the hosted page's URL
 * and origin, mode, lang, and the refresh settings (read again at each refresh, so a page can change them).
 */
import { readSecret, type ClientSecret, type FetchClientSecret } from './client-secret.js';
import { DEFAULTS, DEFAULT_VERIFY_URL, checkFunction, checkLang, checkMode, checkRefreshUrl, checkSeconds, verifyOrigin } from './options.js';
import type { RefreshSettings } from './secret-lifecycle.js';
import type { SessionInputs } from './session.js';

/** The element's properties, as a page may have set them (anything), and its static settings. */
export interface ElementInputs {
  clientSecret: unknown;
  expiresAt: unknown;
  refreshUrl: unknown;
  refreshMargin: unknown;
  fetchClientSecret: unknown;
  mode: unknown;
  verifyUrl: unknown;
  lang: unknown;
}
export interface ElementSettings {
  refreshTimeout: number;
  refreshRetries: number;
  refreshRetryDelay: number;
  now(): number;
}

/** The host's secret input, with `expires-at` for the string form. */
export function readSecretInput(el: ElementInputs, now: number): ClientSecret {
  const s = readSecret(el.clientSecret, 'invalid_client_secret', now);
  return { ...s, expireAt: s.expireAt ?? (checkSeconds('expiresAt', el.expiresAt) || undefined) };
}

/** Every input checked; throws the FaceSignError of the first bad one. */
export function readInputs(el: ElementInputs, settings: ElementSettings): SessionInputs {
  const secret = readSecretInput(el, settings.now());
  // the object form's url gives the hosted page when verify-url was left at its default
  const url = el.verifyUrl === DEFAULT_VERIFY_URL && secret.url ? secret.url : el.verifyUrl;
  const origin = verifyOrigin(url);
  const mode = checkMode(el.mode);
  const lang = checkLang(el.lang);
  readRefreshSettings(el, settings);
  return { secret, base: String(url), origin, mode, lang };
}

export function readRefreshSettings(el: ElementInputs, settings: ElementSettings): RefreshSettings {
  return {
    fetchClientSecret: checkFunction<FetchClientSecret>('fetchClientSecret', el.fetchClientSecret),
    refreshUrl: checkRefreshUrl(el.refreshUrl),
    margin: checkSeconds('refreshMargin', el.refreshMargin) ?? DEFAULTS.refreshMargin,
    timeout: settings.refreshTimeout,
    retries: settings.refreshRetries,
    retryDelay: settings.refreshRetryDelay,
  };
}
