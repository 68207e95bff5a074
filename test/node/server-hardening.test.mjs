// @facesign/verify/server (the built dist/server.js) under attack and under load: what issue 19 found. The refresh
// endpoint's body (size, type, a slow trickle, over real sockets), authorize returning true, a refresh the
// browser gave up on; toNodeHandler's cookies, failures and streams; webhook verification as a CPU lever, replay
// protection switched off by a NaN option, key rotation; the API client sending its key to another path or in
// cleartext.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { connect } from 'node:net';
import { inspect } from 'node:util';
import { after, before, describe, it, mock } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createSimulator, listenOn } from '../../demo/api/simulator.mjs';

const root = path.resolve(import.meta.dirname, '../..');
if (!existsSync(path.join(root, 'dist/server.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
const { FaceSign, FaceSignServerError, FaceSignSignatureError, verifyWebhook, toNodeHandler } = await import(path.join(root, 'dist/server.js'));

const KEY = 'sk_test_hardening_0123456789';
const secretOf = (s) => `whsec_${Buffer.from(s).toString('base64')}`;
const SECRET = secretOf('hardening-webhook-key');
const OLD = secretOf('the-key-being-rotated-out');
const now = Math.floor(Date.now() / 1000);
const BODY = JSON.stringify({ id: 'evt_1', type: 'session.completed', createdAt: 1, data: { session: { id: 'fs_session_1', status: 'complete' } } });
const mac = (raw, secret, id = 'evt_1', ts = now) =>
  createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
    .update(`${id}.${ts}.${raw}`)
    .digest('base64');
const headersFor = (raw, secret = SECRET, extra = []) => ({
  'webhook-id': 'evt_1',
  'webhook-timestamp': String(now),
  'webhook-signature': [...extra, `v1,${mac(raw, secret)}`].join(' '),
});

/** Counts the HMACs Web Crypto computes (sign and verify) while `f` runs. */
async function hmacs(f) {
  const subtle = globalThis.crypto.subtle;
  const real = { sign: subtle.sign, verify: subtle.verify };
  let n = 0;
  subtle.sign = function (...a) {
    n++;
    return real.sign.apply(this, a);
  };
  subtle.verify = function (...a) {
    n++;
    return real.verify.apply(this, a);
  };
  try {
    await f();
  } catch {
    // counted either way
  } finally {
    Object.assign(subtle, real);
  }
  return n;
}

describe('webhooks under attack', () => {
  it('2,000 signature entries cost one HMAC, not 2,000 (and are refused past the cap, before any)', async () => {
    const body = JSON.stringify({ ...JSON.parse(BODY), pad: 'x'.repeat(1 << 20) });
    const junk = Array.from({ length: 2000 }, (_, i) => `v1,${Buffer.from(`not-it-${i}`).toString('base64')}`);
    const valid = headersFor(body, SECRET, junk.slice(0, 5));
    // a few entries (a rotation): one HMAC for the body, however many entries
    assert.equal(await hmacs(() => verifyWebhook(body, valid, SECRET)), 1);
    assert.equal((await verifyWebhook(body, valid, SECRET)).id, 'evt_1');
    // 2,000 entries: refused on their number, before hashing a megabyte 2,000 times
    const flood = headersFor(body, SECRET, junk);
    assert.equal(await hmacs(() => verifyWebhook(body, flood, SECRET)), 0);
    await assert.rejects(
      verifyWebhook(body, flood, SECRET),
      (e) => e instanceof FaceSignSignatureError && e.code === 'invalid_signature' && /entries|signatures/.test(e.message),
    );
    // a header of any length is not read entry by entry
    const long = { ...valid, 'webhook-signature': `v1,${'A'.repeat(100_000)}` };
    await assert.rejects(verifyWebhook(body, long, SECRET), { code: 'invalid_signature' });
    // the cost, printed (not timed in pass/fail): one entry vs the flood, 1 MB body
    const time = async (h) => {
      const t = performance.now();
      for (let i = 0; i < 5; i++) await verifyWebhook(body, h, SECRET).catch(() => {});
      return (performance.now() - t) / 5;
    };
    const one = await time(headersFor(body));
    const many = await time(flood);
    console.log(`webhook verify, 1 MB body: 1 entry ${one.toFixed(2)} ms, 2,000 entries ${many.toFixed(2)} ms (${(many / one).toFixed(2)}x)`);
  });

  it('a NaN, negative or non-number tolerance or now is invalid_option, never a delivery of any age accepted', async () => {
    const old = { ...headersFor(BODY), 'webhook-timestamp': String(now - 10 * 365 * 86400) };
    old['webhook-signature'] = `v1,${createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64'))
      .update(`evt_1.${old['webhook-timestamp']}.${BODY}`)
      .digest('base64')}`;
    for (const opts of [
      { tolerance: NaN },
      { tolerance: Number(undefined) },
      { now: NaN },
      { tolerance: -1 },
      { tolerance: '300' },
      { now: Infinity },
      { tolerance: Infinity },
    ])
      await assert.rejects(
        verifyWebhook(BODY, old, SECRET, opts),
        (e) => e instanceof FaceSignServerError && e.code === 'invalid_option' && /tolerance|now/.test(e.message),
        JSON.stringify(opts),
      );
    await assert.rejects(verifyWebhook(BODY, old, SECRET), { code: 'timestamp_too_old' });
  });

  it('takes a list of secrets during a rotation: a delivery signed with either verifies, with neither is refused', async () => {
    assert.equal((await verifyWebhook(BODY, headersFor(BODY, OLD), [SECRET, OLD])).id, 'evt_1');
    assert.equal((await verifyWebhook(BODY, headersFor(BODY, SECRET), [SECRET, OLD])).id, 'evt_1');
    await assert.rejects(verifyWebhook(BODY, headersFor(BODY, secretOf('someone-else')), [SECRET, OLD]), { code: 'invalid_signature' });
    // one HMAC per secret
    assert.equal(await hmacs(() => verifyWebhook(BODY, headersFor(BODY, OLD), [SECRET, OLD])), 2);
    await assert.rejects(verifyWebhook(BODY, headersFor(BODY), []), { code: 'invalid_secret' });
    await assert.rejects(verifyWebhook(BODY, headersFor(BODY), [SECRET, 'not-a-secret']), { code: 'invalid_secret' });
    const fs = new FaceSign({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    assert.equal((await fs.webhooks.verify(BODY, headersFor(BODY, OLD), [SECRET, OLD])).id, 'evt_1');
  });

  it("matches the Standard Webhooks libraries' own test vector (standard-webhooks/standard-webhooks, libraries/go/webhook_test.go)", async () => {
    const key = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const vector = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const payload = '{"test": 2432232314}';
    // the signature matches: what is left is that the payload is not a FaceSign event
    await assert.rejects(verifyWebhook(payload, vector, key, { now: 1614265330 }), { code: 'invalid_payload' });
    await assert.rejects(verifyWebhook(payload.replace('2', '3'), vector, key, { now: 1614265330 }), { code: 'invalid_signature' });
    await assert.rejects(verifyWebhook(payload, { ...vector, 'webhook-id': 'msg_other' }, key, { now: 1614265330 }), { code: 'invalid_signature' });
  });

  it('agrees with the standardwebhooks package both ways, entries and rotation included', async () => {
    const wh = new Webhook(SECRET);
    const ts = new Date(now * 1000);
    const signed = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': wh.sign('evt_1', ts, BODY) };
    assert.equal((await verifyWebhook(BODY, signed, SECRET)).id, 'evt_1');
    const ours = headersFor(BODY, SECRET, ['v1,b2xkIGtleQ==']);
    assert.deepEqual(wh.verify(BODY, ours), await verifyWebhook(BODY, ours, SECRET));
    assert.throws(() => wh.verify(BODY.replace('complete', 'canceled'), ours));
    await assert.rejects(verifyWebhook(BODY.replace('complete', 'canceled'), ours, SECRET), { code: 'invalid_signature' });
  });
});

describe('the API client never sends its key elsewhere', () => {
  /** a loopback API that records the paths it is asked for */
  async function recorder() {
    const paths = [];
    const server = createServer((req, res) => {
      paths.push(req.url);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"type":"not_found_error","message":"no"}}');
    });
    await listenOn(server, 0, '127.0.0.1');
    return { paths, base: `http://127.0.0.1:${server.address().port}/v1/`, close: () => new Promise((r) => server.close(r)) };
  }

  it('refuses ".", "..", empty and slash-bearing session ids, and encodes every other one as one path segment', async () => {
    const api = await recorder();
    try {
      const fs = new FaceSign({ apiKey: KEY, baseUrl: api.base, maxRetries: 0 });
      for (const id of ['.', '..', '', ' ', '%2e%2e', 'a/b', '../avatars', 'x\u0000'])
        for (const call of [fs.sessions.retrieve, fs.sessions.refreshSecret])
          await assert.rejects(call(id), (e) => e instanceof FaceSignServerError && e.code === 'invalid_argument', JSON.stringify(id));
      assert.deepEqual(api.paths, [], 'no request left for a refused id');
      await fs.sessions.retrieve('fs_session_a?b#c').catch(() => {});
      assert.deepEqual(api.paths, ['/v1/sessions/fs_session_a%3Fb%23c']);
    } finally {
      await api.close();
    }
  });

  it('baseUrl must be https (http only on loopback) and carry no credentials', () => {
    for (const baseUrl of [
      'http://api.facesign.ai',
      'http://10.0.0.5:4010',
      'http://user:pass@127.0.0.1:4010',
      'https://user@api.facesign.ai',
      'ftp://127.0.0.1',
    ])
      assert.throws(
        () => new FaceSign({ apiKey: KEY, baseUrl }),
        (e) => e instanceof FaceSignServerError && e.code === 'invalid_option' && /baseUrl/.test(e.message),
        baseUrl,
      );
    for (const baseUrl of ['https://api.facesign.ai', 'http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010', 'http://127.3.4.5/'])
      assert.ok(new FaceSign({ apiKey: KEY, baseUrl }), baseUrl);
  });
});

describe('the API key never appears in an error', () => {
  // everything a log, an error tracker or a developer's console could get from an error
  const everything = (e) => {
    const texts = [e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 9, showHidden: true }), String(e)];
    for (let c = e.cause, n = 0; c && n < 5; c = c.cause, n++) texts.push(String(c.message), String(c.stack), inspect(c, { depth: 9 }));
    return texts.join('\n');
  };
  const BODY = KEY.replace(/^sk_test_/, '');
  // what an API that repeats the key could say: all of it, a prefix, the part after sk_test_, the header
  const ECHOES = [
    [(auth) => `Invalid API key provided: ${auth.slice(7)}`, /^Invalid API key provided: \[redacted\]$/],
    [(auth) => `Unknown key ${auth.slice(7, 7 + 16)}… (check the dashboard)`, /^Unknown key \[redacted\]… \(check the dashboard\)$/],
    [() => `No key ending in ${BODY}`, /^No key ending in \[redacted\]$/],
    [() => `key id ${BODY.slice(2, 12)} is revoked`, /^key id \[redacted\] is revoked$/],
    [(auth) => `Authorization header "${auth}" is not accepted`, /^Authorization header "Bearer \[redacted\]" is not accepted$/],
  ];

  it('an API message that repeats the key, or a prefix or part of it, is redacted in message, stack, inspect, JSON and cause', async () => {
    let echo;
    const server = createServer((req, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { type: 'authentication_error', message: echo(req.headers.authorization) } })),
    );
    await listenOn(server, 0, '127.0.0.1');
    try {
      const fs = new FaceSign({ apiKey: KEY, baseUrl: `http://127.0.0.1:${server.address().port}`, maxRetries: 0 });
      for (const [say, kept] of ECHOES) {
        echo = say;
        const e = await fs.avatars.list().catch((x) => x);
        assert.equal(e.code, 'authentication_error');
        const seen = everything(e);
        for (const part of [KEY, KEY.slice(0, 16), BODY, BODY.slice(2, 12)]) assert.ok(!seen.includes(part), `${part} in: ${e.message}`);
        // the rest of the message is kept: it says what went wrong
        assert.match(e.message, kept);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a fetch failure that repeats the key (a logging fetch, a proxy) is redacted in the connection_error and its cause', async () => {
    const fs = new FaceSign({
      apiKey: KEY,
      baseUrl: 'http://127.0.0.1:1',
      maxRetries: 0,
      fetch: (_u, init) => {
        throw new TypeError(`proxy refused the request with ${init.headers.authorization}`, { cause: new Error(`header ${KEY}`) });
      },
    });
    const e = await fs.langs.list().catch((x) => x);
    assert.equal(e.code, 'connection_error');
    assert.ok(!everything(e).includes(BODY), everything(e));
    assert.match(e.message, /proxy refused the request with Bearer \[redacted\]/);
  });
});

const FLOW = [
  { id: 'start', type: 'start', outcome: 'end' },
  { id: 'end', type: 'end' },
];
const json = { 'content-type': 'application/json' };
const post = (handler, body, headers = json, init = {}) =>
  handler(
    new Request('http://localhost/refresh', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), ...init }),
  );

