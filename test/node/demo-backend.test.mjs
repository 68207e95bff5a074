// The demo merchant backend (webhook signature, idempotence, refresh endpoint) and the sandbox start-up.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSimulator, listenOn } from '../../demo/api/simulator.mjs';
import { createBackend } from '../../demo/app/backend.mjs';
import { startSandbox } from '../../demo/sandbox.mjs';

const KEY = 'sk_test_backend_1';
const SECRET = `whsec_${Buffer.from('backend-test-key').toString('base64')}`;

describe('demo backend', () => {
  let sim, backend, server, base;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY] });
    const apiUrl = await sim.listen(0);
    server = createServer((req, res) => void backend.handle(req, res, () => res.writeHead(404).end()));
    await listenOn(server, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.address().port}`;
    // the demo app's own origin: the only one its pages post from
    backend = createBackend({ apiUrl, apiKey: KEY, webhookSecret: SECRET, appOrigin: base });
  });
  after(async () => {
    await sim.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const post = (path, body, headers = {}) =>
    fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('creates a session server-side and hands the browser only the client secret', async () => {
    const res = await post('/api/verifications', { sample: 'greeting' });
    assert.equal(res.status, 201);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['clientSecret', 'sessionId']);
    assert.deepEqual(Object.keys(body.clientSecret).sort(), ['expireAt', 'secret', 'url']);
    assert.ok(!JSON.stringify(body).includes(KEY));
    assert.equal(backend.store.get(body.sessionId).status, 'requiresInput');
    assert.equal((await post('/api/verifications', { sample: 'nope' })).status, 400);
  });

  it('refreshes the secret through the simulator for the holder of the current secret; the old one stops working', async () => {
    const { sessionId, clientSecret } = await (await post('/api/verifications', {})).json();
    // a session id alone is not enough
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { sessionId })).status, 400);
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { clientSecret: 'fs_client_secret_guess' })).status, 403);
    const res = await post(`/api/verifications/${sessionId}/secret`, { clientSecret: clientSecret.secret, sessionId });
    assert.equal(res.status, 200);
    const { clientSecret: fresh } = await res.json();
    assert.notEqual(fresh.secret, clientSecret.secret);
    assert.equal(sim.sessions.get(sessionId).secret.secret, fresh.secret);
    // the old secret no longer refreshes; the new one does, once it is not brand new (the merchant's quota)
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { clientSecret: clientSecret.secret })).status, 403);
    const soon = await post(`/api/verifications/${sessionId}/secret`, { clientSecret: fresh.secret });
    assert.deepEqual([soon.status, (await soon.json()).error.code], [429, 'secret_too_new']);
    assert.ok(Number(soon.headers.get('retry-after')) >= 1);
    assert.equal((await post('/api/verifications/fs_session_unknown/secret', {})).status, 404);
    // a body naming another session than the one the caller holds the secret of
    const other = await (await post('/api/verifications', {})).json();
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { clientSecret: fresh.secret, sessionId: other.sessionId })).status, 403);
  });

  it('GET ?sync=1 asks FaceSign (sessions.retrieve) when a webhook is late; the record never shows the secret', async () => {
    const { sessionId } = await (await post('/api/verifications', {})).json();
    sim.sessions.get(sessionId).session.status = 'canceled';
    const plain = await (await fetch(`${base}/api/verifications/${sessionId}`)).json();
    assert.equal(plain.status, 'requiresInput');
    assert.equal('secret' in plain, false);
    assert.equal((await (await fetch(`${base}/api/verifications/${sessionId}?sync=1`)).json()).status, 'canceled');
    assert.equal(backend.store.get(sessionId).status, 'canceled');
  });

  it('the refresh endpoint can be told to fail, answer garbage, or hang (for the secret-lifecycle tests)', async () => {
    const { sessionId, clientSecret } = await (await post('/api/verifications', {})).json();
    const body = { clientSecret: clientSecret.secret };
    await post('/api/test/refresh-faults', { fail: 2, status: 503, garbage: 1 });
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, body)).status, 503);
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, body)).status, 503);
    const garbage = await post(`/api/verifications/${sessionId}/secret`, body);
    assert.equal(await garbage.text(), '<html>not json</html>');
    await post('/api/test/refresh-faults', { hang: 1 });
    const hung = fetch(`${base}/api/verifications/${sessionId}/secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(300),
    });
    await assert.rejects(hung, { name: 'TimeoutError' });
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, body)).status, 200);
  });

  it('webhooks: a bad signature is refused, a good one applied once, a finished record never moves back', async () => {
    const { sessionId } = await (await post('/api/verifications', {})).json();
    const event = (id, type, status) =>
      JSON.stringify({
        id,
        type,
        createdAt: 1,
        data: {
          session: {
            id: sessionId,
            status,
            ...(status === 'complete' && { finishedAt: 2, report: { isVerified: true, livenessDetected: true, transcript: [] } }),
          },
        },
      });
    // Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body">, key = the base64 after whsec_
    const deliver = (raw, { id = JSON.parse(raw).id, ts = Math.floor(Date.now() / 1000), key = SECRET, sig, body = raw } = {}) =>
      post('/api/webhooks/facesign', body, {
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature':
          sig ??
          `v1,${createHmac('sha256', Buffer.from(key.slice(6), 'base64'))
            .update(`${id}.${ts}.${raw}`)
            .digest('base64')}`,
      });
    const raw = event('evt_1', 'session.completed', 'complete');
    const refused = [
      await post('/api/webhooks/facesign', raw), // no headers
      await deliver(raw, { sig: 'v1,AAAA' }),
      await deliver(raw, { key: `whsec_${Buffer.from('another key').toString('base64')}` }),
      await deliver(raw, { body: raw.replace('"isVerified":true', '"isVerified":false') }), // tampered on the way
      await deliver(raw, { ts: Math.floor(Date.now() / 1000) - 600 }), // a replay of an old delivery
    ];
    assert.deepEqual(await Promise.all(refused.map(async (r) => [r.status, (await r.json()).error])), [
      [400, 'missing_header'],
      [400, 'invalid_signature'],
      [400, 'invalid_signature'],
      [400, 'invalid_signature'],
      [400, 'timestamp_too_old'],
    ]);
    assert.equal(backend.store.get(sessionId).status, 'requiresInput');
    assert.deepEqual(await (await deliver(raw)).json(), { received: true, duplicate: false });
    // the same webhook-id again (a retry, or a replay within the tolerance): answered, not applied again
    assert.deepEqual(await (await deliver(raw)).json(), { received: true, duplicate: true });
    const late = event('evt_0', 'session.started', 'processing');
    assert.equal((await deliver(late)).status, 200);
    const rec = await (await fetch(`${base}/api/verifications/${sessionId}`)).json();
    assert.equal(rec.status, 'complete');
    assert.equal(rec.result.isVerified, true);
    assert.deepEqual(
      rec.events.map((e) => e.id),
      ['evt_1', 'evt_0'],
    );
  });
});

