/**
 * The redirect surface: the tab itself goes to the hosted page and comes back to a return URL with the outcome.
 * The return is bound the way OAuth binds its `state`: before leaving, a random state is stored with the
 * session in this tab's sessionStorage and put in the return URL; back here, only a matching state counts, once,
 * and only for the same session. A link carrying `fs_session=…&fs_result=complete` without it is ignored.
 */
import { PARAM } from '../protocol/messages.js';
import { CANCEL_REASONS } from '../element/events.js';
import { randomId } from '../element/options.js';
import type { Surface } from './surface.js';

/** URL parameters of the return page (never the secret). */
export const RESULT = { state: 'fs_state', session: 'fs_session', result: 'fs_result', reason: 'fs_reason' } as const;
const KEY = 'facesign-redirects';
/** a client secret lives an hour: an older state can only be stale */
const MAX_AGE = 3600_000;

/** What is stored per state: the session's keys (a hash of each secret it had, never a secret) and when. */
type Pending = { keys: string[]; sessionId?: string; at: number };

/** A short, non-reversible tag of a secret (53-bit, cyrb53): enough to tell two sessions apart. */
export function secretKey(secret: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < secret.length; i++) {
    const c = secret.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function readPending(): Record<string, Pending> {
  try {
    const all = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, Pending>;
    const now = Date.now();
    for (const [k, p] of Object.entries(all)) if (!(now - p.at < MAX_AGE)) delete all[k];
    return all;
  } catch {
    // storage disabled (a sandboxed page) or not ours: nothing is pending
    return {};
  }
}
const writePending = (all: Record<string, Pending>) => {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled: the return is then ignored, which is the safe side
  }
};

/** This page's URL without any fs_ result parameter: the default return URL. */
export function cleanUrl(href = location.href): URL {
  const url = new URL(href);
  for (const p of Object.values(RESULT)) url.searchParams.delete(p);
  return url;
}

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

export class RedirectSurface implements Surface {
  readonly kind = 'redirect';

  /**
   * Leaves for the hosted page: the secret in that one navigation (as in the API's own `clientSecret.url`), the
   * return URL with a fresh state. `keys`: the session's secret keys.
   */
  constructor(base: string, secret: string, returnUrl: string, keys: string[], sessionId?: string) {
    location.assign(redirectUrl(base, secret, returnUrl, rememberRedirect(keys, sessionId)));
  }

  window(): null {
    return null;
  }

  close(): void {
    // the tab has gone, or is going: nothing of ours to close
  }
}

/** A verification's outcome on the page it returned to. */
export type FaceSignRedirectResult = { sessionId: string; status: 'complete' } | { sessionId: string; status: 'canceled'; reason: string };

const SESSION_ID = /^[\w-]{1,200}$/;

/**
 * The outcome in this page's URL, when this tab started that redirect (its state is stored) for the session
 * whose secret key is in `keys` (any session of this tab when undefined). Consumed once: the state is
 * forgotten and the parameters leave the address bar. `log` says why a URL's result is ignored.
 */
export function takeRedirectResult(keys?: string[], log: (...a: unknown[]) => void = () => {}): FaceSignRedirectResult | undefined {
  if (typeof location === 'undefined') return undefined;
  const url = new URL(location.href);
  const q = url.searchParams;
  const status = q.get(RESULT.result);
  if (status === null) return undefined;
  const state = q.get(RESULT.state) ?? '';
  const sessionId = q.get(RESULT.session) ?? '';
  const reason = q.get(RESULT.reason) ?? 'user_canceled';
  const all = readPending();
  const pending = Object.hasOwn(all, state) ? all[state] : undefined;
  const why = !pending
    ? 'no redirect of this tab has that state (a forged or replayed link)'
    : keys && !pending.keys.some((k) => keys.includes(k))
      ? 'it belongs to another session'
      : !SESSION_ID.test(sessionId) || (pending.sessionId && pending.sessionId !== sessionId)
        ? 'its session id is not the one that left'
        : status !== 'complete' && status !== 'canceled'
          ? 'its result is neither complete nor canceled'
          : status === 'canceled' && !(CANCEL_REASONS as readonly string[]).includes(reason)
            ? 'its reason is not a cancel reason'
            : undefined;
  if (why) return void log('redirect result ignored:', why);
  delete all[state];
  writePending(all);
  history.replaceState(history.state, '', cleanUrl(url.href).href);
  return status === 'complete' ? { sessionId, status } : { sessionId, status: 'canceled', reason };
}

/**
 * On the page a redirect came back to: the outcome from the URL, once, when this tab started that redirect;
 * pass the session's `clientSecret` to take only that session's. Undefined when there is none (or it is not
 * this tab's). It is a hint, as any browser event is: compare `sessionId` with the session your server created
 * for this user, and confirm the result on your server.
 */
export function handleRedirectResult(options: { clientSecret?: string | { secret: string } } = {}): FaceSignRedirectResult | undefined {
  const s = options?.clientSecret;
  const secret = typeof s === 'string' ? s : s?.secret;
  return takeRedirectResult(typeof secret === 'string' ? [secretKey(secret)] : undefined);
}
