// The demo merchant's backend, following the seeds' integration guide and built on @facesign/verify/server: create
// the FaceSign session server-side with the secret key, store it, hand only the client secret to the browser,
// refresh through the ready-made handler, and trust only signed webhooks (Standard Webhooks) for the result.
// Mounted as middleware on the demo app's dev server; in-memory store. Every route but the webhook answers the
// app's own pages only (request-guards.mjs), and every body is limited before it is read.
import { FaceSign, FaceSignAPIError, FaceSignSignatureError, toNodeHandler } from '../server-sdk.mjs';
import { Refused, checkSameOrigin, readBody, readJson } from './request-guards.mjs';
import { SAMPLES } from './samples.mjs';

/** The app's own requests are a few hundred bytes; a webhook carries the session's report. */
const MAX_BODY = 16 * 1024;
const MAX_WEBHOOK_BODY = 1024 * 1024;

/**
 * @param {object} o
 * @param {string} o.apiUrl the FaceSign API (simulator) base URL
 * @param {string} o.apiKey the secret key (sk_test_…): stays on this server
 * @param {string} o.webhookSecret the whsec_… key webhooks are signed with
 * @param {string} [o.appOrigin] the demo app's origin, the only one whose pages it answers (`config.appOrigin`
 *   can be set later, once the app's server has its port)
 * @param {(line: string) => void} [o.log]
 */