/** A node:http server around `handler` on loopback; `raw()` speaks HTTP/1.1 over a bare socket. */
async function serve(handler) {
  const server = createServer((req, res) => void handler(req, res));
  await listenOn(server, 0, '127.0.0.1');
  const port = server.address().port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** writes `head`, then `chunks` one per `every` ms; resolves with what the server answered and when */
    raw(head, chunks = [], every = 0) {
      return new Promise((resolve) => {
        const sock = connect(port, '127.0.0.1');
        let got = '';
        const t0 = performance.now();
        const timers = [];
        sock.on('data', (d) => (got += d));
        sock.on('error', () => {});
        sock.on('close', () => (timers.forEach(clearTimeout), resolve({ got, ms: performance.now() - t0 })));
        sock.write(head);
        chunks.forEach((c, i) => timers.push(setTimeout(() => sock.writable && sock.write(c), every * (i + 1))));
        // a reply ends it: the test needs no more
        sock.on('data', () => setTimeout(() => sock.destroy(), 20));
      });
    },
    close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))),
  };
}

describe('the refresh endpoint under attack', () => {
  let sim, base, fs;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY], rateLimit: 1000 });
    base = await sim.listen(0);
    fs = new FaceSign({ apiKey: KEY, baseUrl: base, maxRetries: 0 });
  });
  after(() => sim.close());

  it('a body over the limit is 413 before authorize runs: by content-length, and while reading one without it', async () => {
    let asked = 0;
    const handler = fs.refreshHandler({ authorize: () => (asked++, false) });
    const big = JSON.stringify({ clientSecret: 'x'.repeat(10_000) });
    assert.equal((await post(handler, big, { ...json, 'content-length': String(big.length) })).status, 413);
    // streamed without a length: stopped at the limit, not read to the end
    let pulled = 0;
    const endless = new ReadableStream({
      pull(c) {
        pulled++;
        c.enqueue(new TextEncoder().encode('x'.repeat(1024)));
      },
    });
    const res = await post(handler, endless, json, { body: endless, duplex: 'half' });
    assert.deepEqual([res.status, (await res.json()).error.code], [413, 'body_too_large']);
    assert.ok(pulled < 10, `read ${pulled} KB of an endless body`);
    assert.equal(asked, 0);
    // the limit is a setting
    const roomy = fs.refreshHandler({ authorize: () => false, maxBodyBytes: 20_000 });
    assert.equal((await post(roomy, big)).status, 403);
    assert.throws(() => fs.refreshHandler({ authorize: () => false, maxBodyBytes: NaN }), { code: 'invalid_option' });
  });

  it('over real sockets: a 150 MB POST is refused at once and never read; a body trickled past the deadline gets 408', async () => {
    const server = await serve(toNodeHandler(fs.refreshHandler({ authorize: () => false, deadline: 600 })));
    try {
      const huge = await server.raw(
        `POST /refresh HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${150 * 2 ** 20}\r\n\r\n{"clientSecret":"`,
      );
      assert.match(huge.got, /^HTTP\/1.1 413/);
      const rss0 = process.memoryUsage().rss;
      // a slow loris: a byte every 200 ms, for longer than the 600 ms deadline
      const body = '{"clientSecret":"abcdefgh"}';
      const slow = await server.raw(
        `POST /refresh HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
        [...body],
        200,
      );
      assert.match(slow.got, /^HTTP\/1.1 408/);
      assert.ok(slow.ms < body.length * 200, `answered after ${Math.round(slow.ms)} ms, before the body was all sent`);
      assert.ok(process.memoryUsage().rss - rss0 < 50 * 2 ** 20);
    } finally {
      await server.close();
    }
  });

  it('only application/json: text/plain and forms (what any site can send without a preflight) get 415', async () => {
    let asked = 0;
    const { session, clientSecret } = await fs.sessions.create({ clientReferenceId: 'u', flow: FLOW });
    const handler = fs.refreshHandler({ authorize: () => (asked++, { sessionId: session.id, clientSecret }) });
    const body = JSON.stringify({ clientSecret: clientSecret.secret, sessionId: session.id });
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      '',
    ])
      assert.equal((await post(handler, body, type ? { 'content-type': type } : {})).status, 415, type);
    assert.equal(asked, 0);
    assert.equal((await post(handler, body, { 'content-type': 'application/json; charset=utf-8' })).status, 200);
  });

  it('authorize returning true is refused (403, onError says what to return); only the verification it returns counts', async () => {
    const alice = await fs.sessions.create({ clientReferenceId: 'alice', flow: FLOW });
    const bob = await fs.sessions.create({ clientReferenceId: 'bob', flow: FLOW });
    const store = new Map([[alice.clientSecret.secret, { sessionId: alice.session.id, clientSecret: alice.clientSecret.secret }]]);
    const errors = [];
    // the check the old JSDoc described: "this is a secret we stored", then true
    const lax = fs.refreshHandler({ authorize: (_r, b) => store.has(b.clientSecret), onError: (e) => errors.push(e) });
    const res = await post(lax, { clientSecret: alice.clientSecret.secret, sessionId: bob.session.id });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, 'forbidden');
    assert.equal(errors[0].code, 'invalid_option');
    assert.match(errors[0].message, /return what you stored for this user: \{ sessionId, clientSecret \}/);
    // Bob's secret still works: nobody refreshed it
    assert.equal(
      (
        await fetch(`${base}/client/session/start`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bob.clientSecret.secret}`, ...json },
          body: '{}',
        })
      ).status,
      200,
    );
    // the right way: what was stored with the secret; a body naming another session is refused
    const strict = fs.refreshHandler({ authorize: (_r, b) => store.get(b.clientSecret) ?? false });
    assert.equal((await post(strict, { clientSecret: alice.clientSecret.secret, sessionId: bob.session.id })).status, 403);
    assert.equal((await post(strict, { clientSecret: alice.clientSecret.secret, sessionId: alice.session.id })).status, 200);
    for (const v of [null, undefined, '', 0, 1, {}, { sessionId: 'fs_session_1' }, { clientSecret: 'x' }, { sessionId: 7, clientSecret: 'x' }])
      assert.equal(
        (await post(fs.refreshHandler({ authorize: () => v }), { clientSecret: 'x', sessionId: 'fs_session_1' })).status,
        403,
        JSON.stringify(v),
      );
  });

  it('authorize cannot return the wrong session by a slip: the claimed id is named untrusted, returning it is refused, and the handler compares what authorize stored with what the browser sent', async () => {
    const alice = await fs.sessions.create({ clientReferenceId: 'alice', flow: FLOW });
    const bob = await fs.sessions.create({ clientReferenceId: 'bob', flow: FLOW });
    /** the merchant's table: one verification per user, keyed by session id */
    const db = new Map([
      [alice.session.id, { userId: 'alice', sessionId: alice.session.id, clientSecret: alice.clientSecret.secret }],
      [bob.session.id, { userId: 'bob', sessionId: bob.session.id, clientSecret: bob.clientSecret.secret }],
    ]);
    // Alice, logged in, holding her own secret, names Bob's session
    const attack = { clientSecret: alice.clientSecret.secret, sessionId: bob.session.id };
    const seen = [];
    const errors = [];
    const handler = (authorize) =>
      fs.refreshHandler({ authorize: (r, claim) => (seen.push(claim), authorize(r, claim)), onError: (e) => errors.push(e) });
    const refused = async (authorize, why) => {
      const res = await post(handler(authorize), attack);
      assert.deepEqual([res.status, (await res.json()).error.code], [403, 'forbidden'], why);
    };
    // the slip: the login checked, then the id the body claims
    await refused((_r, { claimedSessionId }) => claimedSessionId, 'returning the claimed id');
    assert.deepEqual(seen[0], { claimedSessionId: bob.session.id, clientSecret: alice.clientSecret.secret });
    assert.equal(errors.at(-1).code, 'invalid_option');
    assert.match(errors.at(-1).message, /returned a string/);
    // the same slip in the new shape: a record built from the claim
    await refused(
      (_r, { claimedSessionId }) => ({ ...db.get(alice.session.id), sessionId: claimedSessionId, clientSecret: 'fs_client_secret_other' }),
      'a record with another secret',
    );
    // the lookup by the claimed id without the login check: Bob's record, whose secret Alice does not hold
    await refused((_r, { claimedSessionId }) => db.get(claimedSessionId), "the claimed session's record");
    // the lookup by the login: Alice's record, which is not the session claimed
    await refused(() => db.get(alice.session.id), "the user's own record, for another claimed session");
    // Bob's secret still works: nobody refreshed it
    assert.equal((await fetch(`${base}/client/session`, { headers: { authorization: `Bearer ${bob.clientSecret.secret}` } })).status, 200);
    // the right way: found by the login (and the secret), returned whole
    const ok = await post(
      handler(() => db.get(alice.session.id)),
      { clientSecret: alice.clientSecret.secret, sessionId: alice.session.id },
    );
    assert.equal(ok.status, 200);
    // the API's whole clientSecret object may be what is stored
    const fresh = (await ok.json()).clientSecret;
    const whole = await post(
      handler(() => ({ sessionId: alice.session.id, clientSecret: fresh })),
      { clientSecret: fresh.secret },
    );
    assert.equal(whole.status, 200);
  });

  it('a refresh the browser gave up on is never stored, and overlapping refreshes of one session make one FaceSign call', async () => {
    const { session, clientSecret } = await fs.sessions.create({ clientReferenceId: 'u', flow: FLOW });
    const stored = [];
    let calls = 0;
    // FaceSign answers late (3 s), as a busy API retrying would
    const slowFs = new FaceSign({
      apiKey: KEY,
      baseUrl: base,
      maxRetries: 0,
      fetch: async (url, init) => {
        calls++;
        await new Promise((r, j) => {
          const t = setTimeout(r, 3000);
          init.signal?.addEventListener('abort', () => (clearTimeout(t), j(init.signal.reason)));
        });
        return fetch(url, init);
      },
    });
    const handler = slowFs.refreshHandler({
      authorize: () => ({ sessionId: session.id, clientSecret }),
      onRefresh: ({ clientSecret: cs }) => void stored.push(cs.secret),
    });
    // the browser gives up after 100 ms: the FaceSign call is aborted, nothing is stored
    const gaveUp = new AbortController();
    setTimeout(() => gaveUp.abort(), 100);
    const res = await post(handler, { clientSecret: clientSecret.secret, sessionId: session.id }, json, { signal: gaveUp.signal }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(stored, []);
    assert.ok(res instanceof Response ? res.status >= 500 : true);
    // two at once: one call, one stored secret, both answered with it
    calls = 0;
    const fast = new FaceSign({ apiKey: KEY, baseUrl: base, maxRetries: 0, fetch: (u, i) => (calls++, fetch(u, i)) });
    const once = fast.refreshHandler({
      authorize: () => ({ sessionId: session.id, clientSecret }),
      onRefresh: ({ clientSecret: cs }) => void stored.push(cs.secret),
    });
    const [a, b] = await Promise.all([0, 1].map(() => post(once, { clientSecret: clientSecret.secret, sessionId: session.id })));
    assert.deepEqual([a.status, b.status], [200, 200]);
    const [sa, sb] = [(await a.json()).clientSecret.secret, (await b.json()).clientSecret.secret];
    assert.equal(sa, sb);
    assert.equal(calls, 1);
    assert.deepEqual(stored, [sa]);
  });

  it('a total deadline, FaceSign retries included: 503 with Retry-After before the element gives up', async () => {
    const { session } = await fs.sessions.create({ clientReferenceId: 'u', flow: FLOW });
    const hung = new FaceSign({
      apiKey: KEY,
      baseUrl: base,
      maxRetries: 5,
      timeout: 60_000,
      fetch: (_u, init) => new Promise((_, j) => init.signal.addEventListener('abort', () => j(init.signal.reason))),
    });
    const t0 = performance.now();
    const res = await post(hung.refreshHandler({ authorize: () => ({ sessionId: session.id, clientSecret: 'x' }), deadline: 300 }), {
      clientSecret: 'x',
      sessionId: session.id,
    });
    assert.deepEqual([res.status, res.headers.get('retry-after')], [503, '1']);
    assert.ok(performance.now() - t0 < 5000);
  });
});

