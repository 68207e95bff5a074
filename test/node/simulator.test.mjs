// The FaceSign API simulator, in Node, against a listening server on loopback.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createSimulator, listenOn } from '../../demo/api/simulator.mjs';

const KEY = 'sk_test_unit_abc123';
const UNIT_SECRET = `whsec_${Buffer.from('unit-test-webhook-key').toString('base64')}`;
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

/** A webhook receiver on loopback that fails the first `failFirst` deliveries. */
async function receiver(failFirst = 0) {
  const got = [];
  let n = 0;
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, at: Date.now() });
    res.writeHead(++n <= failFirst ? 503 : 200).end();
  });
  await listenOn(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${server.address().port}/hook`, got, close: () => new Promise((r) => server.close(r)) };
}

function client(base) {
  const call = async (method, path, { key = KEY, body, raw, auth, idempotencyKey, headers: extra = {} } = {}) => {
    const headers = { ...extra, ...(idempotencyKey !== undefined && { 'idempotency-key': idempotencyKey }) };
    if (auth !== undefined) headers.authorization = auth;
    else if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    create: (body = { clientReferenceId: 'user-1', flow: FLOW }) => call('POST', '/v1/sessions', { body }),
    as: (secret) => ({
      get: () => call('GET', '/v1/client/session', { key: secret }),
      post: (p, body) => call('POST', `/v1/client/session/${p}`, { key: secret, body }),
    }),
  };
}

describe('API simulator: sessions', () => {
  let sim, api, base;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY, 'sk_prod_unit_xyz'], hostedUrl: 'http://127.0.0.1:5999/' });
    base = await sim.listen(0);
    api = client(base);
  });
  after(() => sim.close());

  it("the client session carries the merchant's allowed return origins (none unless set), as they are now", async () => {
    const { clientSecret } = (await api.create()).json;
    assert.deepEqual((await api.as(clientSecret.secret).get()).json.session.allowedReturnOrigins, []);
    sim.config.allowedReturnOrigins = ['http://localhost:4012'];
    try {
      assert.deepEqual((await api.as(clientSecret.secret).get()).json.session.allowedReturnOrigins, ['http://localhost:4012']);
    } finally {
      sim.config.allowedReturnOrigins = [];
    }
  });

  it("clientSecret.url names the session's merchant by a public id (never its key), kept by a refresh", async () => {
    const a = (await api.create()).json;
    const b = (await api.create()).json;
    const prod = (await api.call('POST', '/v1/sessions', { key: 'sk_prod_unit_xyz', body: { clientReferenceId: 'u', flow: FLOW } })).json;
    const merchant = (c) => new URL(c.clientSecret.url).searchParams.get('merchant');
    assert.match(merchant(a), /^mer_[0-9a-f]{20}$/);
    assert.equal(merchant(b), merchant(a));
    assert.notEqual(merchant(prod), merchant(a));
    assert.ok(!a.clientSecret.url.includes(KEY.slice(3)));
    const fresh = (await api.call('GET', `/v1/sessions/${a.session.id}/refresh`)).json;
    assert.equal(merchant(fresh), merchant(a));
  });

  it("the allowed embed origins: per API key (none unless set), in the client session, and public by the merchant's id", async () => {
    const { clientSecret } = (await api.create()).json;
    const merchant = new URL(clientSecret.url).searchParams.get('merchant');
    const lookup = async (id) => {
      const r = await api.call('GET', `/v1/client/embed?merchant=${encodeURIComponent(id)}`, { key: null });
      assert.equal(r.status, 200);
      return r.json.allowedEmbedOrigins;
    };
    assert.deepEqual((await api.as(clientSecret.secret).get()).json.session.allowedEmbedOrigins, []);
    assert.deepEqual(await lookup(merchant), []);
    sim.config.allowedEmbedOrigins[KEY] = ['http://localhost:4012'];
    try {
      assert.deepEqual((await api.as(clientSecret.secret).get()).json.session.allowedEmbedOrigins, ['http://localhost:4012']);
      assert.deepEqual(await lookup(merchant), ['http://localhost:4012']);
      assert.deepEqual(sim.embedOrigins(merchant), ['http://localhost:4012']);
      // another merchant's setting is its own; an unknown or missing id allows nobody
      assert.deepEqual(
        await lookup(
          new URL(
            (await api.call('POST', '/v1/sessions', { key: 'sk_prod_unit_xyz', body: { clientReferenceId: 'u', flow: FLOW } })).json.clientSecret.url,
          ).searchParams.get('merchant'),
        ),
        [],
      );
      assert.deepEqual(await lookup('mer_0000'), []);
      assert.deepEqual((await api.call('GET', '/v1/client/embed', { key: null })).json.allowedEmbedOrigins, []);
    } finally {
      delete sim.config.allowedEmbedOrigins[KEY];
    }
  });

  it('POST /sessions (and /v1/sessions) creates a session with defaults and a client secret', async () => {
    for (const path of ['/sessions', '/v1/sessions']) {
      const r = await api.call('POST', path, { body: { clientReferenceId: 'user-123', metadata: { source: 'web-app' }, flow: FLOW } });
      assert.equal(r.status, 201);
      const { session, clientSecret } = r.json;
      assert.match(session.id, /^fs_session_/);
      assert.equal(session.status, 'requiresInput');
      assert.equal(session.settings.defaultLang, 'en');
      assert.equal(session.settings.zone, 'es');
      assert.deepEqual(session.settings.metadata, { source: 'web-app' });
      assert.equal(typeof session.createdAt, 'number');
      assert.match(clientSecret.secret, /^fs_client_secret_/);
      assert.equal(clientSecret.expireAt - clientSecret.createdAt, 3600);
      const merchant = new URL(clientSecret.url).searchParams.get('merchant');
      assert.equal(clientSecret.url, `http://127.0.0.1:5999/?merchant=${merchant}&client_secret=${clientSecret.secret}`);
    }
  });

  it('accepts every settings field of the seeds', async () => {
    const body = {
      clientReferenceId: 'u',
      metadata: { a: 'b', n: 1, ok: true },
      initialPhrase: 'Hi',
      finalPhrase: 'Bye',
      providedData: { firstName: 'Ada' },
      avatarId: 'ava_james',
      langs: ['en', 'es', 'fr'],
      defaultLang: 'es',
      zone: 'eu',
      flow: FLOW,
      customization: { branding: { primaryColor: '#007bff', logoUrl: 'https://example.com/logo.png' } },
    };
    const r = await api.create(body);
    assert.equal(r.status, 201);
    const { clientReferenceId, ...rest } = body;
    assert.deepEqual({ ...r.json.session.settings, clientReferenceId }, { ...rest, clientReferenceId });
  });

  it('sk_prod_ keys work too', async () => {
    assert.equal((await api.call('GET', '/avatars', { key: 'sk_prod_unit_xyz' })).status, 200);
  });

  it('Idempotency-Key: the same key and body answer the first session again; another body with it is refused', async () => {
    const body = { clientReferenceId: 'user-idem', flow: FLOW };
    const before = sim.sessions.size;
    const a = await api.call('POST', '/sessions', { body, idempotencyKey: 'idem-1' });
    const b = await api.call('POST', '/sessions', { body, idempotencyKey: 'idem-1' });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.deepEqual(b.json, a.json);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.equal(sim.sessions.size, before + 1);
    const c = await api.call('POST', '/sessions', { body: { ...body, clientReferenceId: 'user-other' }, idempotencyKey: 'idem-1' });
    assert.equal(c.status, 400);
    assert.equal(c.json.error.type, 'idempotency_error');
    // keys are per API key, and a new key is a new session
    assert.equal(
      (await api.call('POST', '/sessions', { body, idempotencyKey: 'idem-1', key: 'sk_prod_unit_xyz' })).json.session.id === a.json.session.id,
      false,
    );
    assert.notEqual((await api.call('POST', '/sessions', { body, idempotencyKey: 'idem-2' })).json.session.id, a.json.session.id);
  });

  it('GET /sessions/:id retrieves it with its current client secret', async () => {
    const c = (await api.create()).json;
    const r = await api.call('GET', `/sessions/${c.session.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.session, c.session);
    assert.deepEqual(r.json.clientSecret, c.clientSecret);
  });

  it('GET /sessions/:id/refresh issues a new secret and the old one stops working at once', async () => {
    const c = (await api.create()).json;
    const old = c.clientSecret.secret;
    assert.equal((await api.as(old).get()).status, 200);
    const r = await api.call('GET', `/v1/sessions/${c.session.id}/refresh`);
    assert.equal(r.status, 200);
    const fresh = r.json.clientSecret;
    assert.notEqual(fresh.secret, old);
    assert.ok(fresh.expireAt > fresh.createdAt);
    assert.ok(fresh.url.endsWith(fresh.secret));
    const denied = await api.as(old).get();
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.json, {
      error: { type: 'authentication_error', message: 'Client secret was replaced by a refresh', code: 'client_secret_replaced' },
    });
    assert.equal((await api.as(fresh.secret).get()).status, 200);
    assert.equal((await api.call('GET', `/sessions/${c.session.id}`)).json.clientSecret.secret, fresh.secret);
  });

  it('GET /avatars and GET /langs', async () => {
    const a = await api.call('GET', '/avatars');
    assert.equal(a.status, 200);
    assert.ok(a.json.avatars.some((x) => x.id === 'ava_sofia'));
    const l = await api.call('GET', '/v1/langs');
    assert.ok(l.json.langs.some((x) => x.code === 'en'));
  });

  it('authentication_error 401: no key, malformed header, unknown key, a client secret used as a key', async () => {
    const c = (await api.create()).json;
    for (const auth of ['', 'Basic abc', 'Bearer', 'Bearer sk_test_unknown', 'Bearer pk_test_abc', `Bearer ${c.clientSecret.secret}`]) {
      const r = await api.call('GET', '/avatars', { auth });
      assert.equal(r.status, 401, auth);
      assert.equal(r.json.error.type, 'authentication_error');
      assert.equal(typeof r.json.error.message, 'string');
      assert.deepEqual(Object.keys(r.json), ['error']);
      assert.deepEqual(Object.keys(r.json.error), ['type', 'message']);
    }
  });

  it('not_found_error 404: unknown session, unknown route', async () => {
    for (const path of ['/sessions/fs_session_nope', '/sessions/fs_session_nope/refresh', '/nothing-here']) {
      const r = await api.call('GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.error.type, 'not_found_error');
    }
    assert.equal((await api.call('GET', '/sessions/fs_session_nope')).json.error.message, 'Session not found');
  });

  const invalid = [
    ['not JSON', { raw: '{nope' }, /not valid JSON/],
    ['an array body', { body: [] }, /JSON object/],
    ['unknown field', { body: { clientReferenceId: 'u', flow: FLOW, colour: 'red' } }, /^colour is not a session setting/],
    ['missing clientReferenceId', { body: { flow: FLOW } }, /^clientReferenceId/],
    ['neither flow nor modules', { body: { clientReferenceId: 'u' } }, /flow .* or modules is required/],
    [
      'flow and modules together',
      { body: { clientReferenceId: 'u', flow: FLOW, modules: [{ type: 'identityVerification' }] } },
      /mutually exclusive/,
    ],
    ['unknown module type', { body: { clientReferenceId: 'u', modules: [{ type: 'palmReading' }] } }, /^modules\[0\]\.type/],
    ['email module without email', { body: { clientReferenceId: 'u', modules: [{ type: 'emailVerification' }] } }, /^modules\[0\]\.email/],
    ['bad zone', { body: { clientReferenceId: 'u', flow: FLOW, zone: 'mars' } }, /^zone/],
    ['unknown lang', { body: { clientReferenceId: 'u', flow: FLOW, langs: ['en', 'xx'] } }, /^langs\[1\]/],
    [
      'defaultLang outside langs',
      { body: { clientReferenceId: 'u', flow: FLOW, langs: ['en'], defaultLang: 'es' } },
      /defaultLang must be one of langs/,
    ],
    ['unknown avatar', { body: { clientReferenceId: 'u', flow: FLOW, avatarId: 'ava_nobody' } }, /^avatarId/],
    ['metadata not an object', { body: { clientReferenceId: 'u', flow: FLOW, metadata: 'x' } }, /^metadata/],
    ['providedData with a number', { body: { clientReferenceId: 'u', flow: FLOW, providedData: { age: 3 } } }, /^providedData\.age/],
    ['bad colour', { body: { clientReferenceId: 'u', flow: FLOW, customization: { branding: { primaryColor: 'blue' } } } }, /primaryColor/],
    ['http logo', { body: { clientReferenceId: 'u', flow: FLOW, customization: { branding: { logoUrl: 'http://x.test/l.png' } } } }, /logoUrl/],
  ];
  for (const [name, req, message] of invalid) {
    it(`validation_error 400: ${name}`, async () => {
      const r = await api.call('POST', '/sessions', req);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.type, 'validation_error');
      assert.match(r.json.error.message, message);
    });
  }

  const start = { id: 'start', type: 'start', outcome: 'end' };
  const end = { id: 'end', type: 'end' };
  const convo = (id, target) => ({ id, type: 'conversation', prompt: 'Q?', outcomes: [{ id: 'o', condition: 'c', targetNodeId: target }] });
  const flows = [
    ['empty flow', [], /non-empty array/],
    ['no start', [convo('a', 'end'), end], /exactly one start node \(found 0\)/],
    ['two starts', [start, { ...start, id: 's2' }, end], /exactly one start node \(found 2\)/],
    ['no end', [{ ...start, outcome: 'a' }, convo('a', 'a')], /at least one end node/],
    ['start outcome to nowhere', [{ ...start, outcome: 'ghost' }, end], /flow\[0\]\.outcome points at "ghost"/],
    ['outcome target to nowhere', [{ ...start, outcome: 'a' }, convo('a', 'ghost'), end], /flow\[1\]\.outcomes\[0\]\.targetNodeId points at "ghost"/],
    ['unknown node type', [start, { id: 'x', type: 'teleport' }, end], /flow\[1\]\.type must be one of start, conversation, end/],
    ['duplicate node id', [start, end, { ...end }], /flow\[2\]\.id "end" is used by another node/],
    [
      'conversation without prompt',
      [{ ...start, outcome: 'a' }, { id: 'a', type: 'conversation', outcomes: [{ id: 'o', condition: 'c', targetNodeId: 'end' }] }, end],
      /flow\[1\]\.prompt/,
    ],
    [
      'conversation without outcomes',
      [{ ...start, outcome: 'a' }, { id: 'a', type: 'conversation', prompt: 'Q', outcomes: [] }, end],
      /flow\[1\]\.outcomes/,
    ],
    ['start without outcome', [{ id: 'start', type: 'start' }, end], /flow\[0\]\.outcome/],
    ['node not an object', [start, 'end'], /flow\[1\] must be an object/],
  ];
  for (const [name, flow, message] of flows) {
    it(`flow validation: ${name}`, async () => {
      const r = await api.create({ clientReferenceId: 'u', flow });
      assert.equal(r.status, 400);
      assert.equal(r.json.error.type, 'validation_error');
      assert.match(r.json.error.message, message);
    });
  }

  it('a valid branching flow with several ends is accepted', async () => {
    const r = await api.create({
      clientReferenceId: 'u',
      flow: [
        { ...start, outcome: 'a' },
        {
          id: 'a',
          type: 'conversation',
          prompt: 'Q',
          outcomes: [
            { id: 'x', condition: 'x', targetNodeId: 'e1' },
            { id: 'y', condition: 'y', targetNodeId: 'b' },
          ],
        },
        convo('b', 'e2'),
        { id: 'e1', type: 'end' },
        { id: 'e2', type: 'end' },
      ],
    });
    assert.equal(r.status, 201);
  });
});

describe('API simulator: the client API walks a session', () => {
  let sim, api, hook;
  before(async () => {
    hook = await receiver();
    sim = createSimulator({ apiKeys: [KEY], webhookUrl: hook.url, webhookSecret: UNIT_SECRET, webhookRetryMs: 20 });
    api = client(await sim.listen(0));
  });
  after(async () => {
    await sim.close();
    await hook.close();
  });

  it('requiresInput -> processing -> complete with a full report, and signed webhooks', async () => {
    const c = (await api.create({ clientReferenceId: 'u', flow: FLOW, providedData: { firstName: 'Ada' } })).json;
    const s = api.as(c.clientSecret.secret);
    const view = (await s.get()).json.session;
    assert.equal(view.status, 'requiresInput');
    assert.equal(view.node.type, 'start');
    const started = await s.post('start', { userAgent: 'UA', platform: 'Linux', lang: 'en' });
    assert.equal(started.json.node.id, 'greeting');
    let session = (await api.call('GET', `/sessions/${c.session.id}`)).json.session;
    assert.equal(session.status, 'processing');
    assert.equal(typeof session.startedAt, 'number');
    assert.equal((await s.post('answer', { nodeId: 'end', text: 'x' })).status, 400);
    assert.equal((await s.post('answer', { nodeId: 'greeting', outcomeId: 'nope' })).status, 400);
    assert.equal((await s.post('finish', { livenessDetected: true })).status, 400);
    const answered = await s.post('answer', { nodeId: 'greeting', text: 'Ada Lovelace' });
    assert.equal(answered.json.node.type, 'end');
    assert.equal((await s.post('finish', { livenessDetected: true })).status, 200);
    session = (await api.call('GET', `/sessions/${c.session.id}`)).json.session;
    assert.equal(session.status, 'complete');
    assert.ok(session.finishedAt >= session.startedAt);
    const report = session.report;
    for (const k of [
      'transcript',
      'aiAnalysis',
      'location',
      'device',
      'livenessDetected',
      'lang',
      'extractedData',
      'screenshots',
      'videos',
      'isVerified',
    ])
      assert.ok(k in report, k);
    for (const k of ['ageMin', 'ageMax', 'sex', 'realPersonOrVirtual', 'overallSummary', 'analysis']) assert.ok(k in report.aiAnalysis, k);
    assert.deepEqual(Object.keys(report.videos), ['avatarVideoUrl', 'userVideoUrl']);
    assert.deepEqual(report.transcript.map((t) => [t.text, t.isAvatar]).slice(1), [
      ["Hello! What's your name?", true],
      ['Ada Lovelace', false],
      ['Thank you, you are all done.', true],
    ]);
    assert.equal(report.extractedData.firstName, 'Ada');
    assert.equal(report.isVerified, true);
    assert.deepEqual(report.device, { userAgent: 'UA', platform: 'Linux' });
    // a finished session takes nothing more
    assert.equal((await s.post('cancel', {})).status, 400);

    for (let i = 0; i < 100 && hook.got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    const bodies = hook.got.map((g) => JSON.parse(g.body));
    assert.deepEqual(
      bodies.map((b) => b.type),
      ['session.started', 'session.completed'],
    );
    for (const g of hook.got) {
      // Standard Webhooks, checked by its reference package: id, timestamp, v1 signature over "id.timestamp.body"
      const b = JSON.parse(g.body);
      assert.deepEqual(new Webhook(UNIT_SECRET).verify(g.body, g.headers), b);
      assert.equal(g.headers['webhook-id'], b.id);
      assert.ok(Math.abs(Number(g.headers['webhook-timestamp']) - Date.now() / 1000) < 5);
      assert.throws(() => new Webhook(UNIT_SECRET).verify(`${g.body} `, g.headers), /No matching signature/);
      assert.match(b.id, /^evt_/);
      assert.equal(typeof b.createdAt, 'number');
      assert.equal(b.data.session.id, c.session.id);
    }
    assert.equal(bodies[1].data.session.report.isVerified, true);
  });

  it('cancel moves the session to canceled and sends session.canceled', async () => {
    const before = hook.got.length;
    const c = (await api.create()).json;
    const s = api.as(c.clientSecret.secret);
    assert.equal((await s.post('cancel', { reason: 'user_canceled' })).json.session.status, 'canceled');
    for (let i = 0; i < 100 && hook.got.length < before + 1; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(JSON.parse(hook.got.at(-1).body).type, 'session.canceled');
    assert.equal((await api.call('GET', `/sessions/${c.session.id}/refresh`)).status, 400);
  });

  it('legacy modules become a linear flow; the email code must match', async () => {
    const c = (
      await api.create({
        clientReferenceId: 'u',
        modules: [{ type: 'identityVerification' }, { type: 'documentAuthentication' }, { type: 'emailVerification', email: 'a@b.co' }],
      })
    ).json;
    const s = api.as(c.clientSecret.secret);
    let node = (await s.post('start', {})).json.node;
    assert.match(node.prompt, /full name/);
    node = (await s.post('answer', { nodeId: node.id, text: 'Ada' })).json.node;
    assert.match(node.prompt, /document/);
    node = (await s.post('answer', { nodeId: node.id, outcomeId: 'passport' })).json.node;
    assert.equal(node.input, 'code');
    const code = node.hint.match(/\d{6}/)[0];
    const wrong = (await s.post('answer', { nodeId: node.id, text: code === '000000' ? '111111' : '000000' })).json;
    assert.match(wrong.retry, /not right/);
    assert.equal(wrong.node.id, node.id);
    node = (await s.post('answer', { nodeId: node.id, text: code })).json.node;
    assert.equal(node.type, 'end');
  });

  it('the client API answers CORS only for the hosted page origin', async () => {
    const c = (await api.create()).json;
    const allowed = new URL(sim.config.hostedUrl).origin;
    const base = `http://127.0.0.1:${sim.config.port}`;
    const pre = await fetch(`${base}/v1/client/session`, { method: 'OPTIONS', headers: { origin: allowed, 'access-control-request-method': 'GET' } });
    assert.equal(pre.headers.get('access-control-allow-origin'), allowed);
    const evil = await fetch(`${base}/v1/client/session`, {
      headers: { origin: 'http://evil.test', authorization: `Bearer ${c.clientSecret.secret}` },
    });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
    const merchant = await fetch(`${base}/v1/sessions/${c.session.id}`, { headers: { origin: allowed, authorization: `Bearer ${KEY}` } });
    assert.equal(merchant.headers.get('access-control-allow-origin'), null);
  });
});

