// One API request with a timeout per attempt and retries with backoff: network errors, timeouts, 408, 429 and 5xx
// are retried (honouring Retry-After), other 4xx never. fetch only: Node 20+, Bun, Deno, Workers, edge runtimes.
import { FaceSignAPIError, FaceSignConnectionError } from './errors.js';
import { redactCause } from './redact.js';

export interface RequestOptions {
  /** cancels the request (and its retries); the promise rejects with the signal's reason */
  signal?: AbortSignal;
  /** ms per attempt; the client's `timeout` by default */
  timeout?: number;
  /** the client's `maxRetries` by default */
  maxRetries?: number;
}

export interface Transport {
  baseUrl: string;
  authorization: () => string;
  /** the key out of a text (an API message, a fetch failure) before it goes into an error */
  redact: (text: string) => string;
  timeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  userAgent: string;
}

interface Call extends RequestOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** sent as Idempotency-Key; a POST is retried only with one */
  idempotencyKey?: string;
}

/** The longest Retry-After we wait for; a longer one is returned to the caller as the error. */
const MAX_RETRY_AFTER = 60;

export async function request<T>(t: Transport, call: Call): Promise<T> {
  const maxRetries = call.maxRetries ?? t.maxRetries;
  const canRetry = call.method === 'GET' || call.idempotencyKey !== undefined;
  for (let attempt = 0; ; attempt++) {
    let error: FaceSignAPIError | FaceSignConnectionError;
    try {
      return await once<T>(t, call);
    } catch (e) {
      if (!(e instanceof FaceSignAPIError || e instanceof FaceSignConnectionError)) throw e;
      error = e;
    }
    const retryable = error instanceof FaceSignConnectionError || error.status === 408 || error.status === 429 || error.status >= 500;
    const retryAfter = error instanceof FaceSignAPIError ? error.retryAfter : undefined;
    if (!canRetry || !retryable || attempt >= maxRetries || (retryAfter ?? 0) > MAX_RETRY_AFTER) throw error;
    // exponential backoff with jitter (0.5–1× of 0.5 s, 1 s, 2 s, … up to 8 s), or what the API asked for
    const ms = retryAfter !== undefined ? retryAfter * 1000 : Math.min(8000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
    await sleep(ms, call.signal);
  }
}

async function once<T>(t: Transport, call: Call): Promise<T> {
  call.signal?.throwIfAborted();
  const timeout = call.timeout ?? t.timeout;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  const onAbort = () => controller.abort();
  call.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let res: Response;
    try {
      res = await t.fetch(new URL(call.path, t.baseUrl), {
        method: call.method,
        headers: {
          accept: 'application/json',
          authorization: t.authorization(),
          'user-agent': t.userAgent,
          ...(call.body !== undefined && { 'content-type': 'application/json' }),
          ...(call.idempotencyKey !== undefined && { 'idempotency-key': call.idempotencyKey }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: controller.signal,
      });
    } catch (e) {
      call.signal?.throwIfAborted();
      if (controller.signal.aborted)
        throw new FaceSignConnectionError('timeout', `FaceSign did not answer ${call.method} ${call.path} within ${timeout} ms`);
      throw new FaceSignConnectionError('connection_error', t.redact(`Could not reach FaceSign at ${t.baseUrl} (${(e as Error)?.message ?? e})`), {
        cause: redactCause(e, t.redact),
      });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      call.signal?.throwIfAborted();
      if (controller.signal.aborted)
        throw new FaceSignConnectionError('timeout', `FaceSign's answer to ${call.method} ${call.path} did not arrive within ${timeout} ms`);
      throw new FaceSignConnectionError('connection_error', `FaceSign's answer to ${call.method} ${call.path} was cut off`, {
        cause: redactCause(e, t.redact),
      });
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) throw FaceSignAPIError.fromResponse(res.status, body, retryAfterSeconds(res.headers.get('retry-after')), t.redact);
    if (body === undefined || typeof body !== 'object')
      throw new FaceSignAPIError(res.status, 'api_error', `FaceSign answered ${call.method} ${call.path} with a body that is not a JSON object`);
    return body as T;
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onAbort);
  }
}

/** Retry-After: delay-seconds or an HTTP date. */
function retryAfterSeconds(v: string | null): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => (signal?.removeEventListener('abort', stop), resolve());
    const timer = setTimeout(done, ms);
    const stop = () => (clearTimeout(timer), reject(signal!.reason));
    signal?.addEventListener('abort', stop, { once: true });
  });
}
