// The server entry's suite, portable: no Node module, no test framework, only what every runtime a merchant's
// backend runs on has (fetch, Request, Response, Web Crypto). test/node/runtimes.test.mjs runs it on Node 22 and
// 24, Bun, Deno and workerd (each through entry.mjs or worker.mjs), against the API simulator on loopback.

const FLOW = [
  { id: 'start', type: 'start', outcome: 'greeting' },
  { id: 'greeting', type: 'conversation', prompt: 'Your name?', outcomes: [{ id: 'n', condition: 'a name', targetNodeId: 'end' }] },
  { id: 'end', type: 'end' },
];
export const PARAMS = { clientReferenceId: 'runtime-suite', flow: FLOW };
const WEBHOOK_KEY = 'runtime-suite-webhook-key';
export const WEBHOOK_SECRET = `whsec_${btoa(WEBHOOK_KEY)}`;

function check(cond, message) {
  if (!cond) throw new Error(message);
}

/** The error `fn` rejects with (fails when it resolves). */
async function refusal(fn) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal, it went through');
}

/** A Standard Webhooks signature made with Web Crypto only. */
async function sign(secret, id, ts, body) {
  const raw = Uint8Array.from(atob(secret.slice('whsec_'.length)), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${ts}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

const post = (handler, body, type = 'application/json') =>
  handler(new Request('http://merchant.test/api/secret', { method: 'POST', headers: { 'content-type': type }, body }));

/**
 * Runs every check; resolves with `{ passed: [names], failed: [{ name, message }] }` (never rejects, so a runtime
 * reports all it could do).
 */
export async function serverSuite(server, { apiBase, apiKey }) {
  const { FaceSign, FaceSignAPIError, FaceSignSignatureError, verifyWebhook } = server;
  const fs = new FaceSign({ apiKey, baseUrl: apiBase, maxRetries: 1 });
  const checks = {
    async 'client: sessions.create, retrieve, refreshSecret against the simulator'() {
      const { session, clientSecret } = await fs.sessions.create(PARAMS);
      check(/^fs_session_/.test(session.id), `session id ${session.id}`);
      check(session.status === 'requiresInput', `status ${session.status}`);
      const got = await fs.sessions.retrieve(session.id);
      check(got.session.id === session.id, 'retrieve gives the session');
      const { clientSecret: fresh } = await fs.sessions.refreshSecret(session.id);
      check(fresh.secret && fresh.secret !== clientSecret.secret, 'a new secret');
    },
    async 'client: an unknown session is a FaceSignAPIError 404 that does not carry the key'() {
      const e = await refusal(() => fs.sessions.retrieve('fs_session_nobody'));
      check(e instanceof FaceSignAPIError && e.status === 404 && e.type === 'not_found_error', `${e?.name} ${e?.status} ${e?.type}`);
      check(!JSON.stringify(e).includes(apiKey) && !String(e.stack).includes(apiKey), 'the key in the error');
    },
    async 'client: ids ".." and "a/b" refused, baseUrl http off loopback refused'() {
      for (const id of ['..', 'a/b']) check((await refusal(() => fs.sessions.retrieve(id))).code === 'invalid_argument', id);
      const e = await refusal(() => new FaceSign({ apiKey, baseUrl: 'http://api.example.com' }));
      check(e.code === 'invalid_option', `baseUrl: ${e.code}`);
    },
    async 'webhooks: a signed delivery verifies; tampered, stale, NaN tolerance and 2,000 entries are refused'() {
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        id: 'evt_1',
        type: 'session.completed',
        createdAt: now,
        data: { session: { id: 'fs_session_1', status: 'complete' } },
      });
      const headers = new Headers({
        'webhook-id': 'evt_1',
        'webhook-timestamp': String(now),
        'webhook-signature': await sign(WEBHOOK_SECRET, 'evt_1', now, body),
      });
      const event = await verifyWebhook(body, headers, WEBHOOK_SECRET);
      check(event.type === 'session.completed' && event.data.session.id === 'fs_session_1', 'the event');
      const fails = async (code, ...args) => {
        const e = await refusal(() => verifyWebhook(...args));
        check(e instanceof FaceSignSignatureError || e.code === 'invalid_option', `${e?.name}`);
        check(e.code === code, `${code}: got ${e.code}`);
      };
      await fails('invalid_signature', body.replace('complete', 'canceled'), headers, WEBHOOK_SECRET);
      const old = now - 1000;
      await fails(
        'timestamp_too_old',
        body,
        new Headers({
          ...Object.fromEntries(headers),
          'webhook-timestamp': String(old),
          'webhook-signature': await sign(WEBHOOK_SECRET, 'evt_1', old, body),
        }),
        WEBHOOK_SECRET,
      );
      await fails('invalid_option', body, headers, WEBHOOK_SECRET, { tolerance: Number(undefined) });
      const many = new Headers({ ...Object.fromEntries(headers), 'webhook-signature': Array(2000).fill(headers.get('webhook-signature')).join(' ') });
      await fails('invalid_signature', body, many, WEBHOOK_SECRET);
    },
    async 'webhooks: a list of secrets while rotating'() {
      const now = Math.floor(Date.now() / 1000);
      const body = '{"id":"evt_2","type":"session.canceled","createdAt":1,"data":{"session":{"id":"fs_session_2","status":"canceled"}}}';
      const next = `whsec_${btoa('the-next-key-while-rotating')}`;
      const headers = { 'webhook-id': 'evt_2', 'webhook-timestamp': String(now), 'webhook-signature': await sign(next, 'evt_2', now, body) };
      check((await verifyWebhook(body, headers, [WEBHOOK_SECRET, next])).id === 'evt_2', 'verified with the second secret');
      check((await refusal(() => verifyWebhook(body, headers, WEBHOOK_SECRET))).code === 'invalid_signature', 'refused with the first alone');
    },
    async 'refreshHandler: text/plain 415, a large body 413, authorize true or the claimed id 403, a refresh 200 stored once, fed back 429'() {
      const { session, clientSecret } = await fs.sessions.create(PARAMS);
      const stored = [];
      const record = { sessionId: session.id, clientSecret: clientSecret.secret };
      const handler = fs.refreshHandler({
        authorize: () => record,
        onRefresh: ({ clientSecret: cs }) => void stored.push((record.clientSecret = cs.secret)),
      });
      const body = JSON.stringify({ clientSecret: clientSecret.secret, sessionId: session.id });
      check((await post(handler, body, 'text/plain')).status === 415, 'text/plain');
      check((await post(handler, JSON.stringify({ clientSecret: 'x'.repeat(10_000) }))).status === 413, 'a 10 KB body');
      const lax = fs.refreshHandler({ authorize: () => true });
      check((await post(lax, body)).status === 403, 'authorize returning true');
      const slip = fs.refreshHandler({ authorize: (_r, claim) => claim.claimedSessionId });
      check((await post(slip, body)).status === 403, 'authorize returning the claimed session id');
      const res = await post(handler, body);
      check(res.status === 200, `refresh: ${res.status}`);
      const answer = await res.json();
      check(answer.clientSecret.secret === stored[0] && stored.length === 1, 'the new secret, stored once');
      // the loop that would spend the merchant's quota: the new secret fed straight back
      const loop = await post(handler, JSON.stringify({ clientSecret: answer.clientSecret.secret, sessionId: session.id }));
      const code = (await loop.json()).error?.code;
      check(loop.status === 429 && code === 'secret_too_new' && Number(loop.headers.get('retry-after')) >= 1, `fed back: ${loop.status} ${code}`);
      const gone = await post(handler, JSON.stringify({ clientSecret: 'x', sessionId: 'fs_session_nobody' }));
      check(gone.status === 403 || gone.status === 404, `another session: ${gone.status}`);
    },
  };
  const passed = [];
  const failed = [];
  for (const [name, fn] of Object.entries(checks)) {
    try {
      await fn();
      passed.push(name);
    } catch (e) {
      failed.push({ name, message: String(e?.stack ?? e) });
    }
  }
  return { passed, failed };
}

