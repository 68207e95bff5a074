// The demo merchant's backend, following the seeds' integration guide: create the FaceSign session server-side
// with the secret key, store it, hand only the client secret to the browser, and trust webhooks (signed) for the
// result. Mounted as middleware on the demo app's dev server; in-memory store.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SAMPLES } from './samples.mjs';

/**
 * @param {object} o
 * @param {string} o.apiUrl the FaceSign API (simulator) base URL
 * @param {string} o.apiKey the secret key (sk_test_…): stays on this server
 * @param {string} o.webhookSecret the key webhooks are signed with
 * @param {(line: string) => void} [o.log]
 */
export function createBackend({ apiUrl, apiKey, webhookSecret, log = () => {} }) {
  /** sessionId -> the merchant's record */
  const store = new Map();
  /** test hooks for the secret-refresh endpoint: fail N times, hang, or answer garbage */
  const faults = { fail: 0, status: 500, hang: 0, garbage: 0 };

  const facesign = async (method, path, body) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, json: await res.json() };
  };

  const send = (res, status, body) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  const readBody = async (req) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    return Buffer.concat(chunks);
  };

  function applyWebhook(raw, signature) {
    const expected = `sha256=${createHmac('sha256', webhookSecret).update(raw).digest('hex')}`;
    const a = Buffer.from(String(signature ?? ''));
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'bad signature';
    const event = JSON.parse(raw.toString('utf8'));
    const session = event?.data?.session;
    const rec = session && store.get(session.id);
    if (!rec) return 'unknown session';
    // deliveries can repeat (retries): apply each event id once, and never move a finished record back
    if (rec.events.some((e) => e.id === event.id)) return;
    rec.events.push({ id: event.id, type: event.type, createdAt: event.createdAt });
    if (rec.status === 'complete' || rec.status === 'canceled') return;
    rec.status = session.status;
    if (session.report)
      rec.result = {
        isVerified: session.report.isVerified,
        livenessDetected: session.report.livenessDetected,
        finishedAt: session.finishedAt,
        transcriptLength: session.report.transcript.length,
      };
    log(`webhook ${event.type}: ${session.id} is ${session.status}`);
  }

  return {
    store,
    faults,
    /** connect-style middleware: handles /api/*, passes everything else on */
    async handle(req, res, next) {
      const url = new URL(req.url, 'http://x');
      if (!url.pathname.startsWith('/api/')) return next();
      let m;
      try {
        if (req.method === 'GET' && url.pathname === '/api/samples')
          return send(res, 200, { samples: Object.entries(SAMPLES).map(([id, s]) => ({ id, title: s.title })) });

        if (req.method === 'POST' && url.pathname === '/api/verifications') {
          const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
          const sample = SAMPLES[body.sample ?? 'greeting'];
          if (!sample) return send(res, 400, { error: `unknown sample "${body.sample}"` });
          const r = await facesign('POST', '/sessions', { clientReferenceId: 'demo-user-1', metadata: { source: 'demo' }, ...sample.settings });
          if (r.status !== 201) return send(res, 502, { error: r.json.error?.message ?? 'FaceSign error' });
          const { session, clientSecret } = r.json;
          store.set(session.id, {
            sessionId: session.id,
            status: session.status,
            createdAt: session.createdAt,
            events: [],
            result: null,
            secret: clientSecret.secret,
          });
          // only the client secret goes to the browser: never the API key, never the whole session
          return send(res, 201, {
            sessionId: session.id,
            clientSecret: { secret: clientSecret.secret, expireAt: clientSecret.expireAt, url: clientSecret.url },
          });
        }

        if (req.method === 'POST' && (m = /^\/api\/verifications\/([^/]+)\/secret$/.exec(url.pathname))) {
          const rec = store.get(m[1]);
          if (!rec) return send(res, 404, { error: 'unknown verification' });
          // the browser proves it holds this session's current secret (expired is fine): a session id alone
          // must not be enough to mint secrets. A real app also checks its own login session here.
          const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
          if (body.clientSecret !== rec.secret) return send(res, 403, { error: 'not the current client secret of this verification' });
          if (faults.hang > 0) {
            faults.hang--;
            return; // never answers: the element's timeout must handle it
          }
          if (faults.fail > 0) {
            faults.fail--;
            return send(res, faults.status, { error: 'injected failure' });
          }
          if (faults.garbage > 0) {
            faults.garbage--;
            return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not json</html>');
          }
          const r = await facesign('GET', `/sessions/${encodeURIComponent(rec.sessionId)}/refresh`);
          if (r.status !== 200) return send(res, r.status === 404 ? 404 : 409, { error: r.json.error?.message ?? 'refresh failed' });
          const { secret, expireAt, url: hosted } = r.json.clientSecret;
          rec.secret = secret;
          return send(res, 200, { clientSecret: { secret, expireAt, url: hosted } });
        }

        if (req.method === 'POST' && url.pathname === '/api/webhooks/facesign') {
          const why = applyWebhook(await readBody(req), req.headers['facesign-signature']);
          return why ? send(res, 400, { error: why }) : send(res, 200, { received: true });
        }

        if (req.method === 'GET' && (m = /^\/api\/verifications\/([^/]+)$/.exec(url.pathname))) {
          const rec = store.get(m[1]);
          return rec ? send(res, 200, rec) : send(res, 404, { error: 'unknown verification' });
        }

        if (req.method === 'POST' && url.pathname === '/api/test/refresh-faults') {
          Object.assign(faults, { fail: 0, status: 500, hang: 0, garbage: 0 }, JSON.parse((await readBody(req)).toString('utf8') || '{}'));
          return send(res, 200, faults);
        }
        return send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
      } catch (e) {
        log(`backend error: ${e?.message ?? e}`);
        return send(res, 500, { error: 'demo backend error' });
      }
    },
  };
}
