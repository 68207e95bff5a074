/**
 * The client-secret lifecycle of one session: knows the current secret and its expiry, refreshes it a margin
 * before it expires (re-checked when the tab wakes up), when the hosted page reports it expired, or on demand;
 * one request at a time, with a timeout, retries with backoff and jitter, and `Retry-After`. The new secret goes
 * to the hosted page over the channel: the iframe is never reloaded.
 */
import { FaceSignError, type FaceSignErrorCode } from './errors.js';
import { checkClientSecret } from './options.js';

/** The API's `clientSecret` object (only `secret` is required). */
export interface ClientSecret {
  secret: string;
  /** unix seconds */
  expireAt?: number;
  /** the hosted page URL with `?client_secret=`; its origin is used when `verify-url` is not set */
  url?: string;
  createdAt?: number;
}
/** Your function that asks your server for a new client secret (it calls FaceSign's refresh endpoint). */
export type FetchClientSecret = (context: { sessionId?: string }) => Promise<string | ClientSecret>;

/** Why a refresh started. */
export type RefreshTrigger = 'expiring' | 'expired' | 'manual';

/**
 * A secret given as a string or as the API's object, checked. `code` names the error for a bad one:
 * `invalid_client_secret` for the host's input, `invalid_refresh_response` for a refresh answer.
 */
export function readSecret(input: unknown, code: FaceSignErrorCode, now: number): ClientSecret {
  const bad = (why: string) => new FaceSignError(code, why, code !== 'invalid_client_secret');
  let s: ClientSecret;
  if (typeof input === 'string') s = { secret: input };
  else if (input && typeof input === 'object' && 'secret' in input) {
    const o = input as Record<string, unknown>;
    if (o.expireAt !== undefined && (typeof o.expireAt !== 'number' || !Number.isFinite(o.expireAt))) throw bad('clientSecret.expireAt must be unix seconds');
    if (o.url !== undefined && typeof o.url !== 'string') throw bad('clientSecret.url must be a string');
    s = { secret: o.secret as string, expireAt: o.expireAt as number | undefined, url: o.url as string | undefined };
  } else if (input === undefined || input === null || input === '') {
    s = { secret: '' };
  } else throw bad('expected a client secret string or { secret, expireAt, url }');
  try {
    checkClientSecret(s.secret);
  } catch (e) {
    throw code === 'invalid_client_secret' ? e : bad(`the new ${(e as Error).message}`);
  }
  if (code !== 'invalid_client_secret' && s.expireAt !== undefined && s.expireAt * 1000 <= now)
    throw new FaceSignError('refreshed_secret_expired', 'the refreshed client secret has expireAt in the past: check your server clock and that it returns the new secret', true);
  return s;
}

export interface SecretLifecycleOptions {
  initial: ClientSecret;
  /** seconds before expireAt to refresh */
  margin: () => number;
  fetchClientSecret: () => FetchClientSecret | undefined;
  refreshUrl: () => string | undefined;
  sessionId: () => string | undefined;
  /** true while the session is loading or running */
  active: () => boolean;
  now: () => number;
  timeout: number;
  retries: number;
  retryDelay: number;
  /** aborts with the session: timers, listeners, requests */
  signal: AbortSignal;
  /** hand the new secret to the hosted page */
  deliver: (s: ClientSecret, trigger: RefreshTrigger) => void;
  /** no refresh configured: ask the host page; returns true when it promised a new secret (preventDefault) */
  ask: (trigger: RefreshTrigger, expireAt?: number) => boolean;
  /** `trigger` tells whether the hosted page is already waiting (`expired`, `manual`) or may still work (`expiring`) */
  fail: (e: FaceSignError, trigger: RefreshTrigger) => void;
  log: (...a: unknown[]) => void;
}

const MAX_TIMER = 2 ** 31 - 1;
const MIN_GAP = 10_000;
const SHAPE = 'expected { "clientSecret": "…" } or { "clientSecret": { "secret", "expireAt", "url" } }';
const RETRY_STATUS = (s: number) => s >= 500 || s === 408 || s === 429;

export class SecretLifecycle {
  current: ClientSecret;
  /** the host page was asked (facesign-secret-expired) and has not set a new secret yet */
  awaitingHost = false;
  #o: SecretLifecycleOptions;
  #inflight?: Promise<void>;
  #timer?: ReturnType<typeof setTimeout>;
  #refreshedAt = -Infinity;