export function createBackend({ apiUrl, apiKey, webhookSecret, appOrigin, log = () => {} }) {
  const config = { appOrigin };
  const facesign = new FaceSign({ apiKey, baseUrl: apiUrl, timeout: 10_000 });
  /** sessionId -> the merchant's record */
  const store = new Map();
  /** webhook-id values already applied: a delivery can repeat (retries), and a replay must not apply twice */
  const applied = new Set();
  /** test hooks for the secret-refresh endpoint: fail N times, hang, or answer garbage */
  const faults = { fail: 0, status: 500, hang: 0, garbage: 0 };

  const send = (res, status, body, headers = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));

  // the element's refresh-url: only the holder of this verification's current secret gets a new one (a real
  // app also checks its own login session here, and looks the record up for that user); the new secret is stored
  // before the browser gets it
  const refresh = toNodeHandler(
    facesign.refreshHandler({
      // the path's id is a claim like the body's: the record goes back as stored, and the handler refreshes only
      // if its secret is the one the browser holds and its session the one the body names
      authorize: (request) => {
        const rec = store.get(decodeURIComponent(new URL(request.url).pathname.split('/')[3]));
        return rec ? { sessionId: rec.sessionId, clientSecret: rec.secret } : false;
      },
      onRefresh: ({ sessionId, clientSecret }) => void (store.get(sessionId).secret = clientSecret.secret),
      onError: (e) => log(`refresh: ${e?.message ?? e}`),
    }),
  );

  const resultOf = (session) => ({
    isVerified: session.report.isVerified,
    livenessDetected: session.report.livenessDetected,
    finishedAt: session.finishedAt,
    transcriptLength: session.report.transcript.length,
  });

  /** A verified delivery, applied once per webhook-id; a finished record never moves back. */
  function applyWebhook(event) {
    const session = event.data.session;
    const rec = store.get(session.id);
    if (!rec) return 'unknown session';
    if (applied.has(event.id)) return 'duplicate';
    applied.add(event.id);
    rec.events.push({ id: event.id, type: event.type, createdAt: event.createdAt });
    if (rec.status === 'complete' || rec.status === 'canceled') return;
    rec.status = session.status;
    if (session.report) rec.result = resultOf(session);
    log(`webhook ${event.type}: ${session.id} is ${session.status}`);
  }

  return {
    store,
    faults,
    config,
    /** connect-style middleware: handles /api/*, passes everything else on */
    async handle(req, res, next) {
      const url = new URL(req.url, 'http://x');
      if (!url.pathname.startsWith('/api/')) return next();
      let m;
      try {
        // FaceSign's webhooks come from its servers (no Origin), trusted for their signature alone
        if (url.pathname !== '/api/webhooks/facesign') {
          if (!config.appOrigin) throw new Error('config.appOrigin is not set: the backend cannot tell its own pages');
          checkSameOrigin(req, config.appOrigin);
        }
        if (req.method === 'GET' && url.pathname === '/api/samples')
          return send(res, 200, { samples: Object.entries(SAMPLES).map(([id, s]) => ({ id, title: s.title })) });

        if (req.method === 'POST' && url.pathname === '/api/verifications') {
          const body = await readJson(req, MAX_BODY);
          const sample = SAMPLES[body.sample ?? 'greeting'];
          if (!sample) return send(res, 400, { error: `unknown sample "${body.sample}"` });
          let created;
          try {
            created = await facesign.sessions.create({ clientReferenceId: 'demo-user-1', metadata: { source: 'demo' }, ...sample.settings });
          } catch (e) {
            log(`create: ${e.message}`);
            return send(res, 502, { error: e instanceof FaceSignAPIError ? e.message : 'FaceSign is not reachable' });
          }
          const { session, clientSecret } = created;
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

        // a page that came back (a reload, Back, a discarded tab) continuing the verification its element ran: the
        // user's own unfinished session gets a new secret (a real app looks the session up by the logged-in user;
        // this demo has one user). Unknown or ended: 404, and the page starts a new verification
        if (req.method === 'POST' && url.pathname === '/api/verifications/resume') {
          const body = await readJson(req, MAX_BODY);
          const rec = typeof body.sessionId === 'string' ? store.get(body.sessionId) : undefined;
          if (!rec || rec.status === 'complete' || rec.status === 'canceled') return send(res, 404, { error: 'no unfinished verification' });
          let refreshed;
          try {
            refreshed = await facesign.sessions.refreshSecret(rec.sessionId);
          } catch (e) {
            log(`resume: ${e.message}`);
            // ended on FaceSign's side meanwhile (or not reachable): a new verification
            return send(res, e instanceof FaceSignAPIError && e.status < 500 ? 404 : 502, { error: 'could not continue' });
          }
          rec.secret = refreshed.clientSecret.secret;
          const { secret, expireAt, url: pageUrl } = refreshed.clientSecret;
          return send(res, 200, { sessionId: rec.sessionId, clientSecret: { secret, expireAt, url: pageUrl } });
        }

        if (req.method === 'POST' && (m = /^\/api\/verifications\/([^/]+)\/secret$/.exec(url.pathname))) {
          if (!store.has(m[1])) return send(res, 404, { error: 'unknown verification' });
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
          return await refresh(req, res);
        }

        if (req.method === 'POST' && url.pathname === '/api/webhooks/facesign') {
          let event;
          try {
            // the raw body, exactly as it came: a parsed and re-serialised one would not match its signature
            event = await facesign.webhooks.verify(await readBody(req, MAX_WEBHOOK_BODY), req.headers, webhookSecret);
          } catch (e) {
            if (!(e instanceof FaceSignSignatureError)) throw e;
            log(`webhook refused (${e.code}): ${e.message}`);
            return send(res, 400, { error: e.code });
          }
          const why = applyWebhook(event);
          // a duplicate is answered 200 so FaceSign stops retrying it, but it is not applied again
          // a session this app did not create (another app on the same FaceSign account, e.g. yours beside the demo in
          // the sandbox): acknowledged, so FaceSign does not retry what will never be applied, and not stored
          if (why === 'unknown session') return send(res, 200, { received: true, ignored: 'not a session of this app' });
          return send(res, 200, { received: true, duplicate: why === 'duplicate' });
        }

        if (req.method === 'GET' && (m = /^\/api\/verifications\/([^/]+)$/.exec(url.pathname))) {
          const rec = store.get(m[1]);
          if (!rec) return send(res, 404, { error: 'unknown verification' });
          // ?sync=1 asks FaceSign directly, for when a webhook is late or was lost (the guide: don't poll)
          if (url.searchParams.get('sync') === '1' && rec.status !== 'complete' && rec.status !== 'canceled') {
            const { session } = await facesign.sessions.retrieve(rec.sessionId);
            rec.status = session.status;
            if (session.report) rec.result = resultOf(session);
          }
          // the page reads the result, not the secret
          return send(res, 200, { ...rec, secret: undefined });
        }

        if (req.method === 'POST' && url.pathname === '/api/test/refresh-faults') {
          Object.assign(faults, { fail: 0, status: 500, hang: 0, garbage: 0 }, await readJson(req, MAX_BODY));
          return send(res, 200, faults);
        }
        return send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
      } catch (e) {
        // the rest of a body over the limit is never read: the connection closes with the answer
        if (e instanceof Refused) return send(res, e.status, { error: e.message, code: e.code }, e.status === 413 ? { connection: 'close' } : {});
        log(`backend error: ${e?.message ?? e}`);
        return send(res, 500, { error: 'demo backend error' });
      }
    },
  };
}
