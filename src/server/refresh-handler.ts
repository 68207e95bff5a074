// The element's refresh-url endpoint (README, "The refresh-url contract"), ready-made as a fetch handler:
// (Request) => Promise<Response>, for Next.js route handlers, Bun, Deno, Workers; toNodeHandler() for node:http
// and Express. It refuses by default: the merchant's `authorize` decides who may continue which session.
import { FaceSignAPIError, FaceSignConnectionError, FaceSignServerError } from './errors.js';
import type { ClientSecret } from './types.js';

interface RefreshClient {
  sessions: { refreshSecret(sessionId: string): Promise<{ clientSecret: ClientSecret }> };
}

export interface RefreshRequest {
  /** the session to refresh: from the body, when the element knows it */
  sessionId: string | undefined;
  /** the secret the browser holds now (possibly expired): check it is the one you issued last */
  clientSecret: string;
}

export interface RefreshHandlerOptions {
  /**
   * Decides whether this caller may continue this verification: check your own login session and that
   * `clientSecret` is the one you stored for it. Return `false` to refuse (403), `true` to allow the body's
   * `sessionId`, or the FaceSign session id you found for the caller (needed when the body has none; a body
   * naming another session is refused).
   */
  authorize: (request: Request, body: RefreshRequest) => boolean | string | Promise<boolean | string>;
  /** Store the new secret here (the old one no longer works); a throw answers 500. */
  onRefresh?: (result: { sessionId: string; clientSecret: ClientSecret; request: Request }) => void | Promise<void>;
  /** Your log: every failure answered with a 5xx, and the API's refusals. */
  onError?: (error: unknown) => void;
}

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
const refuse = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  answer(status, { error: { code, message } }, headers);

export function refreshHandler(client: RefreshClient, options: RefreshHandlerOptions): (request: Request) => Promise<Response> {
  if (typeof options?.authorize !== 'function')
    throw new FaceSignServerError(
      'invalid_option',
      'refreshHandler needs authorize(request, { sessionId, clientSecret }): without it anyone could mint secrets for any session',
    );
  const { authorize, onRefresh, onError = () => {} } = options;

  return async (request) => {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'POST { clientSecret, sessionId }', { allow: 'POST' });
    let body: { clientSecret?: unknown; sessionId?: unknown };
    try {
      body = await request.json();
    } catch {
      return refuse(400, 'invalid_body', 'The body must be JSON: { "clientSecret": "…", "sessionId": "…" }');
    }
    const { clientSecret, sessionId } = body ?? {};
    if (typeof clientSecret !== 'string' || !clientSecret)
      return refuse(400, 'invalid_body', 'clientSecret (the secret the page holds now) is required');
    if (sessionId !== undefined && (typeof sessionId !== 'string' || !sessionId)) return refuse(400, 'invalid_body', 'sessionId must be a string');

    let allowed: boolean | string;
    try {
      allowed = await authorize(request, { sessionId, clientSecret });
    } catch (e) {
      onError(e);
      return refuse(500, 'authorize_failed', 'The server could not check this request');
    }
    if (typeof allowed !== 'boolean' && typeof allowed !== 'string') {
      onError(new TypeError('authorize must return true, false or a session id'));
      return refuse(500, 'authorize_failed', 'The server could not check this request');
    }
    if (allowed === false || (typeof allowed === 'string' && sessionId !== undefined && allowed !== sessionId))
      return refuse(403, 'forbidden', 'Not allowed to continue this verification');
    const id = typeof allowed === 'string' ? allowed : sessionId;
    if (!id) return refuse(400, 'invalid_body', 'sessionId is required (or authorize returns the session id)');

    let clientSecretNew: ClientSecret;
    try {
      ({ clientSecret: clientSecretNew } = await client.sessions.refreshSecret(id));
    } catch (e) {
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
    try {
      await onRefresh?.({ sessionId: id, clientSecret: clientSecretNew, request });
    } catch (e) {
      onError(e);
      return refuse(500, 'store_failed', 'The server could not keep the new secret');
    }
    const { secret, expireAt, url } = clientSecretNew;
    return answer(200, { clientSecret: { secret, expireAt, url } });
  };
}
