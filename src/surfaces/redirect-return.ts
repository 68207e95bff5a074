/**
 * The page a redirect comes back to: the outcome in its URL counts only when this tab started that redirect.
 * The return is bound the way OAuth binds its `state`: before leaving (redirect.ts), a random state is stored
 * with the session in this tab's sessionStorage and put in the return URL; back here, only a matching state
 * counts, once, and only for the same session, and its session id only when it is the one that left or, when that
 * left before knowing it, when the hosted page proves it held the session's secret (`fs_key`). A link carrying
 * `fs_session=…&fs_result=complete` without a stored state is ignored. Loaded with every page (a return is read at start); the leaving part loads when a redirect starts.
 */
import { CANCEL_REASONS } from '../base/events.js';
import { secretKey } from '../base/secret-key.js';

/**
 * URL parameters of the return page (never the secret). `key`: the tag (`secretKey`) of the secret the hosted page
 * used, which binds the session id it reports to the session that left when that left before knowing its id.
 */
export const RESULT = { state: 'fs_state', session: 'fs_session', result: 'fs_result', reason: 'fs_reason', key: 'fs_key' } as const;
const KEY = 'facesign-redirects';
/** a client secret lives an hour: an older state can only be stale */
const MAX_AGE = 3600_000;

/** What is stored per state: the session's keys (a hash of each secret it had, never a secret) and when. */
type Pending = { keys: string[]; sessionId?: string; at: number };

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

/** A URL without any fs_ result parameter. */
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
  const key = q.get(RESULT.key);
  const reason = q.get(RESULT.reason) ?? 'user_canceled';
  const all = readPending();
  const pending = Object.hasOwn(all, state) ? all[state] : undefined;
  const why = !pending
    ? 'no redirect of this tab has that state (a forged or replayed link)'
    : keys && !pending.keys.some((k) => keys.includes(k))
      ? 'it belongs to another session'
      : !SESSION_ID.test(sessionId) || (pending.sessionId && pending.sessionId !== sessionId)
        ? 'its session id is not the one that left'
        : // left before its id was known: only the page that held this session's secret can name it
          !pending.sessionId && !(key && pending.keys.includes(key))
          ? 'no fs_key binds its session id to the session that left'
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
