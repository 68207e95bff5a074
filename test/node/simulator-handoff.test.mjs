// Continue on your phone in the API simulator (demo/api/handoff.mjs), in Node against a listening server on
// loopback: the link minted with the session's secret is not the secret, opens once, expires, is replaced by a new
// one; a session on the phone runs its flow only from there; the status answers at once or when something changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSimulator } from '../../demo/api/simulator.mjs';

const KEY = 'sk_test_unit_abc123';
const FLOW = [
  { id: 'start', type: 'start', outcome: 'greeting' },
  {
    id: 'greeting',
    type: 'conversation',
    prompt: "Hello! What's your name?",
    outcomes: [{ id: 't1', condition: 'user provided name', targetNodeId: 'end' }],
  },
  { id: 'end', type: 'end' },
];

describe('simulator: continue on your phone', () => {
  let sim;
  let base;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY], handoffPollMs: 300 });
    base = await sim.listen(0, '127.0.0.1');
  });
  after(() => sim.close());

  const call = async (method, path, { secret, body } = {}) => {
    const res = await fetch(`${base}/v1${path}`, {
      method,
      headers: { ...(secret && { authorization: `Bearer ${secret}` }), ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  /** a session and its (the computer's) client secret */
  const session = async () => {
    const r = await fetch(`${base}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientReferenceId: 'u1', flow: FLOW }),
    });
    const json = await r.json();
    return { id: json.session.id, secret: json.clientSecret.secret };
  };
  const tokenOf = (url) => new URLSearchParams(new URL(url).hash.slice(1)).get('fs_handoff');

  it('mints a link that is not the secret, opens it once, and locks the flow to the phone', async () => {
    const { id, secret } = await session();
    const minted = await call('POST', '/client/handoff', { secret });
    assert.equal(minted.status, 200);
    const { url, state, expiresAt } = minted.json.handoff;
    assert.equal(state, 'waiting');
    assert.ok(expiresAt > Date.now() + 9 * 60_000 && expiresAt <= Date.now() + 10 * 60_000);
    assert.ok(!url.includes(secret) && !/client_secret/.test(url), 'the link is not the secret');
    const opened = await call('POST', '/client/handoff/open', { body: { token: tokenOf(url) } });
    assert.equal(opened.status, 200);
    assert.equal(opened.json.sessionId, id);
    assert.notEqual(opened.json.secret, secret);
    const again = await call('POST', '/client/handoff/open', { body: { token: tokenOf(url) } });
    assert.deepEqual([again.status, again.json.error.code], [409, 'handoff_already_opened']);
    // the computer's secret may read and cancel, not run the flow; the phone's may
    const fromComputer = await call('POST', '/client/session/start', { secret, body: {} });
    assert.deepEqual([fromComputer.status, fromComputer.json.error.code], [409, 'session_on_other_device']);
    assert.equal((await call('POST', '/client/session/start', { secret: opened.json.secret, body: {} })).status, 200);
    const status = await call('GET', '/client/handoff?since=-1', { secret });
    assert.deepEqual([status.json.handoff.state, status.json.handoff.step.nodeId, status.json.handoff.url], ['opened', 'greeting', undefined]);
    // a second mint while the phone holds it: no new link
    assert.equal((await call('POST', '/client/handoff', { secret })).json.handoff.state, 'opened');
  });

  it('an expired link, and one replaced by a new code, open nothing; a fresh one does', async () => {
    const { secret } = await session();
    const first = tokenOf((await call('POST', '/client/handoff', { secret })).json.handoff.url);
    const second = tokenOf((await call('POST', '/client/handoff', { secret })).json.handoff.url);
    const replaced = await call('POST', '/client/handoff/open', { body: { token: first } });
    assert.deepEqual([replaced.status, replaced.json.error.code], [410, 'handoff_link_expired']);
    sim.expireHandoffLinks();
    assert.equal((await call('GET', '/client/handoff?since=-1', { secret })).json.handoff.state, 'expired');
    const late = await call('POST', '/client/handoff/open', { body: { token: second } });
    assert.deepEqual([late.status, late.json.error.code], [410, 'handoff_link_expired']);
    const fresh = tokenOf((await call('POST', '/client/handoff', { secret })).json.handoff.url);
    assert.equal((await call('POST', '/client/handoff/open', { body: { token: fresh } })).status, 200);
    const unknown = await call('POST', '/client/handoff/open', { body: { token: 'nope' } });
    assert.deepEqual([unknown.status, unknown.json.error.code], [404, 'handoff_link_invalid']);
  });

  it('the status is held until something changes (a long poll), answers at once when behind, and after handoffPollMs at most', async () => {
    const { secret } = await session();
    const { version, url } = (await call('POST', '/client/handoff', { secret })).json.handoff;
    const t0 = Date.now();
    const held = call('GET', `/client/handoff?since=${version}`, { secret });
    await new Promise((r) => setTimeout(r, 50));
    await call('POST', '/client/handoff/open', { body: { token: tokenOf(url) } });
    const changed = await held;
    assert.equal(changed.json.handoff.state, 'opened');
    assert.ok(changed.json.handoff.version > version);
    assert.ok(Date.now() - t0 < 300, 'answered when it changed');
    const quiet = Date.now();
    const same = await call('GET', `/client/handoff?since=${changed.json.handoff.version}`, { secret });
    assert.equal(same.json.handoff.version, changed.json.handoff.version);
    assert.ok(Date.now() - quiet >= 250, 'held while nothing changed');
  });

  it('the phone leaving (its beacon, its secret in the body) is seen; the phone coming back is too; a relay starting again keeps it, a new code kills its secret', async () => {
    const { secret } = await session();
    const { url } = (await call('POST', '/client/handoff', { secret })).json.handoff;
    const phone = (await call('POST', '/client/handoff/open', { body: { token: tokenOf(url) } })).json.secret;
    const bad = await call('POST', '/client/handoff/leave', { body: { secret } });
    assert.equal(bad.status, 401, 'only the phone can say it left');
    assert.equal((await call('POST', '/client/handoff/leave', { body: { secret: phone } })).json.handoff.state, 'left');
    await call('GET', '/client/session', { secret: phone });
    assert.equal((await call('GET', '/client/handoff?since=-1', { secret })).json.handoff.state, 'opened');
    await call('POST', '/client/handoff/leave', { body: { secret: phone } });
    // a relay starting again (a reload) keeps the phone that left: it may come back
    assert.equal((await call('POST', '/client/handoff', { secret })).json.handoff.state, 'left');
    assert.equal((await call('GET', '/client/session', { secret: phone })).status, 200, 'the phone that left keeps its secret');
    await call('POST', '/client/handoff/leave', { body: { secret: phone } });
    // "Show a new code" (renew) replaces it
    assert.equal((await call('POST', '/client/handoff', { secret, body: { renew: true } })).json.handoff.state, 'waiting');
    assert.equal((await call('GET', '/client/session', { secret: phone })).status, 401, 'the closed tab’s secret died');
  });

  it('a code of a session that ended (canceled on the computer) opens nothing: session_finished, and no secret', async () => {
    const { secret } = await session();
    const { url } = (await call('POST', '/client/handoff', { secret })).json.handoff;
    assert.equal((await call('POST', '/client/session/cancel', { secret, body: { reason: 'user_canceled' } })).status, 200);
    const opened = await call('POST', '/client/handoff/open', { body: { token: tokenOf(url) } });
    assert.deepEqual([opened.status, opened.json.error?.code, opened.json.secret], [410, 'session_finished', undefined]);
  });

  it('a cancel sent as a beacon (the secret and its session in the body) ends the session; another session’s or an unknown secret is refused', async () => {
    const { id, secret } = await session();
    const other = await session();
    const beacon = (body) =>
      fetch(`${base}/v1/client/session/cancel-beacon`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, json: await r.json() }));
    const unknown = await beacon({ secret: 'fs_client_secret_nope', session: id, reason: 'closed_by_host' });
    assert.deepEqual([unknown.status, unknown.json.error.code], [401, 'client_secret_invalid']);
    const swapped = await beacon({ secret: other.secret, session: id, reason: 'closed_by_host' });
    assert.deepEqual([swapped.status, swapped.json.error.code], [401, 'client_secret_wrong_session']);
    const ok = await beacon({ secret, session: id, reason: 'closed_by_host' });
    assert.deepEqual([ok.status, ok.json.session.status], [200, 'canceled']);
    assert.equal(sim.sessions.get(id).cancelReason, 'closed_by_host');
  });

  it('a cancel on the computer reaches the phone’s status with its reason', async () => {
    const { secret } = await session();
    const { url } = (await call('POST', '/client/handoff', { secret })).json.handoff;
    const phone = (await call('POST', '/client/handoff/open', { body: { token: tokenOf(url) } })).json.secret;
    assert.equal((await call('POST', '/client/session/cancel', { secret, body: { reason: 'closed_by_host' } })).status, 200);
    const seen = (await call('GET', '/client/handoff?since=-1', { secret: phone })).json.handoff;
    assert.deepEqual([seen.status, seen.reason], ['canceled', 'closed_by_host']);
  });
});

/** Requests to the simulator at `base`: a session whose link a phone opened (both secrets), and the handoff's state. */
function phoneOf(base) {
  const call = async (method, path, { secret, body, signal } = {}) => {
    const res = await fetch(`${base}/v1${path}`, {
      method,
      signal,
      headers: { ...(secret && { authorization: `Bearer ${secret}` }), ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const opened = async () => {
    const secret = (await call('POST', '/sessions', { secret: KEY, body: { clientReferenceId: 'u1', flow: FLOW } })).json.clientSecret.secret;
    const url = (await call('POST', '/client/handoff', { secret })).json.handoff.url;
    const token = new URLSearchParams(new URL(url).hash.slice(1)).get('fs_handoff');
    return { secret, phone: (await call('POST', '/client/handoff/open', { body: { token } })).json.secret };
  };
  const state = async (secret) => (await call('GET', '/client/handoff?since=-1', { secret })).json.handoff.state;
  return { call, opened, state };
}

describe('simulator: a phone that goes silent', () => {
  // a phone can go without a goodbye (its tab crashed, the browser was killed, the network went, the page froze):
  // the computer must not say "on your phone" for ever
  let sim;
  let call;
  let opened;
  let state;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY], handoffPollMs: 200, handoffSilenceMs: 500 });
    ({ call, opened, state } = phoneOf(await sim.listen(0, '127.0.0.1')));
  });
  after(() => sim.close());

  it('a phone not heard from for handoffSilenceMs counts as left; its next request brings it back', async () => {
    const { secret, phone } = await opened();
    assert.equal(await state(secret), 'opened');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(await state(secret), 'left', 'silent for longer than handoffSilenceMs');
    assert.equal((await call('GET', '/client/session', { secret: phone })).status, 200, 'its secret still works');
    assert.equal(await state(secret), 'opened', 'heard again');
  });

  it('a phone whose page keeps long-polling its status stays on the phone', async () => {
    const { secret, phone } = await opened();
    let version = -1;
    const until = Date.now() + 1200;
    while (Date.now() < until) version = (await call('GET', `/client/handoff?since=${version}`, { secret: phone })).json.handoff.version;
    assert.equal(await state(secret), 'opened');
  });

  it('a phone’s status request held for longer than the silence keeps it there; once it gives up, the silence counts', async () => {
    // held up to 1.5 s, silent after 0.3 s: only the held request keeps the phone there
    const held = createSimulator({ apiKeys: [KEY], handoffPollMs: 1500, handoffSilenceMs: 300 });
    const on = phoneOf(await held.listen(0, '127.0.0.1'));
    try {
      const { secret, phone } = await on.opened();
      const version = (await on.call('GET', '/client/handoff?since=-1', { secret: phone })).json.handoff.version;
      const giveUp = new AbortController();
      const holding = on.call('GET', `/client/handoff?since=${version}`, { secret: phone, signal: giveUp.signal }).catch(() => {});
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(await on.state(secret), 'opened', 'held: still there');
      giveUp.abort();
      await holding;
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(await on.state(secret), 'left', 'no request held and silent: left');
    } finally {
      await held.close();
    }
  });

  it('a silence after the session ended changes nothing', async () => {
    const { secret, phone } = await opened();
    assert.equal((await call('POST', '/client/session/cancel', { secret: phone })).status, 200);
    await new Promise((r) => setTimeout(r, 800));
    const seen = (await call('GET', '/client/handoff?since=-1', { secret })).json.handoff;
    assert.deepEqual([seen.state, seen.status], ['opened', 'canceled']);
  });
});
