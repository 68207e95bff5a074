// Forced outcomes: the simulator's test helper (POST /v1/test_helpers/sessions/{id}/outcome) and the server client's
// `testHelpers.sessions.forceOutcome`, against a listening simulator on loopback with a webhook receiver.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createSimulator, listenOn } from '../../demo/api/simulator.mjs';
import { FaceSign, FaceSignAPIError, FaceSignServerError } from '../../demo/server-sdk.mjs';

const KEY = 'sk_test_forced_abc123';
const OTHER = 'sk_test_forced_other456';
const LIVE = 'sk_prod_forced_live789';
const SECRET = `whsec_${Buffer.from('forced-outcome-webhook-key').toString('base64')}`;
const FLOW = [
  { id: 'start', type: 'start', outcome: 'q' },
  { id: 'q', type: 'conversation', prompt: 'Name?', outcomes: [{ id: 'a', condition: 'a name', targetNodeId: 'end' }] },
  { id: 'end', type: 'end' },
];

describe('forced outcomes: the simulator test helper', () => {
  let sim, base, hook;
  const got = [];
  before(async () => {
    hook = createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200).end();
    });
    await listenOn(hook, 0, '127.0.0.1');
    sim = createSimulator({
      apiKeys: [KEY, OTHER, LIVE],
      webhookUrl: `http://127.0.0.1:${hook.address().port}/hook`,
      webhookSecret: SECRET,
      webhookRetryMs: 20,
    });
    base = await sim.listen(0);
  });
  after(async () => {
    await sim.close();
    await new Promise((r) => hook.close(r));
  });

  const call = async (method, path, { key = KEY, body } = {}) => {
    const headers = { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) };
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  };
  const create = async (key = KEY) => (await call('POST', '/v1/sessions', { key, body: { clientReferenceId: 'u', flow: FLOW } })).json;
  const force = (id, outcome, key = KEY) => call('POST', `/v1/test_helpers/sessions/${id}/outcome`, { key, body: { outcome } });
  const asPage = (secret, method, path, body) =>
    fetch(`${base}/v1/client/session${path}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: await r.json() }));
  /** The signed deliveries for one session, in order, each verified by the Standard Webhooks reference package. */
  async function webhooksOf(sessionId, count) {
    const mine = () => got.filter((g) => JSON.parse(g.body).data.session.id === sessionId);
    for (let i = 0; i < 200 && mine().length < count; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50)); // nothing more comes
    return mine().map((g) => new Webhook(SECRET).verify(g.body, g.headers));
  }

  it('verified: complete at once, report.isVerified true, session.started then session.completed, signed', async () => {
    const { session } = await create();
    const r = await force(session.id, 'verified');
    assert.equal(r.status, 200);
    assert.equal(r.json.session.status, 'complete');
    assert.equal(r.json.session.report.isVerified, true);
    assert.equal(r.json.session.report.livenessDetected, true);
    assert.match(r.json.session.report.aiAnalysis.overallSummary, /forced by a test helper/);
    // the answer is the session as GET /v1/sessions/{id} gives it
    assert.deepEqual(r.json.session, (await call('GET', `/v1/sessions/${session.id}`)).json.session);
    const events = await webhooksOf(session.id, 2);
    assert.deepEqual(
      events.map((e) => e.type),
      ['session.started', 'session.completed'],
    );
    assert.equal(events[1].data.session.report.isVerified, true);
    assert.equal(events[1].data.session.status, 'complete');
  });

  it('not_verified: complete, report.isVerified false; a session already processing gets only session.completed', async () => {
    const { session, clientSecret } = await create();
    assert.equal((await asPage(clientSecret.secret, 'POST', '/start', {})).status, 200);
    const r = await force(session.id, 'not_verified');
    assert.equal(r.json.session.status, 'complete');
    assert.equal(r.json.session.report.isVerified, false);
    assert.equal(r.json.session.report.aiAnalysis.realPersonOrVirtual, 'virtual');
    const events = await webhooksOf(session.id, 2);
    assert.deepEqual(
      events.map((e) => e.type),
      ['session.started', 'session.completed'],
    );
    assert.equal(events[1].data.session.report.isVerified, false);
    // the hosted page finds it ended
    assert.equal((await asPage(clientSecret.secret, 'GET', '')).json.session.status, 'complete');
  });

  it('canceled: canceled with reason user_canceled, one session.canceled, no session.started', async () => {
    const { session, clientSecret } = await create();
    const r = await force(session.id, 'canceled');
    assert.equal(r.json.session.status, 'canceled');
    assert.equal(typeof r.json.session.finishedAt, 'number');
    const events = await webhooksOf(session.id, 1);
    assert.deepEqual(
      events.map((e) => e.type),
      ['session.canceled'],
    );
    const view = (await asPage(clientSecret.secret, 'GET', '')).json.session;
    assert.equal(view.status, 'canceled');
    assert.equal(view.canceledReason, 'user_canceled');
  });

  it('expired: canceled (the seeds: "cancelled by user or expired"), session.canceled, the page told it expired; no refresh', async () => {
    const { session, clientSecret } = await create();
    const r = await force(session.id, 'expired');
    assert.equal(r.json.session.status, 'canceled');
    const events = await webhooksOf(session.id, 1);
    assert.deepEqual(
      events.map((e) => e.type),
      ['session.canceled'],
    );
    assert.equal((await asPage(clientSecret.secret, 'GET', '')).json.session.canceledReason, 'expired');
    assert.equal((await call('GET', `/v1/sessions/${session.id}/refresh`)).status, 400);
  });

  it("error: the session stays as it was, no webhook; the page's next request fails once with sandbox_forced_error", async () => {
    const { session, clientSecret } = await create();
    const r = await force(session.id, 'error');
    assert.equal(r.status, 200);
    assert.equal(r.json.session.status, 'requiresInput');
    const failed = await asPage(clientSecret.secret, 'GET', '');
    assert.equal(failed.status, 500);
    assert.equal(failed.json.error.type, 'api_error');
    assert.equal(failed.json.error.code, 'sandbox_forced_error');
    assert.match(failed.json.error.message, /forced the outcome "error"/);
    // Try again continues the session
    assert.equal((await asPage(clientSecret.secret, 'GET', '')).status, 200);
    assert.deepEqual(await webhooksOf(session.id, 0), []);
    // and it can still end, forced or not
    assert.equal((await force(session.id, 'verified')).json.session.status, 'complete');
  });

  it('an unknown outcome: 400 validation_error naming the allowed values; nothing changes', async () => {
    const { session } = await create();
    for (const body of [{ outcome: 'approved' }, {}, { outcome: 1 }]) {
      const r = await call('POST', `/v1/test_helpers/sessions/${session.id}/outcome`, { body });
      assert.equal(r.status, 400);
      assert.equal(r.json.error.type, 'validation_error');
      assert.match(r.json.error.message, /outcome must be one of verified, not_verified, canceled, expired, error/);
    }
    assert.equal((await call('GET', `/v1/sessions/${session.id}`)).json.session.status, 'requiresInput');
  });

  it('a finished session: 400 saying its status', async () => {
    const { session } = await create();
    await force(session.id, 'canceled');
    const r = await force(session.id, 'verified');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.type, 'validation_error');
    assert.match(r.json.error.message, /already canceled/);
    assert.equal((await call('GET', `/v1/sessions/${session.id}`)).json.session.status, 'canceled');
  });

  it('a live key: 403 test_helpers_live_key, the session untouched', async () => {
    const { session } = await create(LIVE);
    const r = await force(session.id, 'verified', LIVE);
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'test_helpers_live_key');
    assert.match(r.json.error.message, /test keys only.*sk_test_/);
    assert.equal((await call('GET', `/v1/sessions/${session.id}`, { key: LIVE })).json.session.status, 'requiresInput');
  });

  it("another merchant's session: 404, as if it did not exist; an unknown one: 404; no key: 401", async () => {
    const { session } = await create(OTHER);
    assert.equal((await force(session.id, 'verified')).status, 404);
    assert.equal((await call('GET', `/v1/sessions/${session.id}`, { key: OTHER })).json.session.status, 'requiresInput');
    assert.equal((await force('fs_session_nope', 'verified')).status, 404);
    const anon = await fetch(`${base}/v1/test_helpers/sessions/${session.id}/outcome`, { method: 'POST' });
    assert.equal(anon.status, 401);
  });

  it('server client: testHelpers.sessions.forceOutcome returns the session, for every outcome', async () => {
    const facesign = new FaceSign({ apiKey: KEY, baseUrl: base });
    const expected = { verified: 'complete', not_verified: 'complete', canceled: 'canceled', expired: 'canceled', error: 'requiresInput' };
    for (const [outcome, status] of Object.entries(expected)) {
      const { session } = await facesign.sessions.create({ clientReferenceId: 'u', flow: FLOW });
      const forced = await facesign.testHelpers.sessions.forceOutcome(session.id, outcome);
      assert.equal(forced.id, session.id);
      assert.equal(forced.status, status, outcome);
      if (status === 'complete') assert.equal(forced.report.isVerified, outcome === 'verified');
    }
  });

  it('server client: API refusals arrive as FaceSignAPIError (a finished session, an unknown one)', async () => {
    const facesign = new FaceSign({ apiKey: KEY, baseUrl: base, maxRetries: 0 });
    const { session } = await facesign.sessions.create({ clientReferenceId: 'u', flow: FLOW });
    await facesign.testHelpers.sessions.forceOutcome(session.id, 'canceled');
    await assert.rejects(facesign.testHelpers.sessions.forceOutcome(session.id, 'verified'), (e) => {
      assert.ok(e instanceof FaceSignAPIError);
      assert.equal(e.status, 400);
      assert.match(e.message, /already canceled/);
      return true;
    });
    await assert.rejects(facesign.testHelpers.sessions.forceOutcome('fs_session_nope', 'verified'), { status: 404 });
  });

  it('server client: a live key throws test_mode_only before anything is sent', async () => {
    const sent = [];
    const facesign = new FaceSign({ apiKey: LIVE, baseUrl: base, fetch: (...a) => (sent.push(a), fetch(...a)) });
    await assert.rejects(facesign.testHelpers.sessions.forceOutcome('fs_session_x', 'verified'), (e) => {
      assert.ok(e instanceof FaceSignServerError);
      assert.equal(e.code, 'test_mode_only');
      assert.match(e.message, /sk_test_/);
      assert.ok(!e.message.includes(LIVE));
      return true;
    });
    assert.equal(sent.length, 0);
  });

  it('server client: a bad outcome or session id is refused with invalid_argument before anything is sent', async () => {
    const sent = [];
    const facesign = new FaceSign({ apiKey: KEY, baseUrl: base, fetch: (...a) => (sent.push(a), fetch(...a)) });
    await assert.rejects(facesign.testHelpers.sessions.forceOutcome('fs_session_x', 'approved'), {
      code: 'invalid_argument',
      message: /outcome must be one of verified, not_verified, canceled, expired, error: got "approved"/,
    });
    await assert.rejects(facesign.testHelpers.sessions.forceOutcome('../sessions', 'verified'), { code: 'invalid_argument' });
    assert.equal(sent.length, 0);
  });
});
