// FaceSign identity verification in an Express app: a verification per logged-in user, created on this server with
// the secret API key; the element's refresh endpoint; the signed webhook, applied once per delivery; and the page
// showing the result this server got from FaceSign, never the one the browser reports. `node server.js`.
//
// Two files are stand-ins to replace: login.js (your login) and store.js (your database).
// #region setup
import { fileURLToPath } from 'node:url';
import express from 'express';
import { FaceSign, FaceSignAPIError, FaceSignConnectionError, FaceSignSignatureError, toNodeHandler } from '@facesign/verify/server';
import { logInCookie, logOutCookie, userOf } from './login.js';
import { FINISHED, createMemoryStore } from './store.js';

// the local sandbox's settings (`npm start` in the SDK's repository), used for any that is not set
const SANDBOX = {
  apiKey: 'sk_test_sandbox_0123456789abcdef',
  apiUrl: 'http://127.0.0.1:4010',
  webhookSecret: 'whsec_ZmFjZXNpZ24tZGVtby13ZWJob29rcy1rZXk=',
};
const ownKey = process.env.FACESIGN_API_KEY;
const webhookSecret = process.env.FACESIGN_WEBHOOK_SECRET ?? (ownKey ? undefined : SANDBOX.webhookSecret);
if (!webhookSecret) throw new Error("FACESIGN_WEBHOOK_SECRET is not set: with your own FACESIGN_API_KEY, set your webhook's whsec_… secret too");

const facesign = new FaceSign({
  apiKey: ownKey ?? SANDBOX.apiKey, // sk_test_… or sk_prod_…: on the server only
  // FaceSign's API for your own key; the sandbox's simulator (http://127.0.0.1:4010) for its test key
  baseUrl: process.env.FACESIGN_API_URL ?? (ownKey ? undefined : SANDBOX.apiUrl),
});
const store = createMemoryStore(); // REPLACE: your database (store.js)
const app = express();
// #endregion

/** What the verification asks (see FaceSign's docs for flows); the sandbox runs any flow. */
const FLOW = [
  { id: 'start', type: 'start', outcome: 'greeting' },
  {
    id: 'greeting',
    type: 'conversation',
    prompt: "Say: Hello! What's your name?",
    outcomes: [{ id: 'named', condition: 'user provided name', targetNodeId: 'end' }],
  },
  { id: 'end', type: 'end' },
];

/** The logged-in user, or 401. */
function requireUser(req, res, next) {
  res.locals.user = userOf(req.headers.cookie);
  if (!res.locals.user) return res.status(401).json({ error: { code: 'not_logged_in', message: 'Log in first' } });
  next();
}

/**
 * A JSON body only: another site can make a browser send a form or text/plain POST without asking, but not a JSON
 * one (the cookie is SameSite=Lax as well).
 */
function requireJson(req, res, next) {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
    return res.status(415).json({ error: { code: 'unsupported_media_type', message: 'Send content-type: application/json' } });
  next();
}

/** The part of a client secret the browser gets: never the API key, never the whole session. */
const forBrowser = ({ secret, expireAt, url }) => ({ secret, expireAt, url });

// #region create-session
// the logged-in user's verification: their unfinished one goes on (a reload, a second tab: the person continues
// where they were), otherwise a new one; the browser gets only its client secret. A page that came back may name
// the session its element ran ({ sessionId }, the element's fetchClientSecret): 404 unless it is that unfinished one
app.post('/api/facesign/session', requireUser, requireJson, express.json({ limit: '4kb' }), async (req, res) => {
  const user = res.locals.user;
  const latest = await store.latestVerificationOf(user.id);
  const unfinished = latest && !FINISHED.has(latest.status) ? latest : undefined;
  const claimed = req.body?.sessionId;
  const notYours = { error: { code: 'no_unfinished_verification', message: 'Not your unfinished verification: start a new one' } };
  if (claimed !== undefined && claimed !== unfinished?.sessionId) return res.status(404).json(notYours);
  if (unfinished) {
    try {
      const { clientSecret } = await facesign.sessions.refreshSecret(unfinished.sessionId); // the old secret dies at once
      await store.saveSecret(unfinished.sessionId, clientSecret.secret);
      return res.json({ sessionId: unfinished.sessionId, clientSecret: forBrowser(clientSecret) });
    } catch (e) {
      // it ended on FaceSign's side before its webhook arrived: a new one (or, for a named one, none)
      if (!(e instanceof FaceSignAPIError && e.status < 500)) throw e;
      if (claimed !== undefined) return res.status(404).json(notYours);
    }
  }
  const { session, clientSecret } = await facesign.sessions.create({ clientReferenceId: user.id, flow: FLOW });
  await store.createVerification({
    sessionId: session.id,
    userId: user.id,
    clientSecret: clientSecret.secret,
    status: session.status,
    isVerified: null,
  });
  res.status(201).json({ sessionId: session.id, clientSecret: forBrowser(clientSecret) });
});
// #endregion

