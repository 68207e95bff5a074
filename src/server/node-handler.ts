// A fetch handler as a node:http / Express handler, without importing node: modules (the server entry runs on
// Workers and Deno too): the request's parts are read structurally.

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
  end(body?: Uint8Array): unknown;
}

/** `(req, res) => Promise<void>` for `http.createServer`, `app.post(path, …)`, or connect-style middleware. */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
): (req: NodeRequest, res: NodeResponse, next?: (e?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    let response: Response;
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      let body: BodyInit | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        if (req.body !== undefined) {
          // a body parser ran before us: take what it left
          body = typeof req.body === 'string' || req.body instanceof Uint8Array ? (req.body as BodyInit) : JSON.stringify(req.body);
        } else {
          const chunks: Uint8Array[] = [];
          for await (const c of req) chunks.push(typeof c === 'string' ? new TextEncoder().encode(c) : c);
          body = new Blob(chunks as BlobPart[]);
        }
      }
      const url = new URL(req.originalUrl ?? req.url ?? '/', `http://${headers.get('host') ?? 'localhost'}`);
      response = await handler(new Request(url, { method, headers, body }));
    } catch (e) {
      if (next) return next(e);
      response = new Response(JSON.stringify({ error: { code: 'server_error', message: 'The server failed on this request' } }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    res.writeHead(response.status, out);
    res.end(new Uint8Array(await response.arrayBuffer()));
  };
}
