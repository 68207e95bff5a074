// A fetch handler as a node:http / Express handler, without importing node: modules (the server entry runs on
// Workers and Deno too): the request's parts are read structurally. Bodies stream both ways: the handler reads
// the request as it arrives (so its own body limit holds: nothing past it is read), and the response goes out as
// the handler produces it.

/** The parts of node:http's IncomingMessage (and Express's Request) used here. */
export interface NodeRequest extends AsyncIterable<Uint8Array | string> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Express: set when a body parser ran first (express.json / express.raw / express.text) */
  body?: unknown;
  /** Express: the mounted route's full path */
  originalUrl?: string;
}
/** The parts of node:http's ServerResponse used here. */
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string | string[]>): unknown;
  write(chunk: Uint8Array): unknown;
  end(body?: Uint8Array): unknown;
  /** node:http: ends a response that cannot be completed (the client sees a cut-off answer, not a hang) */
  destroy?(error?: Error): unknown;
  /** node:http: 'close' when the response is done or the client went away */
  on?(event: 'close', listener: () => void): unknown;
  /** node:http: the whole response was handed to the system */
  writableFinished?: boolean;
}

export interface NodeHandlerOptions {
  /** a failure after the response's head was sent (the response is ended), when there is no `next` */
  onError?: (error: unknown) => void;
}

/** The request's body as a stream, pulled from the node stream as the handler reads it. */
function streamOf(req: NodeRequest): ReadableStream<Uint8Array> {
  const it = req[Symbol.asyncIterator]();
  const enc = new TextEncoder();
  return new ReadableStream({
    async pull(c) {
      const { done, value } = await it.next();
      if (done) c.close();
      else c.enqueue(typeof value === 'string' ? enc.encode(value) : value);
    },
    // the handler stopped reading (a body over its limit): the rest is never read
    async cancel() {
      await it.return?.();
    },
  });
}

/** `(req, res) => Promise<void>` for `http.createServer`, `app.post(path, …)`, or connect-style middleware. */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): (req: NodeRequest, res: NodeResponse, next?: (e?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    const fail = (e: unknown) => (next ? next(e) : options.onError?.(e));
    // the client going away aborts the Request's signal: the handler stops waiting for FaceSign on its behalf
    const gone = new AbortController();
    res.on?.('close', () => res.writableFinished || gone.abort(new DOMException('the client went away', 'AbortError')));
    let response: Response;
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      let body: BodyInit | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        // a body parser ran before us: take what it left
        if (req.body !== undefined)
          body = typeof req.body === 'string' || req.body instanceof Uint8Array ? (req.body as BodyInit) : JSON.stringify(req.body);
        else body = streamOf(req);
      }
      const url = new URL(req.originalUrl ?? req.url ?? '/', `http://${headers.get('host') ?? 'localhost'}`);
      // duplex: a streamed request body (undici requires it; the fetch standard's half-duplex)
      response = await handler(new Request(url, { method, headers, body, signal: gone.signal, duplex: 'half' } as RequestInit));
    } catch (e) {
      if (next) return next(e);
      options.onError?.(e);
      response = new Response(JSON.stringify({ error: { code: 'server_error', message: 'The server failed on this request' } }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    // Headers joins several Set-Cookie values with ", ", which no browser splits back: each goes on its own line
    const cookies = response.headers.getSetCookie?.() ?? [];
    if (cookies.length) out['set-cookie'] = cookies;
    res.writeHead(response.status, out);
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    } catch (e) {
      // the head is gone: end the response as failed (never a hung one) and report it
      res.destroy?.(e instanceof Error ? e : new Error(String(e)));
      fail(e);
    }
  };
}
