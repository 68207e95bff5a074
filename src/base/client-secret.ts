/**
 * The client secret as the host page gives it (a string, or the API's `clientSecret` object) and as a refresh
 * answers it, checked the same way for both.
 */
import { FaceSignError, type FaceSignErrorCode } from '../protocol/errors.js';

const SECRET_MIN = 8;
const SECRET_MAX = 512;
const SECRET_CHARS = /^[A-Za-z0-9_\-.~+/=:]+$/;
const fail = (message: string): never => {
  throw new FaceSignError('invalid_client_secret', message);
};

/** What a value is, for messages: never the value itself (it may be a secret). */
export const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * Checks a client secret and throws `invalid_client_secret` saying what is wrong.
 * The message never repeats the secret: it may end up in logs.
 */
export function checkClientSecret(secret: unknown): string {
  const bad = (why: string) => fail(`clientSecret ${why}`);
  if (secret === undefined || secret === null || secret === '')
    return bad(__FACESIGN_DEV__ ? 'is missing: pass clientSecret.secret from your server' : 'is missing');
  if (typeof secret !== 'string') return bad(`must be a string or { secret, expireAt, url }, got ${kind(secret)}`);
  if (/\s/.test(secret)) bad('contains whitespace');
  // a secret API key must never reach a browser
  if (/^sk_/.test(secret))
    bad(__FACESIGN_DEV__ ? 'is an API key (sk_…): use the session clientSecret.secret, keep sk_ keys on your server' : 'is an API key (sk_…)');
  if (/^\w+:\/\//.test(secret)) bad(__FACESIGN_DEV__ ? 'is a URL: pass clientSecret.secret' : 'is a URL');
  if (secret.length < SECRET_MIN || secret.length > SECRET_MAX) bad(`must be ${SECRET_MIN} to ${SECRET_MAX} characters`);
  if (!SECRET_CHARS.test(secret)) bad('has characters outside A-Z a-z 0-9 _-.~+/=:');
  return secret;
}

/** The API's `clientSecret` object, as `POST /sessions` and a secret refresh return it (unix seconds). */
export interface ClientSecret {
  secret: string;
  createdAt: number;
  expireAt: number;
  /** the hosted verify page with this secret (the element takes its origin from it when `verify-url` is not set) */
  url: string;
}
/** A client secret as the element takes it: the API's whole object, or any part of it with its `secret`. */
export type ClientSecretInput = Pick<ClientSecret, 'secret'> & Partial<ClientSecret>;

/**
 * Your function that asks your server for a new client secret (your server calls FaceSign's refresh endpoint).
 * `signal` aborts when the attempt times out or the session ends: pass it to `fetch`, so an abandoned request
 * cannot kill the secret a later attempt obtained.
 */
/**
 * Gets a client secret: for `sessionId` (a refresh, or a page continuing the session it ran: resolve `null` to
 * decline, and it is asked again without one), or, without one, for a new session.
 */
export type FetchClientSecret = (context: { sessionId?: string; signal: AbortSignal }) => Promise<string | ClientSecretInput | null>;

/**
 * A secret given as a string or as the API's object, checked. `code` names the error for a bad one:
 * `invalid_client_secret` for the host's input, `invalid_refresh_response` for a refresh answer.
 */
export function readSecret(input: unknown, code: FaceSignErrorCode, now: number): ClientSecretInput {
  const bad = (why: string) => new FaceSignError(code, why, code !== 'invalid_client_secret');
  const name = code === 'invalid_client_secret' ? 'clientSecret' : 'the refreshed clientSecret';
  let s: ClientSecretInput;
  try {
    if (typeof input === 'string') s = { secret: input };
    else if (input && typeof input === 'object' && 'secret' in input) {
      const o = input as Record<string, unknown>;
      const { secret, expireAt, url } = o;
      if (expireAt !== undefined && (typeof expireAt !== 'number' || !Number.isFinite(expireAt))) throw bad(`${name}.expireAt must be unix seconds`);
      if (url !== undefined && typeof url !== 'string') throw bad(`${name}.url must be a string`);
      s = { secret: secret as string, expireAt: expireAt as number | undefined, url: url as string | undefined };
    } else if (input === undefined || input === null || input === '') {
      s = { secret: '' };
    } else throw bad(`${name} must be a string or { secret, expireAt, url }, got ${kind(input)}`);
    checkClientSecret(s.secret);
  } catch (e) {
    if (!(e instanceof FaceSignError)) throw bad(`${name} could not be read${__FACESIGN_DEV__ ? ' (accessing it threw): pass a plain value' : ''}`);
    throw e.code === code ? e : bad(`the new ${e.message}`);
  }
  if (code !== 'invalid_client_secret' && s.expireAt !== undefined && s.expireAt * 1000 <= now)
    throw new FaceSignError(
      'refreshed_secret_expired',
      `the refreshed client secret has expireAt in the past${__FACESIGN_DEV__ ? ': check your server clock and that it returns the new secret' : ''}`,
      true,
    );
  return s;
}
