/**
 * The page a redirect comes back to: the outcome in its URL counts only when this tab started that redirect.
 * The return is bound the way OAuth binds its `state`: before leaving (redirect.ts), a random state is stored
 * with the session in this tab's sessionStorage and put in the return URL; back here, only a matching state
 * counts, once, and only for the same session. A link carrying `fs_session=…&fs_result=complete` without it is
 * ignored. Loaded with every page (a return is read at start); the leaving part loads when a redirect starts.
 */
import { CANCEL_REASONS } from '../base/events.js';

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

export function readPending(): Record<string, Pending> {
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
export const writePending = (all: Record<string, Pending>) => {
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

/** A verification's outcome on the page it returned to. */
export type FaceSignRedirectResult = { sessionId: string; status: 'complete' } | { sessionId: string; status: 'canceled'; reason: string };

const SESSION_ID = /^[\w-]{1,200}$/;

/**
 * The outcome in this page's URL, when this tab started that redirect (its state is stored) for the session
 * whose secret key is in `keys` (any session of this tab when undefined). Consumed once: the state is
 * forgotten and the parameters leave the address bar. `log` says why a URL's result is ignored.
 */
export function takeRedirectResult(keys?: string[], log: (...a: unknown[]) => void = () => {}): FaceSignRedirectResult | undefined {
  // every session start asks: most pages have no result in their URL, and a plain look is enough to tell
  if (typeof location === 'undefined' || !/fs(_|%5f)result/i.test(location.search)) return undefined;
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
