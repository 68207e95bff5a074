// The element's refresh-url endpoint (docs/refresh.md, "The refresh-url contract"), ready-made as a fetch handler:
// (Request) => Promise<Response>, for Next.js route handlers, Bun, Deno, Workers; toNodeHandler() for node:http
// and Express. It refuses by default: the merchant's `authorize` decides who may continue which session.
import { authorizedSession, type AuthorizeResult, type RefreshRequest, type StoredVerification } from './authorize.js';
import { FaceSignAPIError, FaceSignConnectionError, FaceSignServerError, checkNumber } from './errors.js';
import { RefreshLimiter, lifetimeOf } from './refresh-limits.js';
import type { ClientSecret } from './types.js';

interface RefreshClient {
  sessions: { refreshSecret(sessionId: string, options?: { signal?: AbortSignal }): Promise<{ clientSecret: ClientSecret }> };
}

export type { RefreshRequest, StoredVerification, AuthorizeResult };

export interface RefreshHandlerOptions {
  /**
   * Decides whether this caller may continue a verification. Check your own login session, find the verification
   * you stored for that user (by the user, or by `claimedSessionId` **and** the user), and return it as you stored
   * it: `{ sessionId, clientSecret }`. The handler refreshes only when that `clientSecret` is the one the browser
   * sent and that `sessionId` the one the body claims (`403 forbidden` otherwise). `false` / `null` refuse.
   * A string (the claimed id, returned by a slip, cannot be told from the one you stored) or `true` is refused too,
   * with a line to `onError` saying what to return.
   */
  authorize: (request: Request, body: RefreshRequest) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Store the new secret here (the old one no longer works); a throw answers 500. */
  onRefresh?: (result: { sessionId: string; clientSecret: ClientSecret; request: Request }) => void | Promise<void>;
  /** Your log: every failure answered with a 5xx, and the API's refusals. */
  onError?: (error: unknown) => void;
  /** bytes a request body may have (default 4096; the element sends ~200): larger ones get 413 unread */
  maxBodyBytes?: number;
  /**
   * ms for the whole refresh, FaceSign's retries included (default 8000: under the element's default
   * `refreshTimeout` of 10 s, so the page never gives up on an answer still coming)
   */
  deadline?: number;
  /**
   * ms: a session whose current secret is younger than this (or than a quarter of its lifetime, if shorter) is
   * not refreshed: `429 secret_too_new` with `Retry-After` (default 10 000; 0 switches it off). The element
   * refreshes a minute before expiry, so only a loop asks this early.
   */
  minSecretAge?: number;
  /**
   * Refreshes of one session in a burst (default 30), growing back by one every half of the secret's lifetime
   * (30 min for FaceSign's 1-hour secrets); past it `429 too_many_refreshes` with `Retry-After`. Both limits are
   * this process's memory (see docs/server.md, "The refresh endpoint, ready-made"): create the handler once, not per
   * request.
   */
  refreshBudget?: number;
}

/** What the handler waits for per session: one FaceSign call, however many requests overlap (single-flight). */
interface Flight {
  done: Promise<ClientSecret>;
  /** the requests waiting for it that are still there */
  waiting: Set<Request>;
  /** aborts the FaceSign call once no request waits any more, or at the deadline */
  stop: AbortController;
}

class Refusal {
  constructor(readonly response: Response) {}
}

/**
 * The body, read up to `limit` bytes (checked against content-length first, then while reading) and within
 * `ms` (a body trickled a byte at a time holds nothing of ours for longer).
 */
async function readBody(request: Request, limit: number, ms: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  const tooBig = () => new Refusal(refuse(413, 'body_too_large', `The body is over ${limit} bytes: send { "clientSecret", "sessionId" } only`));
  if (declared > limit) throw tooBig();
  const reader = request.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Refusal(refuse(408, 'request_timeout', `The body did not arrive within ${ms} ms`))), ms);
  });
  late.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      size += value.length;
      if (size > limit) throw tooBig();
      chunks.push(value);
    }
  } catch (e) {
    void reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return new TextDecoder().decode(await new Blob(chunks as BlobPart[]).arrayBuffer());
}

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
const refuse = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  answer(status, { error: { code, message } }, headers);

const TOO_NEW = 'This verification got its secret moments ago: retry after Retry-After seconds';
const TOO_MANY = 'This verification was refreshed too often: retry after Retry-After seconds';

