// A scriptable stand-in for a merchant's refresh endpoint, served by the test runner itself (same origin as the
// test page). Each test uses its own id:
//   POST /refresh/<id>          the endpoint the element calls: answers with the next scripted step
//   POST /refresh/<id>/script   sets the steps: [{ status, json, body, headers, delay } | { hang: true }, …]
//   GET  /refresh/<id>/log      what it received: [{ body, at, aborted, credentials }]
// With no step left it answers 200 with a fresh secret that expires in an hour.
// Called from another origin (the page is localhost, the endpoint 127.0.0.1), `?cors=` says how it answers CORS,
// preflight included: `star` (Access-Control-Allow-Origin: *, which a browser refuses for a request sent with
// credentials) or `exact` (the caller's origin and Access-Control-Allow-Credentials: true); without it, no CORS.
const state = new Map();
const get = (id) => {
  if (!state.has(id)) state.set(id, { steps: [], log: [], n: 0 });
  return state.get(id);
};
const readBody = async (req) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
};

export async function refreshEndpoint(ctx, next) {
  const m = /^\/refresh\/([\w-]+)(\/script|\/log)?$/.exec(ctx.path);
  if (!m) return next();
  const s = get(m[1]);
  const cors = ctx.query.cors;
  if (cors === 'star') ctx.set('access-control-allow-origin', '*');
  if (cors === 'exact') {
    ctx.set('access-control-allow-origin', ctx.get('origin'));
    ctx.set('access-control-allow-credentials', 'true');
    ctx.set('vary', 'Origin');
  }
  if (ctx.method === 'OPTIONS') {
    // the preflight of a JSON POST: not a step, not logged
    ctx.set('access-control-allow-methods', 'POST');
    ctx.set('access-control-allow-headers', 'content-type');
    ctx.status = 204;
    return;
  }
  if (m[2] === '/script') {
    s.steps = JSON.parse(await readBody(ctx.req));
    s.log = [];
    ctx.status = 204;
    return;
  }
  if (m[2] === '/log') {
    ctx.body = s.log;
    return;
  }
  const entry = { body: JSON.parse((await readBody(ctx.req)) || 'null'), at: Date.now(), aborted: false, credentials: ctx.get('cookie') };
  s.log.push(entry);
  const step = s.steps.shift() ?? {
    status: 200,
    json: { clientSecret: { secret: `vs_refreshed_${m[1]}_${++s.n}_abcdef`, expireAt: Math.floor(Date.now() / 1000) + 3600 } },
  };
  const closed = new Promise((resolve) => ctx.req.once('close', () => resolve(true)));
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) entry.aborted = true;
  });
  if (step.hang) {
    await closed;
    entry.aborted = true;
    ctx.respond = false;
    return;
  }
  if (step.delay) await new Promise((r) => setTimeout(r, step.delay));
  ctx.status = step.status ?? 200;
  for (const [k, v] of Object.entries(step.headers ?? {})) ctx.set(k, v);
  if (step.json !== undefined) ctx.body = step.json;
  else if (step.body !== undefined) {
    ctx.type = 'text/html';
    ctx.body = step.body;
  }
}
