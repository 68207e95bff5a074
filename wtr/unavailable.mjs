// Files the test server can pretend it cannot serve, for the tests of an on-demand chunk that fails to load
// (offline, or a deploy replaced it): while a file is down, every request for it answers 503.
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
      if (entry?.down) {
        ctx.status = 503;
        ctx.body = 'unavailable (a test took this file down)';
        return uncached(ctx);
      }
      await next();
      uncached(ctx);
    },
    plugin: {
      name: 'facesign-unavailable',
      executeCommand({ command, payload }) {
        if (command !== 'facesign-unavailable') return undefined;
        const { path, ua, down: isDown, count } = payload ?? {};
        if (typeof path !== 'string' || typeof ua !== 'string') throw new Error('facesign-unavailable needs { path, ua }');
        check(path);
        const k = key(path, ua);
        if (count) return down.get(k)?.requests ?? 0;
        if (isDown) down.set(k, { down: true, requests: 0 });
        else if (down.has(k)) down.get(k).down = false;
        return true;
      },
    },
  };
}
