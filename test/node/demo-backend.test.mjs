// The demo merchant backend (webhook signature, idempotence, refresh endpoint) and the sandbox start-up.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createSimulator, listenOn } from '../../demo/api/simulator.mjs';
import { createBackend } from '../../demo/app/backend.mjs';
import { startSandbox } from '../../demo/sandbox.mjs';

const KEY = 'sk_test_backend_1';
const SECRET = 'whsec_backend_test';

describe('demo backend', () => {
  let sim, backend, server, base;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY] });
    const apiUrl = await sim.listen(0);
    backend = createBackend({ apiUrl, apiKey: KEY, webhookSecret: SECRET });
    server = createServer((req, res) => void backend.handle(req, res, () => res.writeHead(404).end()));
    await listenOn(server, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.address().port}`;
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
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { sessionId })).status, 403);
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { clientSecret: 'fs_client_secret_guess' })).status, 403);
    const res = await post(`/api/verifications/${sessionId}/secret`, { clientSecret: clientSecret.secret, sessionId });
    assert.equal(res.status, 200);
    const { clientSecret: fresh } = await res.json();
    assert.notEqual(fresh.secret, clientSecret.secret);
    assert.equal(sim.sessions.get(sessionId).secret.secret, fresh.secret);
    // the old secret no longer refreshes; the new one does
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { clientSecret: clientSecret.secret })).status, 403);
    assert.equal((await post(`/api/verifications/${sessionId}/secret`, { clientSecret: fresh.secret })).status, 200);
    assert.equal((await post('/api/verifications/fs_session_unknown/secret', {})).status, 404);
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
    const sign = (raw, key = SECRET) => `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;
    const raw = event('evt_1', 'session.completed', 'complete');
    for (const sig of [undefined, 'sha256=00', sign(raw, 'whsec_wrong'), sign(raw + ' ')]) {
      const r = await post('/api/webhooks/facesign', raw, sig ? { 'facesign-signature': sig } : {});
      assert.equal(r.status, 400);
    }
    assert.equal(backend.store.get(sessionId).status, 'requiresInput');
    assert.equal((await post('/api/webhooks/facesign', raw, { 'facesign-signature': sign(raw) })).status, 200);
    assert.equal((await post('/api/webhooks/facesign', raw, { 'facesign-signature': sign(raw) })).status, 200);
    const late = event('evt_0', 'session.started', 'processing');
    assert.equal((await post('/api/webhooks/facesign', late, { 'facesign-signature': sign(late) })).status, 200);
    const rec = await (await fetch(`${base}/api/verifications/${sessionId}`)).json();
    assert.equal(rec.status, 'complete');
    assert.equal(rec.result.isVerified, true);
    assert.deepEqual(
      rec.events.map((e) => e.id),
      ['evt_1', 'evt_0'],
    );
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
