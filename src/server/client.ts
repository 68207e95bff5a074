// The FaceSign API client for merchant servers, as FaceSign's integration guide uses it:
// `client.sessions.create(config)`, `client.sessions.refreshSecret(sessionId)`. fetch and Web Crypto only.
import { VERSION } from '../version.js';
import { FaceSignServerError, checkNumber, described } from './errors.js';
import { request, type RequestOptions, type Transport } from './http.js';
import { redactKey } from './redact.js';
import { refreshHandler, type RefreshHandlerOptions } from './refresh-handler.js';
import { checkId } from './session-id.js';
import { testHelpers, type TestHelpers } from './test-helpers.js';
import type { Avatar, ClientSecret, CreateSessionParams, Lang, SessionWithSecret } from './types.js';
import { verifyWebhook, type VerifyWebhookOptions, type WebhookHeaders } from './webhooks.js';

export const DEFAULT_BASE_URL = 'https://api.facesign.ai';

export interface FaceSignOptions {
  /** your secret key, `sk_test_…` or `sk_prod_…`: keep it on the server (an environment variable) */
  apiKey: string;
  /** default https://api.facesign.ai; the sandbox's simulator is http://127.0.0.1:4010 */
  baseUrl?: string;
  /** ms per attempt (default 30 000) */
  timeout?: number;
  /** retries after the first attempt (default 2) */
  maxRetries?: number;
  /** a fetch to use instead of the global one */
  fetch?: typeof fetch;
  /** allow construction where `document` exists (a test environment like jsdom); never in a real page */
  dangerouslyAllowBrowser?: boolean;
}

export interface CreateSessionOptions extends RequestOptions {
  /** makes retries safe: the API creates one session per key. A random one is made when you pass none. */
  idempotencyKey?: string;
}

const fail = (code: string, message: string): never => {
  throw new FaceSignServerError(code, message);
};

/**
 * An Idempotency-Key is a header value: a line break, a control or non-ASCII character, or a space at either end
 * would make fetch throw (reported as "could not reach FaceSign" and retried) or be changed on the way, so it is
 * refused before any request. The message says where, not what: the key may be the merchant's own order data.
 */
function checkIdempotencyKey(key: unknown): void {
  const rule = 'idempotencyKey must be 1 to 255 printable ASCII characters (spaces only between others), e.g. crypto.randomUUID()';
  if (typeof key !== 'string' || !key || key.length > 255)
    fail('invalid_argument', `${rule}: got ${typeof key === 'string' ? `${key.length} characters` : typeof key}`);
  const at = (key as string).search(/[^\x20-\x7e]|^ | $/);
  if (at >= 0) {
    const c = (key as string).charCodeAt(at);
    const what =
      c === 32
        ? `a space at its ${at ? 'end' : 'start'}`
        : `${c === 13 || c === 10 ? 'a line break' : c < 32 || c === 127 ? 'a control character' : 'a non-ASCII character'} at position ${at}`;
    fail('invalid_argument', `${rule}: it has ${what}`);
  }
}

