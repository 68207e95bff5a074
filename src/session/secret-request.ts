/** One request for a new client secret: the refresh-url contract (docs/refresh.md), or the page's fetchClientSecret. */
import { FaceSignError, type FaceSignErrorCode } from '../protocol/errors.js';
import { readSecret, type ClientSecretInput, type FetchClientSecret } from '../base/client-secret.js';
import type { RefreshSettings } from './refresh-settings.js';

const SHAPE = 'expected { "clientSecret": "…" } or { "clientSecret": { "secret", "expireAt", "url" } }';
const RETRY_STATUS = (s: number) => s >= 500 || s === 408 || s === 429;
/** the endpoint's reasons (refreshHandler's codes) that no retry can mend: the session ends */
// a Map, not an object: a code such as "constructor" must not find Object.prototype's
const ENDING = new Map<string, FaceSignErrorCode>([
  ['session_not_found', 'session_not_found'],
  ['session_finished', 'session_finished'],
  ['forbidden', 'refresh_forbidden'],
]);

/** What one attempt needs. */
export interface SecretRequest {
  fetchClientSecret?: FetchClientSecret;
  refreshUrl?: string;
  /** the fetch's credentials mode (refresh-credentials) */
  credentials: RequestCredentials;
  /** the secret being replaced, and the session it belongs to: what refresh-url is sent */
  current: string;
  sessionId?: string;
  /** ms this attempt may take */
  timeout: number;
  /** the session's: aborts the attempt when the session ends */
  signal: AbortSignal;
  now: number;
}

/** A failure worth another attempt (network, timeout, 5xx, 408, 429), with the server's Retry-After in ms. */
export type RetryableError = FaceSignError & { retry?: boolean; retryAfter?: number };

/**
 * One request for a new secret, through `fetchClientSecret` or `refresh-url`, with its own timeout and abort.
 * Resolves with the answer's `clientSecret` (not yet checked); rejects with a FaceSignError that says whether to retry.
 */
export async function requestSecret(r: SecretRequest): Promise<unknown> {
  const { fetchClientSecret: fn, refreshUrl: url, timeout, credentials } = r;
  // its own controller: a timed-out attempt is cancelled (fetchClientSecret gets the signal too), not abandoned,
  // since a late answer from it would carry a secret that the next attempt's refresh has already killed
  const ctl = new AbortController();
  const stop = () => ctl.abort();
  r.signal.addEventListener('abort', stop);
  const timer = setTimeout(stop, timeout);
  const retryable = (message: string, retryAfter?: number) =>
    Object.assign(new FaceSignError('secret_refresh_failed', message, true), { retry: true, retryAfter });
  try {
    if (fn) {
      const aborted = new Promise<never>((_, reject) =>
        ctl.signal.addEventListener('abort', () => reject(retryable(`fetchClientSecret did not answer in ${timeout}ms`))),
      );
      try {
        return await Promise.race([fn({ sessionId: r.sessionId, signal: ctl.signal }), aborted]);
      } catch (e) {
        throw e instanceof FaceSignError ? e : retryable(`fetchClientSecret failed: ${(e as Error)?.message ?? e}`);
      }
    }
    let res: Response;
    try {
      res = await fetch(url!, {
        method: 'POST',
        credentials,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ clientSecret: r.current, sessionId: r.sessionId }),
        signal: ctl.signal,
        cache: 'no-store',
      });
    } catch {
      throw retryable(ctl.signal.aborted ? `refresh-url did not answer in ${timeout}ms` : 'refresh-url could not be reached (network error)');
    }
    if (!res.ok) {
      const why = await reason(res);
      const answered = `refresh-url answered ${res.status}${why ? ` (${why.code}: ${why.message})` : ''}`;
      if (RETRY_STATUS(res.status)) throw retryable(answered, retryAfter(res.headers.get('retry-after'), r.now));
      const ends = why && ENDING.get(why.code);
      if (ends) throw new FaceSignError(ends, `${answered}: this verification cannot go on; start a new session`);
      throw new FaceSignError('secret_refresh_failed', `${answered}: your server refused to refresh this session`, true);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new FaceSignError('invalid_refresh_response', `refresh-url did not answer JSON: ${SHAPE}`, true);
    }
    const cs = (body as { clientSecret?: unknown } | null)?.clientSecret;
    if (cs === undefined || (typeof cs !== 'string' && (typeof cs !== 'object' || cs === null)))
      throw new FaceSignError('invalid_refresh_response', `refresh-url answered JSON without "clientSecret": ${SHAPE}`, true);
    return cs;
  } finally {
    clearTimeout(timer);
    r.signal.removeEventListener('abort', stop);
  }
}

/** The endpoint's `{ error: { code, message } }` (refreshHandler's shape), when it sent one; short, for messages. */
async function reason(res: Response): Promise<{ code: string; message: string } | undefined> {
  try {
    const e = ((await res.json()) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof e?.code === 'string') return { code: e.code.slice(0, 64), message: String(e.message ?? '').slice(0, 200) };
  } catch {
    // not JSON: the status says it all
  }
  return undefined;
}

/** Retry-After as ms: delta-seconds or an HTTP date; capped at a minute. */
function retryAfter(h: string | null, now: number): number | undefined {
  if (!h) return undefined;
  const ms = /^\d+$/.test(h) ? Number(h) * 1000 : Date.parse(h) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 60_000) : undefined;
}

/** How getting a secret ended. */
export type Outcome = { ok: ClientSecretInput } | { error: FaceSignError };

/**
 * A new secret with retries: backoff with jitter, Retry-After honoured, none after an answer that asking again
 * will not change. Resolves with its outcome, or nothing when `signal` aborted meanwhile.
 */
export async function obtainSecret(
  set: RefreshSettings,
  /** `current`: the secret being replaced, read as each attempt goes out (the host page may set one meanwhile) */
  r: { current: () => string; sessionId?: string; signal: AbortSignal; now: () => number; log: (...a: unknown[]) => void },
): Promise<Outcome | void> {
  let last: FaceSignError | undefined;
  for (let attempt = 0; attempt <= set.retries; attempt++) {
    if (r.signal.aborted) return;
    let wait = set.retryDelay * 2 ** attempt * (0.5 + Math.random() / 2);
    try {
      const answer = await requestSecret({ ...set, current: r.current(), sessionId: r.sessionId, signal: r.signal, now: r.now() });
      if (r.signal.aborted) return;
      return { ok: readSecret(answer, 'invalid_refresh_response', r.now()) };
    } catch (e) {
      if (r.signal.aborted) return;
      const err = e as RetryableError;
      // a bad answer or a refusal will not get better by asking again
      if (!err.retry) return { error: err };
      last = err;
      // as asked, but never longer than one attempt may take: the user is waiting
      if (err.retryAfter !== undefined) wait = Math.min(err.retryAfter, set.timeout);
      r.log('secret request failed, retrying:', err.message);
    }
    if (attempt < set.retries) await sleep(wait, r.signal);
  }
  return {
    error: new FaceSignError(
      'secret_refresh_failed',
      `could not get a new client secret after ${set.retries + 1} attempts (${last?.message}); call refreshSecret() to try again`,
      true,
    ),
  };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