describe('API simulator: who can reach it', () => {
  let sim, api, port;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY] });
    api = client(await sim.listen(0));
    port = sim.config.port;
  });
  after(() => sim.close());

  /** node:http, which (unlike fetch) sends the Host header it is given */
  const request = (path, { method = 'GET', headers = {}, body } = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { authorization: `Bearer ${KEY}`, ...headers } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', reject).end(body);
    });

  it('refuses a Host that is not its own loopback address (a DNS-rebound page holding the published key), before anything else', async () => {
    const sessions = sim.sessions.size;
    for (const host of [`evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.evil.example:${port}`]) {
      for (const [method, path, body] of [
        ['GET', '/v1/avatars'],
        ['POST', '/v1/sessions', JSON.stringify({ clientReferenceId: 'x', flow: FLOW })],
        ['OPTIONS', '/v1/client/session'],
      ]) {
        const res = await request(path, { method, headers: { host, 'content-type': 'application/json' }, body });
        assert.equal(res.status, 421, `${host} ${method} ${path}`);
        assert.equal(res.json.error.code, 'host_not_allowed');
        assert.match(res.json.error.message, new RegExp(`only http://127\\.0\\.0\\.1:${port}`));
      }
    }
    assert.equal(sim.sessions.size, sessions, 'no session was created');
    // its own address, by any loopback name
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`])
      assert.equal((await request('/v1/avatars', { headers: { host } })).status, 200, host);
  });

  it('a declared body over 256 KiB is refused before it is read', async () => {
    const res = await request('/v1/sessions', {
      method: 'POST',
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'content-length': String(64 * 2 ** 20) },
      body: undefined,
    }).catch((e) => e);
    assert.equal(res.status, 413);
    assert.equal((await api.create()).status, 201);
  });
});

describe("API simulator: a secret handed to the hosted page must be its session's", () => {
  let sim, api;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY] });
    api = client(await sim.listen(0));
  });
  after(() => sim.close());

  it("the hosted page's check of a new secret (FaceSign-Session: its session) refuses another session's valid secret with 401", async () => {
    const mine = (await api.create()).json;
    const theirs = (await api.create()).json;
    const swap = (secret, session) => api.call('GET', '/v1/client/session', { key: secret, headers: { 'facesign-session': session } });
    // another session's secret, valid in itself: refused as a secret the page cannot use (the page says so)
    const wrong = await swap(theirs.clientSecret.secret, mine.session.id);
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json.error, {
      type: 'authentication_error',
      code: 'client_secret_wrong_session',
      message: 'Client secret belongs to another session than the one this page runs',
    });
    // every client call the page makes is held to its session the same way
    const start = await api.call('POST', '/v1/client/session/start', {
      key: theirs.clientSecret.secret,
      body: {},
      headers: { 'facesign-session': mine.session.id },
    });
    assert.equal(start.status, 401);
    assert.equal(sim.sessions.get(theirs.session.id).session.status, 'requiresInput');
    // its own session's new secret is taken
    const fresh = (await api.call('GET', `/v1/sessions/${mine.session.id}/refresh`)).json.clientSecret;
    assert.equal((await swap(fresh.secret, mine.session.id)).json.session.id, mine.session.id);
    // the hosted page may send the header (CORS allows it)
    const pre = await fetch(`http://127.0.0.1:${sim.config.port}/v1/client/session`, {
      method: 'OPTIONS',
      headers: {
        origin: new URL(sim.config.hostedUrl).origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, facesign-session',
      },
    });
    assert.match(pre.headers.get('access-control-allow-headers'), /facesign-session/);
  });
});

