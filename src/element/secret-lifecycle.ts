/**
 * The client-secret lifecycle of one session: knows the current secret and its expiry, refreshes it a margin
 * before it expires (re-checked when the tab wakes up), when the hosted page reports it expired, or on demand;
 * one request at a time, with a timeout, retries with backoff and jitter, and `Retry-After`. The new secret goes
 * to the hosted page over the channel: the iframe is never reloaded.
 */
import { FaceSignError, type FaceSignErrorCode } from '../protocol/errors.js';
import { checkClientSecret, kind } from './options.js';
import { onPageEvent } from './page-events.js';

/** The API's `clientSecret` object (only `secret` is required). */
export interface ClientSecret {
  secret: string;
  /** unix seconds */
  expireAt?: number;
  /** the hosted page URL with `?client_secret=`; its origin is used when `verify-url` is not set */
  url?: string;
  createdAt?: number;
}
/**
 * Your function that asks your server for a new client secret (your server calls FaceSign's refresh endpoint).
 * `signal` aborts when the attempt times out or the session ends: pass it to `fetch`, so an abandoned request
 * cannot kill the secret a later attempt obtained.
 */
export type FetchClientSecret = (context: { sessionId?: string; signal: AbortSignal }) => Promise<string | ClientSecret>;

/** Why a refresh started. */
export type RefreshTrigger = 'expiring' | 'expired' | 'manual';

/**
 * A secret given as a string or as the API's object, checked. `code` names the error for a bad one:
 * `invalid_client_secret` for the host's input, `invalid_refresh_response` for a refresh answer.
 */
export function readSecret(input: unknown, code: FaceSignErrorCode, now: number): ClientSecret {
  const bad = (why: string) => new FaceSignError(code, why, code !== 'invalid_client_secret');
  const name = code === 'invalid_client_secret' ? 'clientSecret' : 'the refreshed clientSecret';
  let s: ClientSecret;
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
    if (!(e instanceof FaceSignError)) throw bad(`${name} could not be read (accessing it threw): pass a plain value`);
    throw e.code === code ? e : bad(`the new ${e.message}`);
  }
  if (code !== 'invalid_client_secret' && s.expireAt !== undefined && s.expireAt * 1000 <= now)
    throw new FaceSignError(
      'refreshed_secret_expired',
      'the refreshed client secret has expireAt in the past: check your server clock and that it returns the new secret',
      true,
    );
  return s;
}

/** How refreshes are made; read at each refresh, so a page can change them mid-session. */
export interface RefreshSettings {
  fetchClientSecret?: FetchClientSecret;
  /** checked and absolute */
  refreshUrl?: string;
  /** seconds before expireAt to refresh */
  margin: number;
  /** ms one attempt may take; also how long the page has to supply a secret after facesign-secret-expired */
  timeout: number;
  retries: number;
  retryDelay: number;
}

/** The session a lifecycle belongs to: where settings come from and where results go. */
export interface SecretOwner {
  /** throws a FaceSignError when a setting became invalid */
  settings(): RefreshSettings;
  sessionId(): string | undefined;
  /** hand the new secret to the hosted page */
  deliver(s: ClientSecret, trigger: RefreshTrigger): void;
  /** no refresh configured: ask the host page; returns true when it promised a new secret (preventDefault) */
  ask(trigger: RefreshTrigger, expireAt?: number): boolean;
  /** `trigger` tells whether the hosted page is already waiting (`expired`, `manual`) or may still work (`expiring`) */
  refreshFailed(e: FaceSignError, trigger: RefreshTrigger): void;
  log(...a: unknown[]): void;
}

const MAX_TIMER = 2 ** 31 - 1;
const MIN_GAP = 10_000;
const SHAPE = 'expected { "clientSecret": "…" } or { "clientSecret": { "secret", "expireAt", "url" } }';
const RETRY_STATUS = (s: number) => s >= 500 || s === 408 || s === 429;

