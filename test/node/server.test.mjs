// @facesign/verify/server (the built dist/server.js, as it ships) against the API simulator on loopback: every
// method, every error type, retries, webhooks (checked against the `standardwebhooks` reference package too),
// the refresh handler, and toNodeHandler on node:http.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { createSimulator, listenOn } from '../../demo/api/simulator.mjs';

const root = path.resolve(import.meta.dirname, '../..');
if (!existsSync(path.join(root, 'dist/server.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
const { FaceSign, FaceSignAPIError, FaceSignConnectionError, FaceSignServerError, FaceSignSignatureError, verifyWebhook, toNodeHandler } =
  await import(path.join(root, 'dist/server.js'));

const KEY = 'sk_test_server_0123456789';
const FLOW = [
  { id: 'start', type: 'start', outcome: 'greeting' },
  { id: 'greeting', type: 'conversation', prompt: 'Your name?', outcomes: [{ id: 'n', condition: 'a name', targetNodeId: 'end' }] },
  { id: 'end', type: 'end' },
];
const PARAMS = { clientReferenceId: 'user-1', flow: FLOW };
const SECRET = `whsec_${Buffer.from('server-test-webhook-key').toString('base64')}`;

/** the client API the hosted page uses, to move a session along */
const asPage = (base, secret) => (p, body) =>
  fetch(`${base}/client/session/${p}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

/** a port nothing listens on */
async function deadUrl() {
  const s = createServer();
  await listenOn(s, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${s.address().port}`;
  await new Promise((r) => s.close(r));
  return url;
}

const rejectsWith = (promise, Class, props) =>
  assert.rejects(promise, (e) => {
    assert.ok(e instanceof Class, `${e?.name}: ${e?.message}`);
    for (const [k, v] of Object.entries(props)) v instanceof RegExp ? assert.match(String(e[k]), v, k) : assert.deepEqual(e[k], v, k);
    return true;
  });

describe('server: the client', () => {
  let sim, base;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY, 'sk_test_other_1'], rateLimit: 1000 });
    base = await sim.listen(0);
  });
  after(() => sim.close());
  const client = (o = {}) => new FaceSign({ apiKey: KEY, baseUrl: base, ...o });

  it('refuses a bad key, option or browser page with a code, and never repeats the key', () => {
    for (const apiKey of [undefined, '', 'pk_test_abc', 'sk_live_abc', 'sk_test_has space', 'fs_client_secret_abc', 42]) {
      assert.throws(
        () => new FaceSign({ apiKey }),
        (e) => {
          assert.ok(e instanceof FaceSignServerError);
          assert.equal(e.code, 'invalid_api_key');
          if (typeof apiKey === 'string' && apiKey) assert.ok(!e.message.includes(apiKey.slice(3)), e.message);
          return true;
        },
      );
    }
    assert.throws(() => new FaceSign(), { code: 'invalid_option' });
    assert.throws(() => new FaceSign({ apiKey: KEY, baseUrl: 'ftp://x' }), { code: 'invalid_option' });
    assert.throws(() => new FaceSign({ apiKey: KEY, timeout: 0 }), { code: 'invalid_option' });
    assert.throws(() => new FaceSign({ apiKey: KEY, maxRetries: -1 }), { code: 'invalid_option' });
    assert.equal(new FaceSign({ apiKey: 'sk_prod_abc' }).mode, 'prod');
    // a page (document and window): never, unless a test environment says so
    Object.assign(globalThis, { document: {}, window: {} });
    try {
      assert.throws(() => new FaceSign({ apiKey: KEY }), { code: 'browser_environment', message: /never reach a web page/ });
      assert.ok(new FaceSign({ apiKey: KEY, dangerouslyAllowBrowser: true }));
    } finally {
      delete globalThis.document;
      delete globalThis.window;
    }
  });

  it('sessions.create / retrieve / refreshSecret, avatars.list, langs.list', async () => {
    const fs = client();
    const { session, clientSecret } = await fs.sessions.create({ ...PARAMS, metadata: { source: 'test' }, langs: ['en', 'es'] });
    assert.match(session.id, /^fs_session_/);
    assert.equal(session.status, 'requiresInput');
    assert.deepEqual(session.settings.metadata, { source: 'test' });
    assert.deepEqual(Object.keys(clientSecret).sort(), ['createdAt', 'expireAt', 'secret', 'url']);
    // every create carries an idempotency key
    assert.match(sim.requests.at(-1).idempotencyKey, /^[0-9a-f-]{36}$/);

    const got = await fs.sessions.retrieve(session.id);
    assert.deepEqual(got.session, session);
    assert.deepEqual(got.clientSecret, clientSecret);

    const { clientSecret: fresh } = await fs.sessions.refreshSecret(session.id);
    assert.notEqual(fresh.secret, clientSecret.secret);
    // the old secret is dead at once, the new one works
    assert.equal((await asPage(base, clientSecret.secret)('start')).status, 401);
    assert.equal((await asPage(base, fresh.secret)('start')).status, 200);

    const { avatars } = await fs.avatars.list();
    assert.ok(avatars.length && avatars.every((a) => a.id && a.name));
    const { langs } = await fs.langs.list();
    assert.deepEqual(
      langs.map((l) => l.code),
      ['en', 'es', 'fr', 'de', 'it', 'pt', 'zh', 'ja'],
    );
    await assert.rejects(fs.sessions.retrieve(''), { code: 'invalid_argument' });
    await assert.rejects(fs.sessions.create(null), { code: 'invalid_argument' });
  });

  it('API errors come through with their type, status and message; 400, 401 and 404 are not retried', async () => {
    const fs = client();
    let n = sim.requests.length;
    await rejectsWith(fs.sessions.create({ ...PARAMS, modules: [{ type: 'identityVerification' }] }), FaceSignAPIError, {
      status: 400,
      type: 'validation_error',
      code: 'validation_error',
      message: 'flow and modules are mutually exclusive: send one of them',
    });
    assert.equal(sim.requests.length - n, 1);
    n = sim.requests.length;
    await rejectsWith(fs.sessions.retrieve('fs_session_nope'), FaceSignAPIError, {
      status: 404,
      type: 'not_found_error',
      message: 'Session not found',
    });
    assert.equal(sim.requests.length - n, 1);
    n = sim.requests.length;
    const wrong = new FaceSign({ apiKey: 'sk_test_not_accepted', baseUrl: base });
    const e = await wrong.avatars.list().catch((x) => x);
    assert.ok(e instanceof FaceSignAPIError);
    assert.equal(e.type, 'authentication_error');
    assert.equal(e.status, 401);
    assert.equal(sim.requests.length - n, 1);
    // the key appears nowhere in the error or the client
    for (const text of [
      e.message,
      e.stack,
      JSON.stringify(e),
      inspect(e, { depth: 9, showHidden: true }),
      inspect(wrong, { depth: 9, showHidden: true }),
      JSON.stringify(wrong),
    ])
      assert.ok(!String(text).includes('sk_test_not_accepted'), text);
    // a finished session: the API's own words
    const { session } = await fs.sessions.create(PARAMS);
    sim.sessions.get(session.id).session.status = 'canceled';
    await rejectsWith(fs.sessions.refreshSecret(session.id), FaceSignAPIError, { type: 'validation_error', message: 'Session is already canceled' });
  });

  it('retries 500 then succeeds; 429 waits for Retry-After; a long Retry-After or maxRetries 0 returns the error', async () => {
    const fs = client();
    sim.inject({ path: '/avatars', status: 500 });
    let n = sim.requests.length;
    assert.ok((await fs.avatars.list()).avatars.length);
    assert.equal(sim.requests.length - n, 2);

    sim.inject({ path: '/langs', status: 429, retryAfter: 1 });
    n = sim.requests.length;
    const t0 = Date.now();
    assert.ok((await fs.langs.list()).langs.length);
    assert.equal(sim.requests.length - n, 2);
    assert.ok(Date.now() - t0 >= 900, 'waited for Retry-After: 1');

    sim.inject({ path: '/langs', status: 429, retryAfter: 3600 });
    await rejectsWith(fs.langs.list(), FaceSignAPIError, { status: 429, type: 'rate_limit_error', retryAfter: 3600 });
    sim.inject({ path: '/langs', status: 503 });
    await rejectsWith(fs.langs.list({ maxRetries: 0 }), FaceSignAPIError, { status: 503, type: 'api_error' });
  });

  it("the simulator's own rate limit: 429 with Retry-After, retried after it", async () => {
    const limited = createSimulator({ apiKeys: [KEY], rateLimit: 1, rateWindow: 1 });
    const url = await limited.listen(0);
    try {
      const fs = new FaceSign({ apiKey: KEY, baseUrl: url });
      await fs.avatars.list();
      await rejectsWith(fs.avatars.list({ maxRetries: 0 }), FaceSignAPIError, { type: 'rate_limit_error', retryAfter: 1 });
      assert.ok((await fs.avatars.list()).avatars.length);
    } finally {
      await limited.close();
    }
  });

  it('a timeout is retried, and is a FaceSignConnectionError (timeout) when it persists; a dead host is connection_error', async () => {
    const fs = client({ timeout: 200 });
    sim.inject({ path: '/langs', hang: true });
    assert.ok((await fs.langs.list()).langs.length);
    sim.inject({ path: '/langs', hang: true, times: 2 });
    await rejectsWith(fs.langs.list({ maxRetries: 1 }), FaceSignConnectionError, { code: 'timeout', message: /within 200 ms/ });
    const dead = new FaceSign({ apiKey: KEY, baseUrl: await deadUrl(), maxRetries: 1 });
    await rejectsWith(dead.avatars.list(), FaceSignConnectionError, { code: 'connection_error', message: /Could not reach FaceSign/ });
  });

  it('create is retried under its idempotency key: an answer lost after the session was made gives one session, not two', async () => {
    const fs = client({ timeout: 300 });
    const before = sim.sessions.size;
    sim.inject({ method: 'POST', path: '/sessions', status: 502, after: true });
    const first = await fs.sessions.create(PARAMS);
    sim.inject({ method: 'POST', path: '/sessions', hang: true, after: true });
    const second = await fs.sessions.create(PARAMS, { idempotencyKey: 'order-42' });
    assert.equal(sim.sessions.size, before + 2);
    assert.ok(sim.sessions.has(first.session.id) && sim.sessions.has(second.session.id));
    const keys = sim.requests.slice(-4).map((r) => r.idempotencyKey);
    assert.equal(keys[0], keys[1]);
    assert.deepEqual(keys.slice(2), ['order-42', 'order-42']);
    // the same key for another request is the API's idempotency_error, not retried
    await rejectsWith(fs.sessions.create({ ...PARAMS, clientReferenceId: 'user-2' }, { idempotencyKey: 'order-42' }), FaceSignAPIError, {
      status: 400,
      type: 'idempotency_error',
      message: /different request body/,
    });
  });

  it('an idempotency key no header can carry (a line break, a control or non-ASCII character, edge spaces) is invalid_argument at once: no request, no retry', async () => {
    let fetched = 0;
    const fs = client({ fetch: (u, i) => (fetched++, fetch(u, i)) });
    for (const idempotencyKey of [
      'order-42\r\nx-evil: 1',
      'order\n42',
      'order\u000042',
      'order\t42',
      'ordre-42-é',
      'order-42-✓',
      ' order-42',
      'order-42 ',
    ]) {
      const t0 = performance.now();
      await rejectsWith(fs.sessions.create(PARAMS, { idempotencyKey }), FaceSignServerError, {
        code: 'invalid_argument',
        message: /^idempotencyKey must be .*printable ASCII/,
      });
      assert.ok(performance.now() - t0 < 200, `refused at once, not after retries (${JSON.stringify(idempotencyKey)})`);
    }
    assert.equal(fetched, 0);
    // what a header carries is fine, inner spaces included
    await fs.sessions.create(PARAMS, { idempotencyKey: 'order 42/~!#' });
    assert.equal(fetched, 1);
  });

  it('an AbortSignal cancels the request and its retries', async () => {
    const fs = client();
    sim.inject({ path: '/langs', hang: true });
    const ac = new AbortController();
    const p = fs.langs.list({ signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(p, { name: 'AbortError' });
    sim.faults.length = 0;
  });
});

