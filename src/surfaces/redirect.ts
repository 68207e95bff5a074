/**
 * The redirect: the tab itself goes to the hosted page and comes back to a return URL with the outcome
 * (redirect-return.ts reads it there). Loaded on demand in the ESM build: only a session that redirects needs it.
 */
import { PARAM } from '../protocol/messages.js';
import { randomId } from '../base/ids.js';
import { RESULT, cleanUrl, readPending, writePending } from './redirect-return.js';

/** Stores a new state for a session about to leave (its secret keys, its id when known); returns the state. */
export function rememberRedirect(keys: string[], sessionId?: string): string {
  const state = randomId();
  writePending({ ...readPending(), [state]: { keys, sessionId, at: Date.now() } });
  return state;
}

/** The hosted page for a top-level run: its URL with the secret (as the API's own `url`) and the way back. */
export function redirectUrl(base: string, secret: string, returnUrl: string, state: string): string {
  const back = cleanUrl(returnUrl);
  back.searchParams.set(RESULT.state, state);
  const url = new URL(base);
  // no channel: a top-level page has no host window to say hello to
  for (const p of [PARAM.channel, PARAM.version, PARAM.origin]) url.searchParams.delete(p);
  url.searchParams.set('client_secret', secret);
  url.searchParams.set('return_url', back.href);
  return url.href;
}

/**
 * Leaves for the hosted page: the secret in that one top-level navigation (as in the API's own
 * `clientSecret.url`), the return URL with a fresh state. `keys`: the session's secret keys. Not a surface: the
 * tab itself goes, and nothing of it is left here to watch or close.
 */
export function leaveForHostedPage(base: string, secret: string, returnUrl: string, keys: string[], sessionId?: string): void {
  location.assign(redirectUrl(base, secret, returnUrl, rememberRedirect(keys, sessionId)));
}
