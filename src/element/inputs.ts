/**
 * The element's inputs read as one checked whole, before anything is created: the secret, the hosted page's URL
 * and origin, mode, lang, and the refresh settings (read again at each refresh, so a page can change them).
 */
import { resumeFor } from './resume-memory.js';
import { readSecret, type ClientSecretInput, type FetchClientSecret } from '../base/client-secret.js';
import { clock } from '../base/clock.js';
import {
  DEFAULTS,
  DEFAULT_VERIFY_URL,
  checkFunction,
  checkLang,
  checkFallback,
  checkCrossDevice,
  checkMode,
  checkOneOf,
  CREDENTIALS,
  checkRefreshUrl,
  checkReturnUrl,
  checkSeconds,
  checkSetting,
  checkWebView,
  checkDelegate,
  checkBridgeName,
  verifyOrigin,
} from './options.js';
import type { RefreshSettings } from '../session/refresh-settings.js';
import { warnOnce } from '../base/warn-once.js';
import type { SessionInputs } from '../session/host.js';
import { appearanceJson, checkAppearance } from './appearance.js';
import { withReadable } from './contrast.js';

/** The element's properties, as a page may have set them (anything), and its static settings. */
export interface ElementInputs {
  clientSecret: unknown;
  expireAt: unknown;
  refreshUrl: unknown;
  refreshMargin: unknown;
  fetchClientSecret: unknown;
  mode: unknown;
  verifyUrl: unknown;
  lang: unknown;
  fallback: unknown;
  crossDevice: unknown;
  returnUrl: unknown;
  loadTimeout: unknown;
  refreshTimeout: unknown;
  refreshRetries: unknown;
  refreshRetryDelay: unknown;
  refreshCredentials: unknown;
  appearance: unknown;
  webview: unknown;
  delegate: unknown;
  nativeBridge: unknown;
  readonly id: string;
  readonly isConnected: boolean;
}

/** The host's secret input, with `expire-at` for the string form. */
export function readSecretInput(el: ElementInputs, now: number): ClientSecretInput {
  const s = readSecret(el.clientSecret, 'invalid_client_secret', now);
  return { ...s, expireAt: s.expireAt ?? (checkSeconds('expireAt', el.expireAt) || undefined) };
}

/** The hosted page's URL and exact origin: `verifyUrl`, or the secret object's `url` when verifyUrl is the default. */
export function hostedPage(verifyUrl: unknown, secret: ClientSecretInput | undefined): { base: string; origin: string } {
  const url = verifyUrl === DEFAULT_VERIFY_URL && secret?.url ? secret.url : verifyUrl;
  return { origin: verifyOrigin(url), base: String(url) };
}

/**
 * Every input checked; throws the FaceSignError of the first bad one. With `fetchClientSecret` and no
 * `clientSecret`, the secret (and, at the default verifyUrl, the hosted page's origin from its `url`) comes later.
 */
export function readInputs(el: ElementInputs): SessionInputs {
  const refresh = readRefreshSettings(el);
  const given = el.clientSecret;
  const fetchFirst = (given === undefined || given === null || given === '') && !!refresh.fetchClientSecret;
  const secret = fetchFirst ? undefined : readSecretInput(el, clock.now());
  const verifyUrl = el.verifyUrl;
  // checked now when it can be (an explicit verifyUrl, or a known secret), and kept: the start parses it no more
  const known = secret || verifyUrl !== DEFAULT_VERIFY_URL ? hostedPage(verifyUrl, secret) : undefined;
  const returnUrl = checkFallback(el.fallback) && checkCrossDevice(el.crossDevice) && checkReturnUrl(el.returnUrl);
  if (__FACESIGN_DEV__ && returnUrl && el.fallback === 'none') warnOnce('return-unused', 'returnUrl is set but fallback="none" never redirects');
  // the element's bridge (native-bridge.ts) reads it at each event; a bad name stops the start as any other option does
  checkBridgeName(el.nativeBridge);
  return {
    secret,
    // the first secret's, as checked; another (fetched) secret may bring its own `url`
    hostedPage: (s) => (s === secret && known) || hostedPage(verifyUrl, s),
    mode: checkMode(el.mode),
    lang: checkLang(el.lang),
    loadTimeout: checkSetting('loadTimeout', el.loadTimeout, 'timeout'),
    // read again where the frame cannot verify: a page may change it during the session
    fallback: () => checkFallback(el.fallback),
    returnUrl,
    // fetchClientSecret alone: the session this element ran in this tab, for the merchant's backend to continue
    resumeFrom: fetchFirst ? resumeFor(el) : undefined,
    appearance: appearanceJson(withReadable(checkAppearance(el.appearance))),
    webview: checkWebView(el.webview),
    delegate: checkDelegate(el.delegate),
    // read again where the phone would be offered: a page may change it during the session
    crossDevice: () => checkCrossDevice(el.crossDevice),
  };
}

export function readRefreshSettings(el: ElementInputs): RefreshSettings {
  const fetchClientSecret = checkFunction<FetchClientSecret>('fetchClientSecret', el.fetchClientSecret);
  const refreshUrl = checkRefreshUrl(el.refreshUrl);
  if (__FACESIGN_DEV__ && fetchClientSecret && refreshUrl)
    warnOnce('both-refresh', 'fetchClientSecret and refreshUrl are both set: fetchClientSecret is used, refreshUrl never is; set one');
  return {
    fetchClientSecret,
    refreshUrl,
    margin: checkSeconds('refreshMargin', el.refreshMargin) ?? DEFAULTS.refreshMargin,
    timeout: checkSetting('refreshTimeout', el.refreshTimeout, 'timeout'),
    retries: checkSetting('refreshRetries', el.refreshRetries, 'count'),
    retryDelay: checkSetting('refreshRetryDelay', el.refreshRetryDelay, 'delay'),
    credentials: checkOneOf('refreshCredentials', CREDENTIALS, el.refreshCredentials),
  };
}

/** The secret the host gave, for telling a new one from a re-render: the object form by its `secret`. */
export function givenSecret(v: unknown): unknown {
  try {
    return v && typeof v === 'object' ? (v as { secret?: unknown }).secret : v;
  } catch {
    // a throwing getter: compare the object itself; the session start reports it
    return v;
  }
}