describe('server: webhooks', () => {
  const body = JSON.stringify({
    id: 'evt_1',
    type: 'session.completed',
    createdAt: 1,
    data: { session: { id: 'fs_session_1', status: 'complete' } },
  });
  const now = Math.floor(Date.now() / 1000);
  const sign = (raw, { id = 'evt_1', ts = now, secret = SECRET } = {}) => ({
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': `v1,${createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`${id}.${ts}.${raw}`)
      .digest('base64')}`,
  });
  const fails = (code, ...args) => assert.rejects(verifyWebhook(...args), (e) => e instanceof FaceSignSignatureError && e.code === code);

  it('a real delivery from the simulator verifies and is typed; the reference package agrees', async () => {
    const got = [];
    const hook = createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      got.push({ raw: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(200).end();
    });
    await listenOn(hook, 0, '127.0.0.1');
    const sim = createSimulator({ apiKeys: [KEY], webhookUrl: `http://127.0.0.1:${hook.address().port}/`, webhookSecret: SECRET });
    const base = await sim.listen(0);
    try {
      const fs = new FaceSign({ apiKey: KEY, baseUrl: base });
      const { session, clientSecret } = await fs.sessions.create(PARAMS);
      await asPage(base, clientSecret.secret)('start');
      for (let i = 0; i < 100 && !got.length; i++) await new Promise((r) => setTimeout(r, 10));
      const event = await fs.webhooks.verify(got[0].raw, got[0].headers, SECRET);
      assert.equal(event.type, 'session.started');
      assert.equal(event.data.session.id, session.id);
      assert.equal(event.id, got[0].headers['webhook-id']);
      assert.deepEqual(new Webhook(SECRET).verify(got[0].raw, got[0].headers), event);
      // a fetch Headers and a string body work the same
      assert.deepEqual(await verifyWebhook(got[0].raw.toString('utf8'), new Headers(got[0].headers), SECRET), event);
    } finally {
      await sim.close();
      await new Promise((r) => hook.close(r));
    }
  });

  it('accepts what the reference package signs (bytes, several signatures when rotating)', async () => {
    const wh = new Webhook(SECRET);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': wh.sign('evt_1', new Date(now * 1000), body) };
    assert.equal((await verifyWebhook(new TextEncoder().encode(body), headers, SECRET)).type, 'session.completed');
    const rotating = { ...headers, 'webhook-signature': `v1,b2xkIGtleQ== ${headers['webhook-signature']}` };
    assert.equal((await verifyWebhook(body, rotating, SECRET)).id, 'evt_1');
  });

  it('refuses: body tampered, wrong secret, timestamp old or in the future, missing headers, a parsed body, a bad secret', async () => {
    await fails('invalid_signature', body.replace('complete', 'canceled'), sign(body), SECRET);
    await fails('invalid_signature', body, sign(body, { secret: `whsec_${Buffer.from('other').toString('base64')}` }), SECRET);
    await fails('invalid_signature', body, { ...sign(body, { id: 'evt_2' }), 'webhook-id': 'evt_1' }, SECRET); // a signature of another delivery
    // `now` pinned: the edges are exact
    await fails('timestamp_too_old', body, sign(body, { ts: now - 301 }), SECRET, { now });
    await fails('timestamp_in_future', body, sign(body, { ts: now + 301 }), SECRET, { now });
    assert.ok(await verifyWebhook(body, sign(body, { ts: now - 300 }), SECRET, { now }));
    assert.ok(await verifyWebhook(body, sign(body, { ts: now + 300 }), SECRET, { now }));
    await fails('timestamp_too_old', body, sign(body, { ts: now - 11 }), SECRET, { now, tolerance: 10 });
    await fails('invalid_timestamp', body, { ...sign(body), 'webhook-timestamp': 'yesterday' }, SECRET);
    for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = sign(body);
      delete headers[h];
      await assert.rejects(verifyWebhook(body, headers, SECRET), { code: 'missing_header', message: new RegExp(h) });
    }
    await fails('invalid_body', JSON.parse(body), sign(body), SECRET);
    await fails('invalid_secret', body, sign(body), 'sandbox-secret');
    await fails('invalid_secret', body, sign(body), 'whsec_%%%');
    const notEvent = '{"hello":1}';
    await fails('invalid_payload', notEvent, sign(notEvent), SECRET);
  });
});

