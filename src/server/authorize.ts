// What the refresh endpoint's `authorize` is given and must return, and the handler's own check of its answer.
// The body's session id is a claim anyone can make: `authorize` gets it under a name that says so and returns
// the verification it stored for the logged-in user; the handler then compares that record with what the browser
// sent. Returning the claimed id (a one-word slip from "the id you stored") is refused, not trusted.
import { FaceSignServerError } from './errors.js';

export interface RefreshRequest {
  /**
   * The session id the request's body names, **untrusted**: any caller can send any user's session id. Use it to
   * find your record if you key them by session, never return it: return what you stored.
   */
  claimedSessionId: string | undefined;
  /** the secret the browser holds now (possibly expired) */
  clientSecret: string;
}

/** The verification you stored for this user: the handler refreshes it only if it matches what the browser sent. */
export interface StoredVerification {
  /** the FaceSign session id you stored when you created the session */
  sessionId: string;
  /** the client secret you stored with it, last updated in `onRefresh` (the string, or the API's whole object) */
  clientSecret: string | { secret: string };
}

/** What `authorize` may answer: the stored verification, or a refusal. */
export type AuthorizeResult = StoredVerification | false | null | undefined;

const SHAPE = 'return what you stored for this user: { sessionId, clientSecret } (or false to refuse)';

/** Equal strings in a time that does not depend on where they differ (the secret is compared). */
function same(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/**
 * The session `authorize` allowed, or undefined when the request is refused: nothing returned, a shape that cannot
 * be checked (reported to `onError`: a merchant's bug, not a caller's), a stored secret that is not the one the
 * browser holds, or a stored session that is not the one the body claims.
 */
export function authorizedSession(result: unknown, body: RefreshRequest, onError: (e: unknown) => void): string | undefined {
  if (result === false || result === null || result === undefined) return undefined;
  const misused = (what: string) => void onError(new FaceSignServerError('invalid_option', `refreshHandler: authorize ${what}: ${SHAPE}`));
  if (result === true) return misused("returned true, which would trust the body's session id (anyone can send someone else's)");
  if (typeof result === 'string')
    return misused("returned a string, which cannot be told from the session id the body claims (anyone can send someone else's)");
  const { sessionId, clientSecret } = (typeof result === 'object' ? result : {}) as Partial<StoredVerification>;
  const secret = typeof clientSecret === 'object' && clientSecret ? clientSecret.secret : clientSecret;
  if (typeof sessionId !== 'string' || !sessionId || typeof secret !== 'string' || !secret)
    return misused('returned something else than { sessionId: string, clientSecret: string | { secret } }');
  if (!same(secret, body.clientSecret)) return undefined;
  if (body.claimedSessionId !== undefined && body.claimedSessionId !== sessionId) return undefined;
  return sessionId;
}