describe("the refresh endpoint protects the merchant's quota", () => {
  let sim, base, fs;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY], rateLimit: 100_000 });
    base = await sim.listen(0);
    fs = new FaceSign({ apiKey: KEY, baseUrl: base, maxRetries: 0 });
  });
  after(() => {
    mock.timers.reset();
    return sim.close();
  });

  /** A merchant's endpoint for one session: it stores each new secret, as onRefresh should. */
  async function endpoint(options = {}, on = fs) {
    const { session, clientSecret } = await on.sessions.create({ clientReferenceId: 'u', flow: FLOW });
    const stored = { sessionId: session.id, clientSecret: clientSecret.secret };
    const handler = on.refreshHandler({
      authorize: () => stored,
      onRefresh: ({ clientSecret: cs }) => void (stored.clientSecret = cs.secret),
      ...options,
    });
    return {
      session,
      /** one refresh with the secret the browser holds now: { status, code, retryAfter } */
      async refresh() {
        const res = await post(handler, { clientSecret: stored.clientSecret, sessionId: session.id });
        const body = await res.json();
        return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') };
      },
    };
  }
  const refreshCalls = () => sim.requests.filter((r) => r.path.endsWith('/refresh')).length;

  it("a loop feeding each answer's secret into the next request gets 429 with Retry-After at once: one FaceSign call", async () => {
    const { refresh } = await endpoint();
    const calls = refreshCalls();
    const t0 = performance.now();
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await refresh());
    assert.equal(answers[0].status, 200);
    for (const a of answers.slice(1)) {
      assert.deepEqual([a.status, a.code], [429, 'secret_too_new']);
      // the element waits for it (up to its refresh timeout) and asks again
      assert.ok(Number(a.retryAfter) >= 1 && Number(a.retryAfter) <= 10, a.retryAfter);
    }
    assert.equal(refreshCalls() - calls, 1);
    assert.ok(performance.now() - t0 < 2000);
  });

  it('past the minimum age, a burst is cut at the per-session budget (30) with a Retry-After, which grows back with time', async () => {
    mock.timers.enable({ apis: ['Date'] });
    try {
      const { refresh } = await endpoint();
      const answers = [];
      for (let i = 0; i < 40; i++) {
        answers.push(await refresh());
        mock.timers.tick(11_000);
      }
      const ok = answers.filter((a) => a.status === 200).length;
      // 30, and what grew back in the 7 minutes the burst took (one per half of the secret's hour)
      assert.equal(ok, 30);
      const cut = answers[ok];
      assert.deepEqual([cut.status, cut.code], [429, 'too_many_refreshes']);
      assert.ok(Number(cut.retryAfter) > 60 && Number(cut.retryAfter) <= 1800, cut.retryAfter);
      assert.ok(answers.slice(ok).every((a) => a.status === 429));
      mock.timers.tick(Number(answers.at(-1).retryAfter) * 1000);
      assert.equal((await refresh()).status, 200);
    } finally {
      mock.timers.reset();
    }
  });

  it('a normal cadence never meets a limit: 48 hours of refreshes before expiry, each followed by a manual one; 3-second sandbox secrets', async () => {
    mock.timers.enable({ apis: ['Date'] });
    try {
      const hourly = await endpoint();
      for (let h = 0; h < 48; h++) {
        // the element's refresh a margin (60 s) before the hour is up, then a refreshSecret() 15 s later
        mock.timers.tick(59 * 60_000);
        assert.equal((await hourly.refresh()).status, 200, `hour ${h}`);
        mock.timers.tick(15_000);
        assert.equal((await hourly.refresh()).status, 200, `hour ${h}, manual`);
      }
      // the sandbox's short secrets, refreshed 2 s before they expire (?margin=2): their own minimum age
      const shortSim = createSimulator({ apiKeys: [KEY], rateLimit: 100_000, secretTtl: 3 });
      const shortFs = new FaceSign({ apiKey: KEY, baseUrl: await shortSim.listen(0), maxRetries: 0 });
      try {
        const sandbox = await endpoint({}, shortFs);
        for (let i = 0; i < 40; i++) {
          mock.timers.tick(1000);
          assert.equal((await sandbox.refresh()).status, 200, `refresh ${i}`);
        }
      } finally {
        await shortSim.close();
      }
    } finally {
      mock.timers.reset();
    }
  });

  it('the limits are settings (minSecretAge 0 switches the age off); a NaN or a budget below 1 is invalid_option', async () => {
    const { refresh } = await endpoint({ minSecretAge: 0, refreshBudget: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await refresh()).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    for (const bad of [{ minSecretAge: NaN }, { minSecretAge: -1 }, { refreshBudget: 0 }, { refreshBudget: 1.5 }, { refreshBudget: Infinity }])
      assert.throws(() => fs.refreshHandler({ authorize: () => false, ...bad }), { code: 'invalid_option' }, JSON.stringify(bad));
  });

  it('memory stays bounded: past 10,000 sessions the least recently refreshed is forgotten', async () => {
    let n = 0;
    const stub = new FaceSign({
      apiKey: KEY,
      baseUrl: 'http://127.0.0.1:1',
      maxRetries: 0,
      fetch: async () =>
        Response.json({ clientSecret: { secret: `fs_client_secret_${++n}`, createdAt: 1, expireAt: 3601, url: 'http://127.0.0.1:1/' } }),
    });
    const handler = stub.refreshHandler({ authorize: (_r, c) => ({ sessionId: c.claimedSessionId, clientSecret: c.clientSecret }) });
    const refresh = async (id) => (await post(handler, { clientSecret: 'fs_client_secret_0', sessionId: id })).status;
    assert.equal(await refresh('fs_session_first'), 200);
    assert.equal(await refresh('fs_session_first'), 429);
    for (let i = 0; i < 10_000; i++) await refresh(`fs_session_${i}`);
    assert.equal(await refresh('fs_session_first'), 200, 'forgotten, so refreshed again');
    assert.equal(await refresh('fs_session_9999'), 429, 'the most recent ones are still limited');
  });
});