describe('server: the refresh handler', () => {
  let sim, base, fs;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY], rateLimit: 1000 });
    base = await sim.listen(0);
    fs = new FaceSign({ apiKey: KEY, baseUrl: base, maxRetries: 0 });
  });
  after(() => sim.close());

  const call = (handler, body, init = {}) =>
    handler(
      new Request('http://localhost/api/verifications/x/secret', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...init,
      }),
    );
  const read = async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() });
  /** for the API's answers only: an authorize that trusts whatever the body says (never do this) */
  const trustTheBody = (_r, b) => ({ sessionId: b.claimedSessionId, clientSecret: b.clientSecret });

  it('has no default: without authorize there is no handler', () => {
    assert.throws(() => fs.refreshHandler({}), { code: 'invalid_option', message: /authorize/ });
    assert.throws(() => fs.refreshHandler(), { code: 'invalid_option' });
  });

  it('authorized: a new secret in the shape the element takes, stored through onRefresh; the old one is dead', async () => {
    const { session, clientSecret } = await fs.sessions.create(PARAMS);
    const stored = [];
    const seen = [];
    const handler = fs.refreshHandler({
      // (a real authorize finds the user's verification in your store and returns it as stored)
      authorize: (request, body) => (seen.push([request.method, body]), { sessionId: session.id, clientSecret: clientSecret.secret }),
      onRefresh: ({ sessionId, clientSecret: cs }) => void stored.push([sessionId, cs.secret]),
    });
    const res = await read(await call(handler, { clientSecret: clientSecret.secret, sessionId: session.id }));
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.clientSecret).sort(), ['expireAt', 'secret', 'url']);
    assert.deepEqual(seen, [['POST', { claimedSessionId: session.id, clientSecret: clientSecret.secret }]]);
    assert.deepEqual(stored, [[session.id, res.body.clientSecret.secret]]);
    assert.equal((await asPage(base, clientSecret.secret)('start')).status, 401);
    // authorize names the session itself (the body has no sessionId before the page reported it)
    const named = fs.refreshHandler({ authorize: () => ({ sessionId: session.id, clientSecret: res.body.clientSecret }) });
    assert.equal((await call(named, { clientSecret: res.body.clientSecret.secret })).status, 200);
  });

  it('denied (403, also for a body naming another session), bad body (400), GET (405)', async () => {
    const { session } = await fs.sessions.create(PARAMS);
    const deny = fs.refreshHandler({ authorize: async () => false });
    assert.deepEqual(await read(await call(deny, { clientSecret: 'x', sessionId: session.id })), {
      status: 403,
      retryAfter: null,
      body: { error: { code: 'forbidden', message: 'Not allowed to continue this verification' } },
    });
    const owns = fs.refreshHandler({ authorize: () => ({ sessionId: 'fs_session_mine', clientSecret: 'x' }) });
    assert.equal((await call(owns, { clientSecret: 'x', sessionId: session.id })).status, 403);
    const allow = fs.refreshHandler({ authorize: trustTheBody });
    for (const bad of ['not json', {}, { clientSecret: 42 }, { clientSecret: 'x', sessionId: 7 }])
      assert.equal((await read(await call(allow, bad))).body.error.code, 'invalid_body', JSON.stringify(bad));
    // no session id from authorize: refused
    assert.equal((await call(allow, { clientSecret: 'x' })).status, 403);
    const get = await allow(new Request('http://localhost/x'));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  it('unknown session 404, finished 409, API rate limit 429 and API down 503 with Retry-After, authorize throwing 500', async () => {
    const errors = [];
    const allow = fs.refreshHandler({ authorize: trustTheBody, onError: (e) => errors.push(e.code ?? e.message) });
    assert.equal((await call(allow, { clientSecret: 'x', sessionId: 'fs_session_nope' })).status, 404);
    const { session } = await fs.sessions.create(PARAMS);
    sim.sessions.get(session.id).session.status = 'complete';
    assert.equal((await read(await call(allow, { clientSecret: 'x', sessionId: session.id }))).body.error.code, 'session_finished');
    const live = (await fs.sessions.create(PARAMS)).session.id;
    sim.inject({ path: `/sessions/${live}/refresh`, status: 429, retryAfter: 7 });
    assert.deepEqual((await read(await call(allow, { clientSecret: 'x', sessionId: live }))).retryAfter, '7');
    const down = new FaceSign({ apiKey: KEY, baseUrl: await deadUrl(), maxRetries: 0 }).refreshHandler({ authorize: trustTheBody });
    const r = await read(await call(down, { clientSecret: 'x', sessionId: live }));
    assert.deepEqual([r.status, r.retryAfter, r.body.error.code], [503, '1', 'facesign_unavailable']);
    const broken = fs.refreshHandler({ authorize: () => Promise.reject(new Error('db down')) });
    assert.equal((await call(broken, { clientSecret: 'x', sessionId: live })).status, 500);
    assert.deepEqual(errors, ['not_found_error', 'validation_error', 'rate_limit_error']);
  });

  it('toNodeHandler: the same handler on node:http, with a raw stream or a body an Express parser already read', async () => {
    const { session, clientSecret } = await fs.sessions.create(PARAMS);
    let secret = clientSecret.secret;
    const node = toNodeHandler(
      fs.refreshHandler({
        authorize: () => ({ sessionId: session.id, clientSecret: secret }),
        onRefresh: ({ clientSecret: cs }) => void (secret = cs.secret),
        // two refreshes back to back, to test the transport (the limits have their tests in server-hardening)
        minSecretAge: 0,
      }),
    );
    const server = createServer((req, res) => {
      // Express's express.json() leaves the parsed body on req.body; the handler takes it from there
      if (req.url === '/parsed') {
        let raw = '';
        req.on('data', (c) => (raw += c)).on('end', () => ((req.body = JSON.parse(raw)), void node(req, res)));
      } else void node(req, res);
    });
    await listenOn(server, 0, '127.0.0.1');
    const url = `http://127.0.0.1:${server.address().port}`;
    try {
      const post = (p, b) => fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
      const a = await post('/stream', { clientSecret: secret });
      assert.equal(a.status, 200);
      assert.equal(a.headers.get('cache-control'), 'no-store');
      assert.equal((await a.json()).clientSecret.secret, secret);
      const b = await post('/parsed', { clientSecret: secret });
      assert.equal(b.status, 200);
      assert.equal((await b.json()).clientSecret.secret, secret);
      assert.equal((await post('/stream', { clientSecret: 'stale' })).status, 403);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
