import { FaceSignError } from './errors.js';

export type FaceSignMode = 'inline' | 'modal';
export const MODES: readonly FaceSignMode[] = ['inline', 'modal'];
export const DEFAULT_VERIFY_URL = 'https://verify.facesign.ai/';

const SECRET_MIN = 8;
const SECRET_MAX = 512;
const SECRET_CHARS = /^[A-Za-z0-9_\-.~+/=:]+$/;

/**
 * Checks a client secret and throws `invalid_client_secret` saying what is wrong.
 * The message never repeats the secret: it may end up in logs.
 */
export function checkClientSecret(secret: unknown): string {
  const fail = (why: string) => {
    throw new FaceSignError('invalid_client_secret', `client-secret ${why}`);
  };
  if (typeof secret !== 'string' || !secret) return fail('is missing: pass clientSecret.secret from your server');
  if (/\s/.test(secret)) fail('contains whitespace');
  // a secret API key must never reach a browser
  if (/^sk_/.test(secret)) fail('is an API key (sk_…): use the session clientSecret.secret, keep sk_ keys on your server');
  if (/^\w+:\/\//.test(secret)) fail('is a URL: pass clientSecret.secret');
  if (secret.length < SECRET_MIN || secret.length > SECRET_MAX) fail(`must be ${SECRET_MIN} to ${SECRET_MAX} characters`);
  if (!SECRET_CHARS.test(secret)) fail('has characters outside A-Z a-z 0-9 _-.~+/=:');
  return secret;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** The exact origin of the hosted page, from `verify-url`: https, or http on a loopback host only. */
export function verifyOrigin(url: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(String(url));
  } catch {
    // reported below
  }
  const fail = (why: string) => {
    throw new FaceSignError('invalid_verify_url', `verify-url ${why}`);
  };
  if (!parsed) return fail('must be an absolute URL');
  if (parsed.username || parsed.password) fail('must not contain credentials');
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname)))
    fail(`must be https: (http: only on localhost, 127.x or [::1]), got ${parsed.protocol}`);
  return parsed.origin;
}

/** `refresh-url`: same-origin (relative is fine), or https, or http on loopback; the secret is POSTed there. */
export function checkRefreshUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let u: URL | undefined;
  try {
    u = new URL(url, location.href);
  } catch {
    // reported below
  }
  if (!u || !(u.origin === location.origin || u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname))))
    throw new FaceSignError('invalid_option', 'refresh-url must be a same-origin path or an https: URL (http: only on loopback)');
  return u.href;
}

export function checkMode(mode: unknown): FaceSignMode {
  if (!MODES.includes(mode as FaceSignMode))
    throw new FaceSignError('invalid_option', `mode must be "inline" or "modal"`);
  return mode as FaceSignMode;
}

/** An empty lang lets the hosted page choose (the session's defaultLang). */
export function checkLang(lang: unknown): string {
  if (lang === '' || lang == null) return '';
  try {
    return Intl.getCanonicalLocales(String(lang))[0]!;
  } catch {
    throw new FaceSignError('invalid_option', 'lang must be a BCP 47 tag such as "en" or "pt-BR"');
  }
}

/** A random id for one channel; getRandomValues also works outside secure contexts. */
export const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