describe('API simulator: secret expiry', () => {
  let sim, api;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY], secretTtl: 1 });
    api = client(await sim.listen(0));
  });
  after(() => sim.close());

  it('an expired secret is rejected; a refreshed one works', async () => {
    const c = (await api.create()).json;
    assert.equal(c.clientSecret.expireAt - c.clientSecret.createdAt, 1);
    await new Promise((r) => setTimeout(r, 2100));
    const r = await api.as(c.clientSecret.secret).get();
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { error: { type: 'authentication_error', message: 'Client secret expired', code: 'client_secret_expired' } });
    // a secret that never existed is told apart: it cannot be renewed
    const never = await api.as('fs_client_secret_never_issued').get();
    assert.deepEqual(never.json, { error: { type: 'authentication_error', message: 'Invalid client secret', code: 'client_secret_invalid' } });
    const fresh = (await api.call('GET', `/sessions/${c.session.id}/refresh`)).json.clientSecret;
    assert.equal((await api.as(fresh.secret).get()).status, 200);
  });
});

describe('API simulator: rate limit', () => {
  let sim, api;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY, 'sk_test_other_1'], rateLimit: 3, rateWindow: 60 });
    api = client(await sim.listen(0));
  });
  after(() => sim.close());

  it('rate_limit_error 429 with Retry-After past the per-key limit; other keys unaffected', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await api.call('GET', '/avatars')).status, 200);
    const r = await api.call('GET', '/avatars');
    assert.equal(r.status, 429);
    assert.equal(r.json.error.type, 'rate_limit_error');
    assert.match(r.json.error.message, /Rate limit exceeded/);
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, String(retry));
    assert.equal((await api.call('GET', '/avatars', { key: 'sk_test_other_1' })).status, 200);
  });
});