// #region refresh
// the element's refresh-url: a new secret for the verification this user holds (the old one stops working)
const refresh = facesign.refreshHandler({
  // your login decides: the verification you stored for this user, returned as stored (false refuses)
  authorize: async (request) => {
    const user = userOf(request.headers.get('cookie'));
    const latest = user && (await store.latestVerificationOf(user.id));
    return latest ? { sessionId: latest.sessionId, clientSecret: latest.clientSecret } : false;
  },
  onRefresh: ({ sessionId, clientSecret }) => store.saveSecret(sessionId, clientSecret.secret),
  onError: (e) => console.error('facesign refresh:', e),
});
app.post('/api/facesign/refresh', toNodeHandler(refresh));
// #endregion

// #region webhook
// FaceSign's signed deliveries: the raw body for this route only (a parsed and re-serialised one cannot match its
// signature), verified before anything is read from it
app.post('/api/webhooks/facesign', express.raw({ type: 'application/json', limit: '1mb' }), async (req, res) => {
  let event;
  try {
    event = await facesign.webhooks.verify(req.body ?? '', req.headers, webhookSecret);
  } catch (e) {
    if (e instanceof FaceSignSignatureError) return res.status(400).json({ error: { code: e.code, message: e.message } });
    throw e;
  }
  // once per webhook id (event.id): FaceSign retries until it gets a 2xx, and a replayed delivery is signed too
  const outcome = await store.applyWebhookOnce(event.id, event.data.session);
  // a session this server never made: 4xx, so it shows in FaceSign's delivery log
  if (outcome === 'unknown_session') return res.status(422).json({ error: { code: 'unknown_session', message: 'No such verification here' } });
  res.json({ received: true });
});
// #endregion

// the page asks this for the result: what FaceSign's signed webhook said, not what the browser saw
app.get('/api/facesign/verification', requireUser, async (req, res) => {
  const latest = await store.latestVerificationOf(res.locals.user.id);
  res.set('cache-control', 'no-store');
  res.json({ verification: latest ? { sessionId: latest.sessionId, status: latest.status, isVerified: latest.isVerified } : null });
});

app.get('/api/me', (req, res) => {
  res.set('cache-control', 'no-store');
  res.json({ user: userOf(req.headers.cookie) ?? null });
});
// the stand-in login: a form POST, then back to the page
app.post('/login', (req, res) => res.set('set-cookie', logInCookie()).redirect(303, '/'));
app.post('/logout', (req, res) => res.set('set-cookie', logOutCookie()).redirect(303, '/'));

// <facesign-verify>, from the installed package (the same version as the server side): the script-tag build and
// the parts it loads from beside itself (other languages, the fallback's UI, continuing on the phone), together
const scriptTag = import.meta.resolve('@facesign/verify/iife');
app.get('/facesign/:file', (req, res, next) =>
  /^facesign-verify\.[a-z]+\.js$/.test(req.params.file) ? res.sendFile(fileURLToPath(new URL(req.params.file, scriptTag))) : next(),
);
app.use(express.static(fileURLToPath(new URL('public', import.meta.url))));

// failures: the details to your log, a stable code to the browser
app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  // the request's own fault (a body parser's 400 or 413): said as such
  if (err.status >= 400 && err.status < 500) {
    const code = err.type === 'entity.parse.failed' ? 'invalid_body' : err.type === 'entity.too.large' ? 'body_too_large' : 'bad_request';
    return res.status(err.status).json({ error: { code, message: err.expose ? err.message : 'Bad request' } });
  }
  console.error(err);
  const unavailable = err instanceof FaceSignConnectionError || (err instanceof FaceSignAPIError && (err.status >= 500 || err.status === 429));
  res.status(unavailable ? 503 : 500).json({
    error: unavailable
      ? { code: 'facesign_unavailable', message: 'FaceSign could not be reached: try again shortly' }
      : { code: 'server_error', message: 'Something went wrong on our side' },
  });
});

const port = Number(process.env.PORT ?? 3000);
// loopback by default: HOST=0.0.0.0 (or your interface) where a proxy or a container's port reaches it
const host = process.env.HOST ?? 'localhost';
const server = app.listen(port, host, (err) => {
  if (err) {
    console.error(err.code === 'EADDRINUSE' ? `Port ${port} is in use: stop what uses it, or set PORT` : err);
    process.exit(1);
  }
  console.log(`Example app on http://${host}:${port}/ (FaceSign API: ${facesign.mode === 'test' ? 'test' : 'live'} key)`);
});
// a clean exit on Ctrl-C or a stop signal: open connections end, the port is free again
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)).closeAllConnections());