describe('demo backend: what a page on another site (or a rebound DNS name) can make it do', () => {
  let sim, backend, server, base, port;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY] });
    const apiUrl = await sim.listen(0);
    server = createServer((req, res) => void backend.handle(req, res, () => res.writeHead(404).end()));
    await listenOn(server, 0, '127.0.0.1');
    port = server.address().port;
    base = `http://127.0.0.1:${port}`;
    backend = createBackend({ apiUrl, apiKey: KEY, webhookSecret: SECRET, appOrigin: base });
  });
  after(async () => {
    await sim.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  /** node:http, which (unlike fetch) sends the Host header it is given */
  const request = (path, { method = 'POST', headers = {}, body = '' } = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', reject).end(body);
    });
  /** writes `head`, then `chunks` one per `every` ms over a bare socket: what came back, and when */
  const raw = (head, chunks = [], every = 0) =>
    new Promise((resolve) => {
      const sock = connect(port, '127.0.0.1');
      let got = '';
      let sent = 0;
      let answeredAt;
      const t0 = performance.now();
      const timers = [];
      sock.on('data', (d) => ((got += d), (answeredAt ??= { ms: performance.now() - t0, sent })));
      sock.on('error', () => {});
      sock.on('close', () => (timers.forEach(clearTimeout), resolve({ got, answeredAt })));
      sock.write(head);
      chunks.forEach((c, i) => timers.push(setTimeout(() => sock.writable && (sock.write(c), sent++), every * (i + 1))));
      sock.on('data', () => setTimeout(() => sock.destroy(), 50));
      timers.push(setTimeout(() => sock.destroy(), every * chunks.length + 2000));
    });

  it("the create route and the test hook take only JSON from the app's own origin: text/plain, another origin or site, another Host are refused", async () => {
    const sessions = sim.sessions.size;
    const faults = { ...backend.faults };
    const body = JSON.stringify({ sample: 'greeting', fail: 5 });
    for (const path of ['/api/verifications', '/api/test/refresh-faults']) {
      // a form or text/plain needs no preflight: any page can make a browser send it
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])
        assert.equal((await request(path, { headers: { 'content-type': type }, body })).status, 415, `${path} ${type}`);
      // a page on another loopback origin, or another site
      for (const headers of [
        { origin: 'http://localhost:9999' },
        { origin: `http://localhost:${port}` },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { origin: base, 'sec-fetch-site': 'cross-site' },
      ]) {
        const res = await request(path, { headers, body });
        assert.deepEqual([res.status, res.body.code], [403, 'cross_origin'], `${path} ${JSON.stringify(headers)}`);
      }
      // DNS rebinding: the attacker's name, resolved to this machine
      const rebound = await request(path, { headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, body });
      assert.deepEqual([rebound.status, rebound.body.code], [403, 'wrong_host'], path);
    }
    assert.equal(sim.sessions.size, sessions, 'no session was created');
    assert.deepEqual(backend.faults, faults, 'no fault was set');
    // the app itself (a browser on its page sends its origin; a script on this machine none)
    assert.equal((await request('/api/verifications', { headers: { origin: base, 'sec-fetch-site': 'same-origin' }, body: '{}' })).status, 201);
    assert.equal((await request('/api/verifications', { body: '{}' })).status, 201);
    // the merchant's own front end behind a proxy: same-origin to the browser, whatever Origin the proxy forwards
    assert.equal(
      (await request('/api/verifications', { headers: { origin: 'http://localhost:9999', 'sec-fetch-site': 'same-origin' }, body: '{}' })).status,
      201,
    );
    // reads and refreshes are the app's own too; the webhook is FaceSign's (no Origin, signed)
    assert.equal((await request('/api/samples', { method: 'GET', headers: { 'sec-fetch-site': 'cross-site' } })).status, 403);
    assert.equal((await request('/api/webhooks/facesign', { headers: { 'sec-fetch-site': 'cross-site' }, body: '{}' })).status, 400);
  });

  it('a body over the limit is refused before it is read: a declared 64 MB at once, a chunked one where it crosses the limit', async () => {
    for (const path of ['/api/verifications', '/api/test/refresh-faults', '/api/webhooks/facesign']) {
      const declared = await raw(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${64 * 2 ** 20}\r\n\r\n{"sample":"`,
      );
      assert.match(declared.got, /^HTTP\/1.1 413/, path);
      assert.ok(declared.answeredAt.ms < 500, `${path}: answered after ${declared.answeredAt.ms} ms`);
    }
    // 2 MB in 64 KB chunks, one every 20 ms: the answer comes where the limit is crossed, not after the end
    const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`;
    const rss0 = process.memoryUsage().rss;
    const chunked = await raw(
      `POST /api/webhooks/facesign HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
      Array(32).fill(chunk),
      20,
    );
    assert.match(chunked.got, /^HTTP\/1.1 413/);
    assert.ok(chunked.answeredAt.sent < 24, `answered after ${chunked.answeredAt.sent} of 32 chunks`);
    assert.ok(process.memoryUsage().rss - rss0 < 50 * 2 ** 20);
    // within the limit, all is as before
    assert.equal((await request('/api/verifications', { body: JSON.stringify({ sample: 'greeting' }) })).status, 201);
  });
});

describe('sandbox start-up', () => {
  it('a taken port gives a message that says what to do, and nothing is left running', async () => {
    const blocker = createServer();
    await listenOn(blocker, 0, '127.0.0.1');
    const port = blocker.address().port;
    await assert.rejects(startSandbox({ apiPort: 0, verifyPort: port, demoPort: 0 }), (e) => {
      assert.match(e.message, new RegExp(`port ${port} .*already in use.*FACESIGN_VERIFY_PORT`));
      return true;
    });
    // the API port too (node:http rather than Vite)
    await assert.rejects(startSandbox({ apiPort: port, verifyPort: 0, demoPort: 0 }), new RegExp(`port ${port} .*already in use.*FACESIGN_API_PORT`));
    await new Promise((r) => blocker.close(r));
  });
});
