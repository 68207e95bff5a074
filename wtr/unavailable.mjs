// Files the test server can pretend it cannot serve, for the tests of an on-demand chunk that fails to load
// (offline, or a deploy replaced it): while a file is down, every request for it answers 503, or 404 (`as: 404`),
// or, with `as: 'tampered'`, 200 with the file changed (a line that sets window.__facesignTampered appended: a
// script-tag part whose integrity hash no longer matches, which must not run).
// A test page takes a file down and up again with the server command `facesign-unavailable`
// (test/browser/pages.ts: takeDown, requestsFor):
//   executeServerCommand('facesign-unavailable', { path: '/src/element/on-demand/fallback-ui.ts', down: true, ua: navigator.userAgent })
// Only requests from that user agent are refused: the engines of one run test side by side, and another engine's
// page loading the same file at that moment must still get it (one page per engine at a time: concurrency 1).
// `{ path, ua, count: true }` answers how many requests for the file came since it was last taken down.
//
// Only the files named here can be taken down, and they are never cached (the test runner's own middleware marks
// every file cacheable for a year, and a browser would then never ask for it again: a page of a later test file
// would get the copy an earlier one loaded, not the 503).
const down = new Map();
/** a response body the static server gave as a stream (or a Buffer), as text */
async function streamText(body) {
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const parts = [];
  for await (const c of body) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}
const key = (path, ua) => `${ua}\n${path}`;

export function unavailable(paths) {
  const known = new Set(paths);
  const check = (path) => {
    if (!known.has(path)) throw new Error(`facesign-unavailable: ${path} is not one of the files it can take down (${paths.join(', ')})`);
  };
  /** no caching of this response, whatever a middleware around this one sets after it */
  const uncached = (ctx) => {
    ctx.set('cache-control', 'no-store');
    const set = ctx.response.set.bind(ctx.response);
    ctx.response.set = (field, value) => (typeof field === 'string' && field.toLowerCase() === 'cache-control' ? undefined : set(field, value));
  };
  return {
    async middleware(ctx, next) {
      if (!known.has(ctx.path)) return next();
      const entry = down.get(key(ctx.path, ctx.get('user-agent')));
      if (entry) entry.requests++;
      if (entry?.down && entry.as !== 'tampered') {
        ctx.status = entry.as === 404 ? 404 : 503;
        ctx.body = 'unavailable (a test took this file down)';
        return uncached(ctx);
      }
      await next();
      uncached(ctx);
      if (entry?.down) {
        const body = typeof ctx.body === 'string' ? ctx.body : await streamText(ctx.body);
        ctx.body = `${body}\n;window.__facesignTampered = ${JSON.stringify(ctx.path)};\n`;
      }
    },
    plugin: {
      name: 'facesign-unavailable',
      executeCommand({ command, payload }) {
        if (command !== 'facesign-unavailable') return undefined;
        const { path, ua, down: isDown, count, as } = payload ?? {};
        if (typeof path !== 'string' || typeof ua !== 'string') throw new Error('facesign-unavailable needs { path, ua }');
        check(path);
        const k = key(path, ua);
        if (count) return down.get(k)?.requests ?? 0;
        if (isDown) down.set(k, { down: true, requests: 0, as });
        else if (down.has(k)) down.get(k).down = false;
        return true;
      },
    },
  };
}
