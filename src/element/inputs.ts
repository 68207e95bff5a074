/**
 * The element's inputs read as one checked whole, before anything is created: the secret, the hosted page's URL
 * and origin, mode, lang, and the refresh settings (read again at each refresh, so a page can change them).
 */
import { readSecret, type ClientSecret, type FetchClientSecret } from './client-secret.js';
import { clock } from './clock.js';
import {
  DEFAULTS,
  DEFAULT_VERIFY_URL,
  checkFunction,
  checkLang,
  checkMode,
  checkRefreshUrl,
  checkSeconds,
  checkSetting,
  verifyOrigin,
} from './options.js';
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
  loadTimeout: unknown;
  refreshTimeout: unknown;
  refreshRetries: unknown;
  refreshRetryDelay: unknown;
}

/** The host's secret input, with `expires-at` for the string form. */
export function readSecretInput(el: ElementInputs, now: number): ClientSecret {
  const s = readSecret(el.clientSecret, 'invalid_client_secret', now);
  return { ...s, expireAt: s.expireAt ?? (checkSeconds('expiresAt', el.expiresAt) || undefined) };
}

/** Every input checked; throws the FaceSignError of the first bad one. */
export function readInputs(el: ElementInputs): SessionInputs {
  const secret = readSecretInput(el, clock.now());
  // the object form's url gives the hosted page when verify-url was left at its default
  const url = el.verifyUrl === DEFAULT_VERIFY_URL && secret.url ? secret.url : el.verifyUrl;
  const origin = verifyOrigin(url);
  const mode = checkMode(el.mode);
  const lang = checkLang(el.lang);
  const loadTimeout = checkSetting('loadTimeout', el.loadTimeout);
  readRefreshSettings(el);
  return { secret, base: String(url), origin, mode, lang, loadTimeout };
}

export function readRefreshSettings(el: ElementInputs): RefreshSettings {
  return {
    fetchClientSecret: checkFunction<FetchClientSecret>('fetchClientSecret', el.fetchClientSecret),
    refreshUrl: checkRefreshUrl(el.refreshUrl),
    margin: checkSeconds('refreshMargin', el.refreshMargin) ?? DEFAULTS.refreshMargin,
    timeout: checkSetting('refreshTimeout', el.refreshTimeout),
    retries: checkSetting('refreshRetries', el.refreshRetries, true),
    retryDelay: checkSetting('refreshRetryDelay', el.refreshRetryDelay),
  };
}
