// The FaceSign API simulator: the REST API from the seeds (sessions, refresh, avatars, langs, webhooks) plus the
// client API the hosted verify page uses with a client secret. In memory, node:http only, loopback only.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import { AVATARS, LANGS, ValidationError, flowOf, validateSettings } from './settings.mjs';
import { embedOriginsOf, merchantId } from './merchants.mjs';
import { ApiError } from './api-error.mjs';
import { FORCED_ERROR, forceOutcome, testKeyOnly } from './test-helpers.mjs';
import { HandoffError, createHandoffs } from './handoff.mjs';

export const API_VERSION = '2024-12-18';
const MAX_BODY = 256 * 1024;
const now = () => Math.floor(Date.now() / 1000);
const rid = (prefix) => `${prefix}${randomBytes(12).toString('hex')}`;
const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/**
 * @param {object} o
 * @param {string[]} [o.apiKeys] accepted secret keys (sk_test_… / sk_prod_…)
 * @param {number} [o.secretTtl] client secret lifetime, seconds (the seeds: 1 hour)
 * @param {number} [o.rateLimit] requests per key per rateWindow
 * @param {number} [o.rateWindow] seconds
 * @param {string} [o.hostedUrl] the hosted verify page (clientSecret.url)
 * @param {string[]} [o.hostedOrigins] origins allowed to call the client API (CORS)
 * @param {string | string[]} [o.webhookUrl] where webhooks are posted (each event to every one); none when empty
 * @param {string} [o.webhookSecret] whsec_<base64 key>: deliveries are signed the Standard Webhooks way
 * @param {number} [o.webhookAttempts] deliveries tried before giving up
 * @param {number} [o.webhookRetryMs] first retry delay; doubles each time
 * @param {number} [o.handoffTtl] seconds a "continue on your phone" link lives (default 600)
 * @param {number} [o.handoffPollMs] longest a handoff status request is held (default 20 s)
 * @param {number} [o.handoffSilenceMs] a phone not heard from this long (no request, none held) has left (default 30 s)
 * @param {(line: string) => void} [o.log]
 */