export class SecretLifecycle {
  current: ClientSecret;
  #o: SecretOwner;
  #now: () => number;
  /** aborts with the session's life: timers, listeners, requests */
  #signal: AbortSignal;
  #inflight?: Promise<void>;
  #timer?: ReturnType<typeof setTimeout>;
  /** set while the host page was asked (facesign-secret-expired) and has not set a new secret yet */
  #awaiting?: { trigger: RefreshTrigger; timer: ReturnType<typeof setTimeout> };
  #refreshedAt = -Infinity;

  constructor(owner: SecretOwner, initial: ClientSecret, now: () => number, signal: AbortSignal) {
    this.#o = owner;
    this.#now = now;
    this.#signal = signal;
    this.current = initial;
    const check = () => document.visibilityState === 'visible' && this.#schedule();
    // timers sleep in background tabs and in the back/forward cache: look again when the page is back
    onPageEvent('pageshow', check, signal);
    onPageEvent('visibilitychange', check, signal);
    signal.addEventListener('abort', () => (clearTimeout(this.#timer), clearTimeout(this.#awaiting?.timer)));
    // not from the constructor: a refresh due at once reports to an owner that is still being built
    queueMicrotask(() => this.#schedule());
  }

  /** The known secret is past its expireAt. */
  get expired(): boolean {
    const at = this.current.expireAt;
    return at !== undefined && at * 1000 <= this.#now();
  }

  /** The host page promised a new secret (it handled facesign-secret-expired) and has not set it yet. */
  get awaitingHost(): boolean {
    return !!this.#awaiting;
  }

  /** Re-arms the proactive timer; refreshes at once when the margin is already reached. */
  #schedule(): void {
    clearTimeout(this.#timer);
    const at = this.current.expireAt;
    if (at === undefined || this.#signal.aborted) return;
    let margin = 60;
    try {
      margin = this.#o.settings().margin;
    } catch {
      // an invalid setting is reported when the refresh runs
    }
    let wait = at * 1000 - margin * 1000 - this.#now();
    // a new secret that arrives already inside the margin (a TTL shorter than it) must not refresh in a loop
    if (wait <= 0 && this.#now() - this.#refreshedAt < MIN_GAP) wait = MIN_GAP;
    if (wait <= 0) void this.refresh('expiring');
    else this.#timer = setTimeout(() => this.#schedule(), Math.min(wait, MAX_TIMER));
  }

  /** One refresh at a time: concurrent triggers share it. Never throws; failures go to the owner's `refreshFailed`. */
  refresh(trigger: RefreshTrigger): Promise<void> {
    if (this.#signal.aborted) return Promise.resolve();
    // the outcome is reported after the slot is free: a listener of it that calls refreshSecret() gets a refresh
    // of its own, not the one that is just ending
    return (this.#inflight ??= this.#run(trigger).then((report) => {
      this.#inflight = undefined;
      if (!this.#signal.aborted) report?.();
    }));
  }

  /** The host page set a new secret after `facesign-secret-expired`. */
  supply(s: ClientSecret): void {
    const trigger = this.#awaiting?.trigger ?? 'expired';
    this.#stopAwaiting();
    this.#accept(s, trigger);
  }

  #stopAwaiting(): void {
    clearTimeout(this.#awaiting?.timer);
    this.#awaiting = undefined;
  }

  #accept(s: ClientSecret, trigger: RefreshTrigger): void {
    this.current = s;
    this.#refreshedAt = this.#now();
    this.#o.deliver(s, trigger);
    this.#schedule();
  }

  /** Gets a new secret; resolves with what to report (after the in-flight slot is free), or nothing. */
  async #run(trigger: RefreshTrigger): Promise<(() => void) | void> {
    const o = this.#o;
    clearTimeout(this.#timer);
    let set: RefreshSettings;
    try {
      set = o.settings();
    } catch (e) {
      // a setting changed to something invalid mid-session: fixable, so the session waits
      return () => o.refreshFailed(new FaceSignError((e as FaceSignError).code, (e as Error).message, true), trigger);
    }
    const { fetchClientSecret: fn, refreshUrl: url } = set;
    if (!fn && !url) {
      if (this.#awaiting) return;
      if (!o.ask(trigger, this.current.expireAt))
        return () =>
          o.refreshFailed(
            new FaceSignError(
              'secret_expired',
              'the client secret expired and no refresh is configured: set refreshUrl (refresh-url) or fetchClientSecret, or handle facesign-secret-expired',
              true,
            ),
            trigger,
          );
      // a listener promised a secret: if it never comes, the session must not wait forever
      const timer = setTimeout(() => {
        this.#stopAwaiting();
        o.refreshFailed(
          new FaceSignError(
            'secret_refresh_failed',
            `no new clientSecret was set within ${set.timeout}ms of facesign-secret-expired being handled; call refreshSecret() to ask again`,
            true,
          ),
          trigger,
        );
      }, set.timeout);
      this.#awaiting = { trigger, timer };
      return;
    }
    o.log('refreshing secret:', trigger);
    let last: FaceSignError | undefined;
    for (let attempt = 0; attempt <= set.retries; attempt++) {
      if (this.#signal.aborted) return;
      let wait = set.retryDelay * 2 ** attempt * (0.5 + Math.random() / 2);
      try {
        const answer = await this.#attempt(fn, url!, set.timeout);
        if (this.#signal.aborted) return;
        const s = readSecret(answer, 'invalid_refresh_response', this.#now());
        return () => this.#accept(s, trigger);
      } catch (e) {
        if (this.#signal.aborted) return;
        const err = e as FaceSignError & { retryAfter?: number; retry?: boolean };
        // a bad answer or a refusal will not get better by asking again
        if (!err.retry) return () => o.refreshFailed(err, trigger);
        last = err;
        if (err.retryAfter !== undefined) wait = err.retryAfter;
        o.log('refresh failed, retrying:', err.message);
      }
      if (attempt < set.retries) await sleep(wait, this.#signal);
    }
    return () =>
      o.refreshFailed(
        new FaceSignError(
          'secret_refresh_failed',
          `could not get a new client secret after ${set.retries + 1} attempts (${last?.message}); call refreshSecret() to try again`,
          true,
        ),
        trigger,
      );
  }

  /** One request with its own timeout and abort; rejects with a FaceSignError that says whether to retry. */
  async #attempt(fn: FetchClientSecret | undefined, url: string, timeout: number): Promise<unknown> {
    const o = this.#o;
    // its own controller: a timed-out attempt is cancelled (fetchClientSecret gets the signal too), not abandoned,
    // since a late answer from it would carry a secret that the next attempt's refresh has already killed
    const ctl = new AbortController();
    const stop = () => ctl.abort();
    this.#signal.addEventListener('abort', stop);
    const timer = setTimeout(stop, timeout);
    const retryable = (message: string, retryAfter?: number) =>
      Object.assign(new FaceSignError('secret_refresh_failed', message, true), { retry: true, retryAfter });
    try {
      if (fn) {
        const aborted = new Promise<never>((_, reject) =>
          ctl.signal.addEventListener('abort', () => reject(retryable(`fetchClientSecret did not answer in ${timeout}ms`))),
        );
        try {
          return await Promise.race([fn({ sessionId: o.sessionId(), signal: ctl.signal }), aborted]);
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
        throw retryable(ctl.signal.aborted ? `refresh-url did not answer in ${timeout}ms` : 'refresh-url could not be reached (network error)');
      }
      if (!res.ok) {
        if (RETRY_STATUS(res.status)) throw retryable(`refresh-url answered ${res.status}`, retryAfter(res.headers.get('retry-after'), this.#now()));
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
      this.#signal.removeEventListener('abort', stop);
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