export function refreshHandler(client: RefreshClient, options: RefreshHandlerOptions): (request: Request) => Promise<Response> {
  if (typeof options?.authorize !== 'function')
    throw new FaceSignServerError(
      'invalid_option',
      'refreshHandler needs authorize(request, { claimedSessionId, clientSecret }) returning the { sessionId, clientSecret } you stored: without it anyone could mint secrets for any session',
    );
  const { authorize, onRefresh, onError = () => {}, maxBodyBytes = 4096, deadline = 8000, minSecretAge = 10_000, refreshBudget = 30 } = options;
  checkNumber("refreshHandler's maxBodyBytes", maxBodyBytes, { positive: true, unit: 'bytes' });
  checkNumber("refreshHandler's deadline", deadline, { positive: true, unit: 'milliseconds' });
  checkNumber("refreshHandler's minSecretAge", minSecretAge, { unit: 'milliseconds' });
  checkNumber("refreshHandler's refreshBudget", refreshBudget, { positive: true, integer: true, unit: 'refreshes' });
  const flights = new Map<string, Flight>();
  const limiter = new RefreshLimiter({ minSecretAge, refreshBudget });

  /** The new secret for session `id`: one FaceSign call shared by the overlapping requests, stored once. */
  const refreshOnce = async (id: string, request: Request): Promise<ClientSecret> => {
    if (request.signal.aborted) throw new Refusal(refuse(503, 'aborted', 'The request was abandoned'));
    let f = flights.get(id);
    if (!f) {
      // a request that joins a call under way spends nothing more; a new call is a FaceSign request on the key
      const wait = limiter.take(id);
      if (wait)
        throw new Refusal(refuse(429, wait.reason, wait.reason === 'secret_too_new' ? TOO_NEW : TOO_MANY, { 'retry-after': String(wait.seconds) }));
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(new FaceSignConnectionError('timeout', `FaceSign did not refresh within ${deadline} ms`)), deadline);
      const flight: Flight = { waiting: new Set(), stop, done: undefined! };
      flight.done = client.sessions
        .refreshSecret(id, { signal: stop.signal })
        .then(async ({ clientSecret }) => {
          // every request gave up meanwhile: the browser has moved on (and may hold a newer secret by now), so
          // this one is never stored as the current secret
          const to = [...flight.waiting].at(-1);
          if (!to) throw new Refusal(refuse(503, 'aborted', 'The request was abandoned'));
          try {
            await onRefresh?.({ sessionId: id, clientSecret, request: to });
          } catch (e) {
            throw new StoreFailed(e);
          }
          limiter.issued(id, lifetimeOf(clientSecret));
          return clientSecret;
        })
        .finally(() => (clearTimeout(timer), flights.delete(id)));
      flights.set(id, (f = flight));
    }
    const flight = f;
    flight.waiting.add(request);
    const leave = () => (flight.waiting.delete(request), flight.waiting.size || flight.stop.abort(request.signal.reason));
    request.signal.addEventListener('abort', leave, { once: true });
    try {
      return await flight.done;
    } finally {
      request.signal.removeEventListener('abort', leave);
      flight.waiting.delete(request);
    }
  };

  return async (request) => {
    try {
      return await handle(request);
    } catch (e) {
      if (e instanceof Refusal) return e.response;
      throw e;
    }
  };

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'POST { clientSecret, sessionId }', { allow: 'POST' });
    // a JSON body needs a CORS preflight from another site; text/plain or a form does not, so a page anywhere
    // could make a victim's browser refresh (and so kill) their live secret
    const type = request.headers.get('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type))
      return refuse(415, 'unsupported_media_type', 'Send the body as JSON with content-type: application/json');
    let body: { clientSecret?: unknown; sessionId?: unknown };
    try {
      body = JSON.parse(await readBody(request, maxBodyBytes, deadline));
    } catch (e) {
      if (e instanceof Refusal) throw e;
      return refuse(400, 'invalid_body', 'The body must be JSON: { "clientSecret": "…", "sessionId": "…" }');
    }
    const { clientSecret, sessionId } = body ?? {};
    if (typeof clientSecret !== 'string' || !clientSecret)
      return refuse(400, 'invalid_body', 'clientSecret (the secret the page holds now) is required');
    if (sessionId !== undefined && (typeof sessionId !== 'string' || !sessionId)) return refuse(400, 'invalid_body', 'sessionId must be a string');

    let allowed: unknown;
    const claim: RefreshRequest = { claimedSessionId: sessionId, clientSecret };
    try {
      allowed = await authorize(request, claim);
    } catch (e) {
      onError(e);
      return refuse(500, 'authorize_failed', 'The server could not check this request');
    }
    const id = authorizedSession(allowed, claim, onError);
    if (!id) return refuse(403, 'forbidden', 'Not allowed to continue this verification');

    let clientSecretNew: ClientSecret;
    try {
      clientSecretNew = await refreshOnce(id, request);
    } catch (e) {
      if (e instanceof Refusal) throw e;
      if (e instanceof StoreFailed) {
        onError(e.cause);
        return refuse(500, 'store_failed', 'The server could not keep the new secret');
      }
      // the browser went away: nothing to answer it with
      if (request.signal.aborted) return refuse(503, 'aborted', 'The request was abandoned');
      onError(e);
      if (e instanceof FaceSignAPIError) {
        if (e.type === 'not_found_error') return refuse(404, 'session_not_found', 'No such verification session');
        if (e.type === 'validation_error') return refuse(409, 'session_finished', 'This verification has ended: start a new one');
        if (e.type === 'rate_limit_error')
          return refuse(429, 'rate_limited', 'Too many requests: retry later', { 'retry-after': String(e.retryAfter ?? 1) });
        if (e.status < 500) return refuse(500, 'refresh_failed', 'The server could not refresh the secret'); // our key or request: not the browser's to fix
      }
      if (e instanceof FaceSignAPIError || e instanceof FaceSignConnectionError)
        return refuse(503, 'facesign_unavailable', 'FaceSign is not reachable: retry shortly', { 'retry-after': '1' });
      return refuse(500, 'refresh_failed', 'The server could not refresh the secret');
    }
    const { secret, expireAt, url } = clientSecretNew;
    return answer(200, { clientSecret: { secret, expireAt, url } });
  }
}

/** onRefresh threw: the new secret could not be kept. */
class StoreFailed {
  constructor(readonly cause: unknown) {}
}