/** Loopback hosts, where plain http keeps the key on this machine. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export class FaceSign {
  readonly #apiKey: string;
  readonly #transport: Transport;

  constructor(options: FaceSignOptions) {
    if (!options || typeof options !== 'object') fail('invalid_option', 'new FaceSign({ apiKey }) takes an options object');
    const { apiKey, baseUrl = DEFAULT_BASE_URL, timeout = 30_000, maxRetries = 2, fetch: fetchImpl, dangerouslyAllowBrowser } = options;
    if (typeof document !== 'undefined' && typeof window !== 'undefined' && dangerouslyAllowBrowser !== true)
      fail(
        'browser_environment',
        'FaceSign (@facesign/verify/server) runs on your server only: an API key must never reach a web page. In the page, use <facesign-verify> with a client secret.',
      );
    // the message never repeats the key, not even in part
    if (typeof apiKey !== 'string' || !apiKey)
      fail('invalid_api_key', 'apiKey is missing: pass your secret key (sk_test_… or sk_prod_…), e.g. from process.env.FACESIGN_API_KEY');
    if (apiKey.startsWith('fs_client_secret_'))
      fail('invalid_api_key', 'apiKey is a client secret: pass your secret API key (sk_test_… or sk_prod_…)');
    if (!/^sk_(test|prod)_\w+$/.test(apiKey))
      fail('invalid_api_key', 'apiKey must be a FaceSign secret key: sk_test_… or sk_prod_… (letters, digits and _)');
    let base: URL | undefined;
    try {
      base = new URL(baseUrl);
    } catch {
      // reported below
    }
    if (!base || !/^https?:$/.test(base.protocol)) fail('invalid_option', `baseUrl must be an https URL (got ${described(baseUrl)})`);
    // the key travels in every request's Authorization header: never in cleartext off this machine
    if (base!.protocol === 'http:' && !LOOPBACK.test(base!.hostname))
      fail('invalid_option', `baseUrl must be https (http only on loopback: localhost, 127.x.x.x, [::1]); got ${base!.origin}`);
    if (base!.username || base!.password)
      fail('invalid_option', 'baseUrl must not carry credentials (user:password@): the API key is the only credential');
    checkNumber('timeout', timeout, { positive: true, unit: 'milliseconds' });
    checkNumber('maxRetries', maxRetries, { integer: true });
    const f = fetchImpl ?? globalThis.fetch;
    if (typeof f !== 'function') fail('invalid_option', 'No fetch here: pass options.fetch (Node 20+ has one)');
    this.#apiKey = apiKey;
    this.#transport = {
      baseUrl: base!.href.replace(/\/?$/, '/'),
      authorization: () => `Bearer ${this.#apiKey}`,
      redact: (text) => redactKey(text, this.#apiKey),
      timeout,
      maxRetries,
      // called unbound: some runtimes' fetch throws "Illegal invocation" as a method of another object
      fetch: (input, init) => f(input, init),
      userAgent: `facesign-verify-server/${VERSION}`,
    };
    this.testHelpers = testHelpers(this.#transport, () => this.mode);
  }

  /** `sk_test_` keys talk to the test environment */
  get mode(): 'test' | 'prod' {
    return this.#apiKey.startsWith('sk_test_') ? 'test' : 'prod';
  }

  readonly sessions = {
    /**
     * Creates a session; give the browser only `clientSecret`. Retried like reads, because every call carries an
     * Idempotency-Key (yours, or a random one): a retry can never create a second session.
     */
    create: async (params: CreateSessionParams, options: CreateSessionOptions = {}): Promise<SessionWithSecret> => {
      if (!params || typeof params !== 'object' || Array.isArray(params))
        fail('invalid_argument', 'sessions.create(params) takes the session settings object (clientReferenceId, flow or modules, …)');
      const { idempotencyKey = crypto.randomUUID(), ...rest } = options;
      checkIdempotencyKey(idempotencyKey);
      return request(this.#transport, { ...rest, method: 'POST', path: 'sessions', body: params, idempotencyKey });
    },
    /** The session with its status and, once complete, its report. Prefer webhooks to polling this. */
    retrieve: async (sessionId: string, options?: RequestOptions): Promise<SessionWithSecret> =>
      request(this.#transport, { ...options, method: 'GET', path: `sessions/${checkId(sessionId, 'sessionId')}` }),
    /** A new client secret for the session; the old one stops working at once. */
    refreshSecret: async (sessionId: string, options?: RequestOptions): Promise<{ clientSecret: ClientSecret }> =>
      request(this.#transport, { ...options, method: 'GET', path: `sessions/${checkId(sessionId, 'sessionId')}/refresh` }),
  };

  readonly avatars = {
    list: (options?: RequestOptions): Promise<{ avatars: Avatar[] }> => request(this.#transport, { ...options, method: 'GET', path: 'avatars' }),
  };

  readonly langs = {
    list: (options?: RequestOptions): Promise<{ langs: Lang[] }> => request(this.#transport, { ...options, method: 'GET', path: 'langs' }),
  };

  /** For your tests against the sandbox, with a test key only (a live key throws `test_mode_only`, sending nothing). */
  readonly testHelpers: TestHelpers;

  readonly webhooks = {
    /** See `verifyWebhook`: the delivery's typed event, or a `FaceSignSignatureError`. */
    verify: (
      rawBody: string | Uint8Array | ArrayBuffer,
      headers: WebhookHeaders,
      secret: string | readonly string[],
      options?: VerifyWebhookOptions,
    ) => verifyWebhook(rawBody, headers, secret, options),
  };

  /** The element's refresh-url endpoint, ready-made: see `RefreshHandlerOptions`. */
  refreshHandler(options: RefreshHandlerOptions): (request: Request) => Promise<Response> {
    return refreshHandler(this, options);
  }
}