describe('toNodeHandler', () => {
  it('keeps several Set-Cookie headers, streams the response, and ends a response that fails after its head (no hang, no unhandled rejection)', async () => {
    const unhandled = [];
    const onUnhandled = (e) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const errors = [];
    let sent = 0;
    const handler = async (request) => {
      const url = new URL(request.url);
      if (url.pathname === '/cookies') {
        const h = new Headers({ 'content-type': 'text/plain' });
        h.append('set-cookie', 'a=1; Path=/; HttpOnly');
        h.append('set-cookie', 'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
        return new Response('ok', { headers: h });
      }
      if (url.pathname === '/stream')
        return new Response(
          new ReadableStream({
            async pull(c) {
              if (sent === 3) return c.close();
              c.enqueue(new TextEncoder().encode(`chunk${sent++}\n`));
              await new Promise((r) => setTimeout(r, 50));
            },
          }),
        );
      return new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('half'));
          },
          pull(c) {
            c.error(new Error('the database went away'));
          },
        }),
      );
    };
    const server = await serve(toNodeHandler(handler, { onError: (e) => errors.push(e.message) }));
    try {
      const c = await fetch(`${server.url}/cookies`);
      assert.deepEqual(c.headers.getSetCookie(), ['a=1; Path=/; HttpOnly', 'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT']);
      // streamed: the first chunk arrives before the last is made
      const s = await fetch(`${server.url}/stream`);
      const reader = s.body.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      assert.equal(first, 'chunk0\n');
      assert.ok(sent < 3, `the whole body was made before the first chunk went (${sent})`);
      while (!(await reader.read()).done);
      // a failure after the head: the response is cut off, reported once, nothing left hanging
      await assert.rejects(fetch(`${server.url}/broken`).then((r) => r.text()));
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(errors, ['the database went away']);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await server.close();
    }
  });

  it('passes a failure after the head to next(err) when there is one (Express)', async () => {
    const got = [];
    const node = toNodeHandler(async () => new Response(new ReadableStream({ pull: (c) => c.error(new Error('late')) })));
    const server = await serve((req, res) => node(req, res, (e) => got.push(e.message)));
    try {
      await fetch(server.url)
        .then((r) => r.text())
        .catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(got, ['late']);
    } finally {
      await server.close();
    }
  });

  it("aborts the Request's signal when the client goes away", async () => {
    let aborted;
    const seen = new Promise((resolve) => (aborted = resolve));
    const server = await serve(toNodeHandler((request) => new Promise(() => request.signal.addEventListener('abort', () => aborted(true)))));
    try {
      const ctl = new AbortController();
      const req = fetch(server.url, { signal: ctl.signal }).catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
      ctl.abort();
      await req;
      assert.equal(await Promise.race([seen, new Promise((r) => setTimeout(() => r(false), 2000))]), true);
    } finally {
      await server.close();
    }
  });
});