  constructor(o: SecretLifecycleOptions) {
    this.#o = o;
    this.current = o.initial;
    const check = () => document.visibilityState === 'visible' && this.#schedule();
    // timers sleep in background tabs and in the back/forward cache: look again when the page is back
    addEventListener('pageshow', check, { signal: o.signal });
    document.addEventListener('visibilitychange', check, { signal: o.signal });
    o.signal.addEventListener('abort', () => clearTimeout(this.#timer));
    this.#schedule();
  }

  /** The known secret is past its expireAt. */
  get expired(): boolean {
    const at = this.current.expireAt;
    return at !== undefined && at * 1000 <= this.#o.now();
  }

  /** Re-arms the proactive timer; refreshes at once when the margin is already reached. */
  #schedule(): void {
    clearTimeout(this.#timer);
    const at = this.current.expireAt;
    if (at === undefined || this.#o.signal.aborted) return;
    let wait = at * 1000 - this.#o.margin() * 1000 - this.#o.now();
    // a new secret that arrives already inside the margin (a TTL shorter than it) must not refresh in a loop
    if (wait <= 0 && this.#o.now() - this.#refreshedAt < MIN_GAP) wait = MIN_GAP;
    if (wait <= 0) void this.refresh('expiring');
    else this.#timer = setTimeout(() => this.#schedule(), Math.min(wait, MAX_TIMER));
  }

  /** One refresh at a time: concurrent triggers share it. Never throws; failures go to `fail`. */
  refresh(trigger: RefreshTrigger): Promise<void> {
    if (this.#o.signal.aborted || !this.#o.active()) return Promise.resolve();
    return (this.#inflight ??= this.#run(trigger).finally(() => (this.#inflight = undefined)));
  }

  /** The host page set a new secret after `facesign-secret-expired`. */
  supply(s: ClientSecret): void {
    this.awaitingHost = false;
    this.#accept(s, 'expired');
  }

  #accept(s: ClientSecret, trigger: RefreshTrigger): void {
    this.current = s;
    this.#refreshedAt = this.#o.now();
    this.#o.deliver(s, trigger);
    this.#schedule();
  }

  async #run(trigger: RefreshTrigger): Promise<void> {
    const o = this.#o;
    clearTimeout(this.#timer);
    let fn: FetchClientSecret | undefined, url: string | undefined;
    try {
      fn = o.fetchClientSecret();
      url = o.refreshUrl();
    } catch (e) {
      // a refresh-url changed to something invalid mid-session: fixable, so the session waits
      return o.fail(new FaceSignError((e as FaceSignError).code, (e as Error).message, true), trigger);
    }
    if (!fn && !url) {
      if (this.awaitingHost) return;
      this.awaitingHost = o.ask(trigger, this.current.expireAt);
      if (!this.awaitingHost)
        o.fail(new FaceSignError('secret_expired', 'the client secret expired and no refresh is configured: set refresh-url or fetchClientSecret, or handle facesign-secret-expired', true), trigger);
      return;
    }
    o.log('refreshing secret:', trigger);
    let last: FaceSignError | undefined;
    for (let attempt = 0; attempt <= o.retries; attempt++) {
      if (o.signal.aborted) return;
      let wait = o.retryDelay * 2 ** attempt * (0.5 + Math.random() / 2);
      try {
        const answer = await this.#attempt(fn, url!);
        if (o.signal.aborted || !o.active()) return;
        return this.#accept(readSecret(answer, 'invalid_refresh_response', o.now()), trigger);
      } catch (e) {
        if (o.signal.aborted) return;
        const err = e as FaceSignError & { retryAfter?: number; retry?: boolean };
        // a bad answer or a refusal will not get better by asking again
        if (!err.retry) return o.fail(err, trigger);
        last = err;
        if (err.retryAfter !== undefined) wait = err.retryAfter;
        o.log('refresh failed, retrying:', err.message);
      }
      if (attempt < o.retries) await sleep(wait, o.signal);
    }
    o.fail(new FaceSignError('secret_refresh_failed', `could not get a new client secret after ${o.retries + 1} attempts (${last?.message}); call refreshSecret() to try again`, true), trigger);
  }

  /** One request with its own timeout and abort; rejects with a FaceSignError that says whether to retry. */
  async #attempt(fn: FetchClientSecret | undefined, url: string): Promise<unknown> {
    const o = this.#o;
    const ctl = new AbortController();
    const stop = () => ctl.abort();
    o.signal.addEventListener('abort', stop);
    const timer = setTimeout(stop, o.timeout);
    const retryable = (message: string, retryAfter?: number) => Object.assign(new FaceSignError('secret_refresh_failed', message, true), { retry: true, retryAfter });
    try {
      if (fn) {
        const aborted = new Promise<never>((_, reject) => ctl.signal.addEventListener('abort', () => reject(retryable(`fetchClientSecret did not answer in ${o.timeout}ms`))));
        try {
          return await Promise.race([fn({ sessionId: o.sessionId() }), aborted]);
        } catch (e) {
          throw e instanceof FaceSignError ? e : retryable(`fetchClientSecret failed: ${(e as Error)?.message ?? e}`);
        }
      }
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ clientSecret: this.current.secret, sessionId: o.sessionId() }),
          signal: ctl.signal,
          cache: 'no-store',
        });
      } catch {
        throw retryable(ctl.signal.aborted ? `refresh-url did not answer in ${o.timeout}ms` : 'refresh-url could not be reached (network error)');
      }
      if (!res.ok) {
        if (RETRY_STATUS(res.status)) throw retryable(`refresh-url answered ${res.status}`, retryAfter(res.headers.get('retry-after'), o.now()));
        throw new FaceSignError('secret_refresh_failed', `refresh-url answered ${res.status}: your server refused to refresh this session`, true);
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
      o.signal.removeEventListener('abort', stop);
    }
  }
}

/** Retry-After as ms: delta-seconds or an HTTP date; capped at a minute. */
function retryAfter(h: string | null, now: number): number | undefined {
  if (!h) return undefined;
  const ms = /^\d+$/.test(h) ? Number(h) * 1000 : Date.parse(h) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 60_000) : undefined;
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