/**
 * The app each runtime serves with its own server: `GET /suite` runs the suite and makes one session for the
 * endpoint; `POST /refresh` is refreshHandler, authorizing the secret it last stored for that session.
 */
export function createApp(server, config) {
  const fs = new server.FaceSign({ apiKey: config.apiKey, baseUrl: config.apiBase, maxRetries: 1 });
  /** secret -> session id: what a merchant's database would hold */
  const secrets = new Map();
  const refresh = fs.refreshHandler({
    authorize: (_request, { clientSecret }) => secrets.has(clientSecret) && { sessionId: secrets.get(clientSecret), clientSecret },
    // the test refreshes twice within a second (the overlap check); the limits are checked in the suite above
    minSecretAge: 0,
    onRefresh: ({ sessionId, clientSecret }) => {
      for (const [s, id] of secrets) if (id === sessionId) secrets.delete(s);
      secrets.set(clientSecret.secret, sessionId);
    },
  });
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/refresh') return refresh(request);
    if (pathname === '/suite') {
      const results = await serverSuite(server, config);
      const { session, clientSecret } = await fs.sessions.create(PARAMS);
      secrets.set(clientSecret.secret, session.id);
      return Response.json({ results, session: { id: session.id, secret: clientSecret.secret } });
    }
    return new Response('not found', { status: 404 });
  };
}