export function createSimulator(o = {}) {
  const cfg = {
    apiKeys: ['sk_test_sandbox_0123456789abcdef'],
    secretTtl: 3600,
    rateLimit: 120,
    rateWindow: 60,
    hostedUrl: 'http://127.0.0.1:4011/',
    hostedOrigins: undefined,
    // the merchant's setting: the origins the hosted page may send the user back to after a redirect (the
    // sandbox sets the demo app's); any other return_url gets an error page, never a navigation
    allowedReturnOrigins: [],
    // the merchant's setting, per API key ({ [key]: origins }): who may embed the hosted page of its sessions (a
    // frame's parent, a popup's opener; the sandbox sets the demo app's); a key without one: nobody (merchants.mjs)
    allowedEmbedOrigins: {},
    webhookUrl: '',
    webhookSecret: 'whsec_ZmFjZXNpZ24tc2FuZGJveC13ZWJob29rcyE=',
    webhookAttempts: 6,
    webhookRetryMs: 1000,
    log: () => {},
    ...o,
  };
  const webhookKey = Buffer.from(String(cfg.webhookSecret).replace(/^whsec_/, ''), 'base64');
  if (!String(cfg.webhookSecret).startsWith('whsec_') || !webhookKey.length)
    throw new Error('webhookSecret must be whsec_ followed by a base64 key (Standard Webhooks)');
  // read per request: the sandbox sets hostedUrl once the hosted page's server has its port
  const hostedOrigins = () => cfg.hostedOrigins ?? [new URL(cfg.hostedUrl).origin];
  /** @type {Map<string, any>} */
  const sessions = new Map();
  /** secret -> { sessionId, expiresMs, replaced } */
  const secrets = new Map();
  const rate = new Map();
  /** `${apiKey} ${Idempotency-Key}` -> { request, response } of a session created with that key */
  const idempotent = new Map();
  /**
   * Test hook: injected failures, matched in order by method and path (string or RegExp on the path without
   * /v1). `{ status, retryAfter }` answers that status instead; `hang: true` never answers; `after: true` handles
   * the request first (its effect happens), then fails as above, like an answer lost on the way; `delay` (ms)
   * answers that much later (alone: as usual, late). `times` (1).
   */
  const faults = [];
  /** every request to the merchant API: { method, path, idempotencyKey } */
  const requests = [];
  const timers = new Set();
  /** every webhook delivery attempt, for tests and the console */
  const deliveries = [];

  const issueSecret = (s) => {
    if (s.secret) secrets.get(s.secret.secret).replaced = true;
    const secret = rid('fs_client_secret_');
    const createdAt = now();
    const url = new URL(cfg.hostedUrl);
    // whose page it is: the hosted page's server and script read the embed setting by it (merchants.mjs)
    url.searchParams.set('merchant', merchantId(s.merchant));
    url.searchParams.set('client_secret', secret);
    s.secret = { secret, createdAt, expireAt: createdAt + cfg.secretTtl, url: url.href };
    // valid for its whole TTL: `expireAt` is in whole seconds (floored), so a short TTL checked against it alone
    // could give a secret made late in a second almost no life (a 1 s TTL flaked in the tests)
    secrets.set(secret, { sessionId: s.session.id, expiresMs: Date.now() + cfg.secretTtl * 1000, replaced: false });
    return { ...s.secret };
  };

  const publicSession = (s) => structuredClone(s.session);
  const handoffs = createHandoffs(cfg, { secrets, timers, merchantOf: (s) => merchantId(s.merchant) });

  // ---- webhooks: signed, retried with exponential backoff until a 2xx or the attempts run out, per target
  function webhook(type, s) {
    const id = rid('evt_');
    const body = JSON.stringify({ id, type, createdAt: now(), data: { session: publicSession(s) } });
    // read per event: the sandbox sets its targets once every server has its port
    for (const url of [cfg.webhookUrl].flat().filter(Boolean)) deliver(url, type, id, body);
  }
  function deliver(url, type, id, body) {
    const attempt = async (n) => {
      let status;
      // Standard Webhooks: the same webhook-id on every attempt (deduplicate on it), a fresh timestamp and signature
      const timestamp = String(now());
      const signature = `v1,${createHmac('sha256', webhookKey).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': timestamp,
            'webhook-signature': signature,
            'user-agent': 'FaceSign-Webhooks/sandbox',
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      deliveries.push({
        url,
        type,
        attempt: n,
        status,
        body,
        headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      });
      cfg.log(`webhook ${type} to ${url} attempt ${n} -> ${status || 'network error'}`);
      if (status >= 200 && status < 300) return;
      if (n >= cfg.webhookAttempts) return cfg.log(`webhook ${type} to ${url} given up after ${n} attempts`);
      const t = setTimeout(() => (timers.delete(t), attempt(n + 1)), cfg.webhookRetryMs * 2 ** (n - 1));
      timers.add(t);
    };
    void attempt(1);
  }

  // ---- authentication
  function merchant(req) {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m) throw new ApiError(401, 'authentication_error', 'Missing API key: send "Authorization: Bearer sk_test_..." or "Bearer sk_prod_..."');
    const key = m[1];
    if (!/^sk_(test|prod)_\w+$/.test(key) || !cfg.apiKeys.includes(key)) throw new ApiError(401, 'authentication_error', 'Invalid API key provided');
    const t = Date.now();
    let w = rate.get(key);
    if (!w || t - w.start >= cfg.rateWindow * 1000) rate.set(key, (w = { start: t, count: 0 }));
    if (++w.count > cfg.rateLimit) {
      const retry = Math.max(1, Math.ceil((w.start + cfg.rateWindow * 1000 - t) / 1000));
      throw new ApiError(429, 'rate_limit_error', `Rate limit exceeded: at most ${cfg.rateLimit} requests per ${cfg.rateWindow}s per key`, {
        'retry-after': String(retry),
      });
    }
    return key;
  }

  /** The session a client secret is for; `path` (the client API's): a session on a phone runs only from there. */
  function client(req, path) {
    return clientOf(bearer(req), req.headers['facesign-session'], path);
  }
  /** The client secret a page's request carries (Authorization: Bearer). */
  const bearer = (req) => /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];

  /** `client`'s checks for a secret and the session the page names, wherever they came (a header, a beacon's body). */
  function clientOf(secret, claimed, path) {
    const rec = secret && secrets.get(secret);
    // the hosted page must tell a secret that can be renewed (expired, replaced) from one that never was valid
    if (!rec) throw new ApiError(401, 'authentication_error', 'Invalid client secret', {}, 'client_secret_invalid');
    // the page names the session it runs (FaceSign-Session): a valid secret of another session, handed over by a
    // host page that mixed up its verifications (or one that wants to swap a victim's run onto its own session),
    // is not taken
    if (claimed !== undefined && claimed !== rec.sessionId)
      throw new ApiError(
        401,
        'authentication_error',
        'Client secret belongs to another session than the one this page runs',
        {},
        'client_secret_wrong_session',
      );
    if (rec.replaced) throw new ApiError(401, 'authentication_error', 'Client secret was replaced by a refresh', {}, 'client_secret_replaced');
    if (rec.expiresMs <= Date.now()) throw new ApiError(401, 'authentication_error', 'Client secret expired', {}, 'client_secret_expired');
    const s = sessions.get(rec.sessionId);
    if (s.forcedError) {
      // once: the page's Try again continues the session, as after a real failure
      delete s.forcedError;
      throw new ApiError(
        500,
        'api_error',
        'The verification service failed (sandbox: a test forced the outcome "error" for this session). Try again.',
        {},
        FORCED_ERROR,
      );
    }
    handoffs.guard(s, rec, path);
    return s;
  }

  const find = (id) => {
    const s = sessions.get(id);
    if (!s) throw new ApiError(404, 'not_found_error', 'Session not found');
    return s;
  };
  const open = (s) => {
    if (s.session.status === 'complete' || s.session.status === 'canceled')
      throw new ApiError(400, 'validation_error', `Session is already ${s.session.status}`);
  };

  // ---- the merchant API (seeds)
  function createSession(body, key) {
    const settings = validateSettings(body);
    const s = {
      merchant: key,
      session: { id: rid('fs_session_'), createdAt: now(), status: 'requiresInput', settings, version: API_VERSION },
      flow: flowOf(settings),
      transcript: [],
      answers: {},
    };
    s.current = s.flow.find((n) => n.type === 'start').id;
    if (settings.modules?.some((m) => m.type === 'emailVerification')) {
      s.emailCode = String(randomInt(100000, 1000000));
      cfg.log(`email code for ${s.session.id}: ${s.emailCode} (sandbox: nothing is sent)`);
    }
    sessions.set(s.session.id, s);
    return { status: 201, body: { session: publicSession(s), clientSecret: issueSecret(s) } };
  }

  // ---- the client API (the hosted page, authenticated with the client secret)
  const nodeView = (s, id) => {
    const n = s.flow.find((x) => x.id === id);
    const { check, ...view } = n;
    return check === 'emailCode' ? { ...view, input: 'code', hint: `sandbox: the code is ${s.emailCode}` } : view;
  };
  const avatarOf = (s) => AVATARS.find((a) => a.id === s.session.settings.avatarId) ?? AVATARS[0];
  const say = (s, text, isAvatar) => s.transcript.push({ id: rid('tr_'), createdAt: now(), text, isAvatar });

  function clientView(s) {
    const st = s.session.settings;
    return {
      session: {
        id: s.session.id,
        status: s.session.status,
        avatar: avatarOf(s),
        initialPhrase: st.initialPhrase ?? `Hi, I'm ${avatarOf(s).name}. I will guide you through a short identity check.`,
        finalPhrase: st.finalPhrase ?? 'Thank you, you are all done.',
        langs: st.langs ?? [st.defaultLang],
        defaultLang: st.defaultLang,
        customization: st.customization ?? {},
        allowedReturnOrigins: [...cfg.allowedReturnOrigins],
        allowedEmbedOrigins: embedOriginsOf(cfg, merchantId(s.merchant)),
        node: nodeView(s, s.current),
        transcript: s.transcript,
        // why a canceled session ended (user_canceled, closed_by_host, expired): the page says so and tells its host
        ...(s.session.status === 'canceled' && { canceledReason: s.cancelReason }),
        // where a handoff is (none, waiting, opened, left, expired): a page on the computer learns the phone has it
        handoff: handoffs.view(s).state,
      },
    };
  }

  // ---- the transitions: the hosted page's requests and the test helpers take the same ones
  function begin(s, body) {
    s.session.status = 'processing';
    s.session.startedAt = now();
    s.device = { userAgent: String(body?.userAgent ?? '').slice(0, 300), platform: String(body?.platform ?? '').slice(0, 100) };
    s.lang = typeof body?.lang === 'string' ? body.lang.slice(0, 20) : s.session.settings.defaultLang;
    say(s, clientView(s).session.initialPhrase, true);
    const startNode = s.flow.find((n) => n.type === 'start');
    s.current = startNode.outcome;
    webhook('session.started', s);
    handoffs.changed(
      s,
      s.flow.find((n) => n.id === s.current),
    );
  }

  function start(s, body) {
    open(s);
    if (s.session.status === 'requiresInput') begin(s, body);
    return { node: nodeView(s, s.current) };
  }

  function answer(s, body) {
    open(s);
    if (s.session.status !== 'processing')
      throw new ApiError(400, 'validation_error', 'Session has not started: POST /client/v1/session/start first');
    const node = s.flow.find((n) => n.id === s.current);
    if (body?.nodeId !== node.id) throw new ApiError(400, 'validation_error', `nodeId must be the current node "${node.id}"`);
    if (node.type !== 'conversation') throw new ApiError(400, 'validation_error', `node "${node.id}" takes no answer`);
    let outcome;
    let said;
    if (body.outcomeId !== undefined) {
      outcome = node.outcomes.find((x) => x.id === body.outcomeId);
      if (!outcome) throw new ApiError(400, 'validation_error', `outcomeId must be one of ${node.outcomes.map((x) => x.id).join(', ')}`);
      said = outcome.condition;
    } else {
      if (typeof body.text !== 'string' || !body.text.trim() || body.text.length > 2000)
        throw new ApiError(400, 'validation_error', 'text must be a non-empty string of at most 2000 characters (or send outcomeId)');
      said = body.text.trim();
      // the sandbox cannot judge a condition: free text follows the first outcome, except the email code, which must match
      outcome = node.outcomes[0];
      if (node.check === 'emailCode' && said !== s.emailCode) {
        say(s, node.prompt, true);
        say(s, said, false);
        return { node: nodeView(s, s.current), retry: 'That code is not right. Please check your email and try again.' };
      }
    }
    say(s, node.prompt, true);
    say(s, said, false);
    s.answers[node.id] = said;
    s.current = outcome.targetNodeId;
    handoffs.changed(
      s,
      s.flow.find((n) => n.id === s.current),
    );
    return { node: nodeView(s, s.current) };
  }

  function finish(s, body) {
    open(s);
    const node = s.flow.find((n) => n.id === s.current);
    if (s.session.status !== 'processing' || node.type !== 'end') throw new ApiError(400, 'validation_error', 'The flow has not reached an end node');
    complete(s, body?.livenessDetected === true);
    return { session: { id: s.session.id, status: s.session.status } };
  }

  /** `forced`: said in the report's summary, so that a forced report never passes for a real run */
  function complete(s, liveness, forced) {
    say(s, clientView(s).session.finalPhrase, true);
    s.session.status = 'complete';
    s.session.finishedAt = now();
    const media = `http://${cfg.host ?? '127.0.0.1'}:${cfg.port ?? 0}/sandbox-media/${s.session.id}`;
    s.session.report = {
      transcript: s.transcript,
      aiAnalysis: {
        ageMin: 25,
        ageMax: 35,
        sex: 'female',
        realPersonOrVirtual: liveness ? 'real' : 'virtual',
        overallSummary: forced
          ? `Sandbox: ${forced}, not decided by a run.`
          : liveness
            ? 'Sandbox: a live camera stream was present for the whole conversation.'
            : 'Sandbox: no live camera stream, liveness could not be established.',
        analysis: [
          {
            title: 'Liveness',
            shortDescription: liveness ? 'Live camera stream' : 'No camera',
            longDescription: 'The sandbox counts a live getUserMedia stream as liveness.',
          },
          { title: 'Conversation', shortDescription: `${Object.keys(s.answers).length} answers`, longDescription: 'Every flow node was answered.' },
        ],
      },
      location: { country: 'US', region: 'Sandbox', city: 'Localhost', ip: '127.0.0.1' },
      device: s.device ?? {},
      livenessDetected: liveness,
      lang: s.lang ?? s.session.settings.defaultLang,
      extractedData: { ...(s.session.settings.providedData ?? {}), ...s.answers },
      screenshots: [`${media}/screenshot-1.png`],
      videos: { avatarVideoUrl: `${media}/avatar.webm`, userVideoUrl: `${media}/user.webm` },
      isVerified: liveness,
    };
    webhook('session.completed', s);
    handoffs.changed(s);
  }

  function cancel(s, body) {
    open(s);
    end(s, typeof body?.reason === 'string' ? body.reason.slice(0, 100) : 'user_canceled');
    return { session: { id: s.session.id, status: s.session.status } };
  }

  function end(s, reason) {
    s.session.status = 'canceled';
    s.session.finishedAt = now();
    s.cancelReason = reason;
    webhook('session.canceled', s);
    handoffs.changed(s);
  }

  // ---- routing
  async function route(req, url, body, signal) {
    const path = url.pathname.replace(/^\/v1(?=\/)/, '');
    const m = req.method;
    let p;
    if (m === 'POST' && path === '/sessions') {
      const key = merchant(req);
      const idem = req.headers['idempotency-key'];
      if (idem === undefined) return createSession(body, key);
      if (!idem || idem.length > 255) throw new ApiError(400, 'validation_error', 'Idempotency-Key must be 1 to 255 characters');
      // the same key and body answer the first response again (no second session); another body is an error
      const seen = idempotent.get(`${key} ${idem}`);
      const request = JSON.stringify(body ?? null);
      if (seen && seen.request !== request)
        throw new ApiError(
          400,
          'idempotency_error',
          'This Idempotency-Key was already used with a different request body: use a new key for a new session',
        );
      if (seen) return { ...seen.response, headers: { 'idempotent-replayed': 'true' } };
      const response = createSession(body, key);
      idempotent.set(`${key} ${idem}`, { request, response: structuredClone(response) });
      return response;
    }
    if (m === 'GET' && (p = /^\/sessions\/([^/]+)$/.exec(path))) {
      merchant(req);
      const s = find(p[1]);
      return { body: { session: publicSession(s), clientSecret: { ...s.secret } } };
    }
    if (m === 'GET' && (p = /^\/sessions\/([^/]+)\/refresh$/.exec(path))) {
      merchant(req);
      const s = find(p[1]);
      open(s);
      return { body: { clientSecret: issueSecret(s) } };
    }
    if (m === 'POST' && (p = /^\/test_helpers\/sessions\/([^/]+)\/outcome$/.exec(path))) {
      const key = merchant(req);
      testKeyOnly(key);
      const s = find(p[1]);
      // another merchant's session is not found, as if it did not exist
      if (s.merchant !== key) throw new ApiError(404, 'not_found_error', 'Session not found');
      forceOutcome(s, body, { start: (x) => begin(x, {}), complete, cancel: end });
      return { body: { session: publicSession(s) } };
    }
    if (m === 'GET' && path === '/avatars') return merchant(req) && { body: { avatars: AVATARS } };
    if (m === 'GET' && path === '/langs') return merchant(req) && { body: { langs: LANGS } };
    // public, no secret: the hosted page asks it before its hello, by the merchant id in its URL
    if (m === 'GET' && path === '/client/embed') return { body: { allowedEmbedOrigins: embedOriginsOf(cfg, url.searchParams.get('merchant')) } };
    if (m === 'GET' && path === '/client/session') return { body: clientView(client(req, path)) };
    if (m === 'POST' && path === '/client/session/start') return { body: start(client(req, path), body) };
    if (m === 'POST' && path === '/client/session/answer') return { body: answer(client(req, path), body) };
    if (m === 'POST' && path === '/client/session/finish') return { body: finish(client(req, path), body) };
    if (m === 'POST' && path === '/client/session/cancel') return { body: cancel(client(req, path), body) };
    // a cancel that must outlive its page (the host closed it: the frame goes at once): a beacon, whose body carries
    // the secret and the session it names (a beacon sets no header of its own, so it needs no CORS preflight)
    if (m === 'POST' && path === '/client/session/cancel-beacon')
      return { body: cancel(clientOf(String(body?.secret ?? ''), body?.session, path), body) };
    // continue on your phone (handoff.mjs): minted and watched with the session's secret, opened with the link alone
    if (m === 'POST' && path === '/client/handoff')
      return { body: { handoff: handoffs.mint(client(req, path), body?.renew === true ? 'renew' : 'start') } };
    if (m === 'GET' && path === '/client/handoff') {
      const s = client(req, path);
      const device = secrets.get(bearer(req)).device;
      return { body: { handoff: await handoffs.watch(s, url.searchParams.get('since'), signal, device) } };
    }
    if (m === 'POST' && path === '/client/handoff/open') return { body: handoffs.open(body?.token, sessions) };
    // a beacon from the phone's closing page: the secret in its body (a beacon sets no Authorization header)
    if (m === 'POST' && path === '/client/handoff/leave') {
      const rec = secrets.get(String(body?.secret ?? ''));
      if (!rec || rec.replaced || rec.device !== 'phone')
        throw new ApiError(401, 'authentication_error', 'Invalid client secret', {}, 'client_secret_invalid');
      return { body: { handoff: handoffs.left(sessions.get(rec.sessionId), rec) } };
    }
    if (m === 'GET' && path.startsWith('/sandbox-media/')) return { raw: PNG_1PX, type: 'image/png' };
    throw new ApiError(404, 'not_found_error', `No route ${m} ${url.pathname}`);
  }

  /**
   * Whether a request was addressed to this server by a loopback name and its port. A web page whose DNS name was
   * rebound to 127.0.0.1 reaches the same socket, but its requests carry its own name: refused, it would otherwise
   * use the sandbox's published key.
   */
  function ownHost(host) {
    const port = server.address()?.port;
    const m = /^(.+):(\d+)$/.exec(String(host ?? '').toLowerCase());
    const own = cfg.host?.includes(':') ? `[${cfg.host}]` : cfg.host;
    return !!m && Number(m[2]) === port && ['127.0.0.1', 'localhost', '[::1]', own].includes(m[1]);
  }

  async function handle(req, res) {
    if (!ownHost(req.headers.host)) {
      const own = `http://${cfg.host?.includes(':') ? `[${cfg.host}]` : (cfg.host ?? '127.0.0.1')}:${server.address()?.port}`;
      const message = `Host ${JSON.stringify(String(req.headers.host ?? '').slice(0, 100))} is not this simulator's address: it answers only ${own} (or localhost / [::1] on that port), so that a web page whose DNS name points at this machine cannot use it`;
      return res
        .writeHead(421, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ error: { type: 'api_error', code: 'host_not_allowed', message } }));
    }
    const url = new URL(req.url, 'http://x');
    const isClient = /^(\/v1)?\/client\//.test(url.pathname);
    const origin = req.headers.origin;
    // the client API is called from the hosted page's origin only; the merchant API is server-to-server (no CORS)
    if (isClient && origin && hostedOrigins().includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      if (isClient && origin && hostedOrigins().includes(origin)) {
        res.setHeader('access-control-allow-methods', 'GET, POST');
        res.setHeader('access-control-allow-headers', 'authorization, content-type, facesign-session');
        res.setHeader('access-control-max-age', '600');
      }
      return res.writeHead(204).end();
    }
    try {
      let body;
      if (req.method === 'POST') {
        const tooLarge = () => new ApiError(413, 'validation_error', 'Request body too large (256 KiB at most)', { connection: 'close' });
        // a declared length is checked before a byte is read
        if (Number(req.headers['content-length']) > MAX_BODY) throw tooLarge();
        const chunks = [];
        let size = 0;
        for await (const c of req) {
          size += c.length;
          if (size > MAX_BODY) throw tooLarge();
          chunks.push(c);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        if (raw) {
          try {
            body = JSON.parse(raw);
          } catch {
            throw new ApiError(400, 'validation_error', 'Request body is not valid JSON');
          }
        }
      }
      const path = url.pathname.replace(/^\/v1(?=\/)/, '');
      if (!isClient) requests.push({ method: req.method, path, idempotencyKey: req.headers['idempotency-key'] });
      const fi = faults.findIndex(
        (f) => (!f.method || f.method === req.method) && (!f.path || (f.path instanceof RegExp ? f.path.test(path) : f.path === path)),
      );
      let fault = fi >= 0 ? faults[fi] : undefined;
      if (fault && --fault.times <= 0) faults.splice(fi, 1);
      if (fault?.delay) {
        await new Promise((r) => setTimeout(r, fault.delay));
        // a delay alone answers as usual, late
        if (fault.status === undefined && !fault.hang) fault = undefined;
      }
      // a held status request ends when its caller goes away
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const out = fault && !fault.after ? undefined : await route(req, url, body, gone.signal);
      if (fault) {
        if (fault.hang) return; // never answers: the caller's timeout must end it
        const headers = { 'content-type': 'application/json', ...(fault.retryAfter !== undefined && { 'retry-after': String(fault.retryAfter) }) };
        const type = fault.status === 429 ? 'rate_limit_error' : 'api_error';
        return res.writeHead(fault.status ?? 500, headers).end(JSON.stringify({ error: { type, message: `injected ${fault.status ?? 500}` } }));
      }
      if (out.raw) return res.writeHead(200, { 'content-type': out.type }).end(out.raw);
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json', ...out.headers }).end(JSON.stringify(out.body));
    } catch (e) {
      const err =
        e instanceof ValidationError
          ? new ApiError(400, 'validation_error', e.message)
          : e instanceof HandoffError
            ? new ApiError(e.status, 'invalid_request_error', e.message, {}, e.code)
            : e instanceof ApiError
              ? e
              : null;
      if (!err) {
        cfg.log(`500 ${req.method} ${url.pathname}: ${e?.stack ?? e}`);
        return res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { type: 'api_error', message: 'Internal error' } }));
      }
      res
        .writeHead(err.status, { 'content-type': 'application/json', ...err.headers })
        .end(JSON.stringify({ error: { type: err.type, message: err.message, ...(err.code && { code: err.code }) } }));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  return {
    server,
    config: cfg,
    sessions,
    deliveries,
    faults,
    requests,
    /** the origins the merchant with this public id allowed to embed its sessions (the hosted page's server asks) */
    embedOrigins: (id) => embedOriginsOf(cfg, id),
    /** test hook: every unopened "continue on your phone" link expires now, as it would after `handoffTtl` */
    expireHandoffLinks: () => handoffs.expireAll(),
    /** test hook: fail the next matching request(s); see `faults` */
    inject(fault) {
      faults.push({ times: 1, ...fault });
    },
    /** starts listening on a loopback address; port 0 picks a free one */
    async listen(port = 0, host = '127.0.0.1') {
      await listenOn(server, port, host);
      cfg.host = host;
      cfg.port = server.address().port;
      return `http://${host}:${cfg.port}`;
    },
    async close() {
      timers.forEach(clearTimeout);
      timers.clear();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r()));
    },
  };
}

/** Listens, turning "port taken" into a message that says what to do. */
export function listenOn(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (e) => {
      server.off('listening', onListening);
      reject(
        e.code === 'EADDRINUSE'
          ? Object.assign(new Error(`port ${port} on ${host} is already in use: stop what uses it or choose another port`), { code: e.code, port })
          : e,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