describe('API simulator: webhook retries', () => {
  let sim, api, hook;
  beforeEach(async () => {
    await sim?.close();
    await hook?.close();
  });
  after(async () => {
    await sim?.close();
    await hook?.close();
  });

  it('retries with growing delays until a 2xx', async () => {
    hook = await receiver(2);
    sim = createSimulator({ apiKeys: [KEY], webhookUrl: hook.url, webhookRetryMs: 50 });
    api = client(await sim.listen(0));
    const c = (await api.create()).json;
    await api.as(c.clientSecret.secret).post('start', {});
    for (let i = 0; i < 200 && sim.deliveries.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(
      sim.deliveries.map((d) => [d.attempt, d.status]),
      [
        [1, 503],
        [2, 503],
        [3, 200],
      ],
    );
    assert.equal(new Set(hook.got.map((g) => g.body)).size, 1, 'every retry carries the same event');
    const gaps = [hook.got[1].at - hook.got[0].at, hook.got[2].at - hook.got[1].at];
    assert.ok(gaps[0] >= 45 && gaps[1] >= 95, `backoff doubles: ${gaps}`);
  });

  it('gives up after the configured attempts; an unreachable URL counts as a failure', async () => {
    hook = await receiver(0);
    const dead = hook.url;
    await hook.close();
    hook = undefined;
    sim = createSimulator({ apiKeys: [KEY], webhookUrl: dead, webhookRetryMs: 5, webhookAttempts: 3 });
    api = client(await sim.listen(0));
    const c = (await api.create()).json;
    await api.as(c.clientSecret.secret).post('start', {});
    for (let i = 0; i < 200 && sim.deliveries.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      sim.deliveries.map((d) => [d.attempt, d.status]),
      [
        [1, 0],
        [2, 0],
        [3, 0],
      ],
    );
  });
});

describe('API simulator: continue on the phone', () => {
  let sim, api;
  before(async () => {
    sim = createSimulator({ apiKeys: [KEY], hostedUrl: 'http://127.0.0.1:5999/' });
    api = client(await sim.listen(0));
  });
  after(() => sim.close());

  it("a phone whose page went away keeps its secret when the computer's relay starts again (a reload): only a new code on request replaces it", async () => {
    const { clientSecret } = (await api.create()).json;
    const computer = clientSecret.secret;
    const mint = (body) => api.call('POST', '/v1/client/handoff', { key: computer, body });
    const token = new URL((await mint()).json.handoff.url).hash.replace('#fs_handoff=', '');
    const opened = await api.call('POST', '/v1/client/handoff/open', { key: null, body: { token } });
    assert.equal(opened.status, 200);
    const phone = opened.json.secret;
    assert.equal((await api.call('POST', '/v1/client/handoff/leave', { key: null, body: { secret: phone } })).json.handoff.state, 'left');
    // the computer reloaded: its new relay asks as it starts, and learns where the phone is
    const again = await mint();
    assert.equal(again.status, 200);
    assert.equal(again.json.handoff.state, 'left');
    assert.equal(again.json.handoff.url, undefined);
    // the phone's tab back (reopened, or its reload done): it goes on
    assert.equal((await api.as(phone).get()).status, 200);
    assert.equal((await mint()).json.handoff.state, 'opened');
    assert.equal((await api.call('POST', '/v1/client/handoff/leave', { key: null, body: { secret: phone } })).json.handoff.state, 'left');
    // "Show a new code": a fresh link, and the phone that left is out
    const renewed = await mint({ renew: true });
    assert.equal(renewed.json.handoff.state, 'waiting');
    assert.ok(renewed.json.handoff.url);
    assert.equal((await api.as(phone).get()).status, 401);
  });

  it('the computer taking the flow back while its code waits (its page reloaded, Try again): that code dies, so no phone takes the session from under it', async () => {
    const { clientSecret } = (await api.create()).json;
    const computer = clientSecret.secret;
    const minted = (await api.call('POST', '/v1/client/handoff', { key: computer })).json.handoff;
    const token = new URL(minted.url).hash.replace('#fs_handoff=', '');
    // the computer's own page runs the flow
    assert.equal((await api.as(computer).post('start', {})).status, 200);
    const late = await api.call('POST', '/v1/client/handoff/open', { key: null, body: { token } });
    assert.equal(late.status, 410);
    assert.equal(late.json.error.code, 'handoff_link_expired');
    assert.equal((await api.call('GET', '/v1/client/handoff?since=-1', { key: computer })).json.handoff.state, 'expired');
    // and goes on there
    assert.equal((await api.as(computer).post('start', {})).status, 200);
  });
});
