// Starts the whole local FaceSign, on loopback only: the API simulator, the hosted verify page (its own origin,
// 127.0.0.1) and the demo merchant app with its backend (another origin, localhost). Used by `npm start` and by
// the end-to-end tests (which pass port 0 everywhere to get free ports).
import { fileURLToPath } from 'node:url';
import { createServer as createVite } from 'vite';
import { createSimulator } from './api/simulator.mjs';
import { createBackend } from './app/backend.mjs';
import { frameAncestors } from './hosted/frame-ancestors.mjs';
import { hostedLaunch } from './hosted-launch.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const TEST_API_KEY = 'sk_test_sandbox_0123456789abcdef';

/**
 * @param {object} [o]
 * @param {number} [o.apiPort] @param {number} [o.verifyPort] @param {number} [o.demoPort] 0 = any free port
 * @param {number} [o.secretTtl] client secret lifetime in seconds
 * @param {number} [o.rateLimit] requests per minute per API key
 * @param {number} [o.webhookRetryMs] first webhook retry delay
 * @param {string} [o.webhookUrl] the merchant's own webhook endpoint: every event goes there too (the demo app's
 *   backend keeps getting them, so the demo page still shows the server-confirmed result)
 * @param {string[]} [o.allowedReturnOrigins] more origins the redirect may return to, beside the demo app's
 * @param {string[]} [o.allowedEmbedOrigins] more origins that may embed the hosted page, beside the demo app's
 * @param {number} [o.handoffSilenceMs] a phone not heard from this long has left (default 30 s; tests shorten it)
 * @param {(line: string) => void} [o.log]
 */
export async function startSandbox(o = {}) {
  const log = o.log ?? (() => {});
  const apiKey = o.apiKey ?? TEST_API_KEY;
  const webhookSecret = o.webhookSecret ?? 'whsec_ZmFjZXNpZ24tZGVtby13ZWJob29rcy1rZXk=';
  const started = [];
  const stop = async () => {
    for (const s of started.reverse()) await s().catch(() => {});
  };
  try {
    // ports are bound first with placeholders where a later server's address is needed, then filled in
    const sim = createSimulator({
      apiKeys: [apiKey],
      secretTtl: o.secretTtl ?? 3600,
      rateLimit: o.rateLimit ?? 120,
      webhookSecret,
      webhookRetryMs: o.webhookRetryMs ?? 1000,
      handoffSilenceMs: o.handoffSilenceMs,
      log: (l) => log(`[api] ${l}`),
    });
    const apiUrl = await sim.listen(o.apiPort ?? 4010, '127.0.0.1');
    started.push(() => sim.close());

    const viteBase = (name, dir) => ({
      configFile: false,
      root: `${root}demo/${dir}`,
      cacheDir: `${root}node_modules/.vite-sandbox-${name}`,
      logLevel: 'warn',
      clearScreen: false,
      optimizeDeps: { noDiscovery: true, include: [] },
      // the production builds of Lit, as a merchant page gets them: no "Lit is in dev mode" in the console
      resolve: { conditions: ['module', 'browser', 'production'] },
      // ours from src: the development build (its warnings and long messages), as a merchant's `vite` dev server
      // resolves the package's `development` condition
      define: { __FACESIGN_DEV__: 'true' },
    });

    // the conditions the demo page can simulate (?sim=…), as headers a real server would send
    const headers = (fn) => ({
      name: 'sim-headers',
      configureServer: (srv) =>
        void srv.middlewares.use((req, res, next) => {
          const url = new URL(req.url, 'http://x');
          fn(new Set(url.searchParams.get('sim')?.split(',')), res, url);
          next();
        }),
    });
    const hosted = await createVite({
      ...viteBase('hosted', 'hosted'),
      plugins: [
        headers((conditions, res, url) => {
          // the secret may be in a top-level URL: it must never leave in a Referer
          res.setHeader('referrer-policy', 'no-referrer');
          // in the element's popup the page must stay reachable from its opener: a same-origin COOP would sever it
          // after its hello, and the element would take the popup for closed (docs/protocol.md, "The popup")
          res.setHeader('cross-origin-opener-policy', 'unsafe-none');
          // the page itself: framed only where its merchant allowed (frame-ancestors.mjs)
          const page = url.pathname === '/' || url.pathname === '/index.html';
          const ancestors = conditions.has('frame-blocked') ? "'none'" : page && frameAncestors(url, sim.embedOrigins);
          if (ancestors) res.setHeader('content-security-policy', `frame-ancestors ${ancestors}`);
        }),
        // the element's redirect: the secret in a POST body, handed to the page in a block it takes out at once
        hostedLaunch(`${root}demo/hosted/index.html`),
      ],
      define: { __FACESIGN_DEV__: 'true', __FACESIGN_API__: JSON.stringify(apiUrl) },
      server: { host: '127.0.0.1', port: o.verifyPort ?? 4011, strictPort: true, hmr: false, fs: { allow: [root] } },
    });
    // closed even when listen fails: a created dev server already watches files
    started.push(() => hosted.close());
    await hosted.listen();
    const verifyUrl = `http://127.0.0.1:${hosted.httpServer.address().port}/`;

    const backend = createBackend({ apiUrl, apiKey, webhookSecret, log: (l) => log(`[demo] ${l}`) });
    const app = await createVite({
      ...viteBase('app', 'app'),
      server: { host: 'localhost', port: o.demoPort ?? 4012, strictPort: true, hmr: false, fs: { allow: [root] } },
      plugins: [
        headers((sim, res) => {
          if (sim.has('camera-blocked')) res.setHeader('permissions-policy', 'camera=(), microphone=()');
          if (sim.has('coop')) res.setHeader('cross-origin-opener-policy', 'same-origin');
        }),
        { name: 'demo-backend', configureServer: (s) => void s.middlewares.use((req, res, next) => void backend.handle(req, res, next)) },
      ],
    });
    started.push(() => app.close());
    await app.listen();
    const demoUrl = `http://localhost:${app.httpServer.address().port}/`;

    // the backend answers the demo app's own pages only
    backend.config.appOrigin = new URL(demoUrl).origin;
    sim.config.hostedUrl = verifyUrl;
    // the merchant's targets are added to the demo app's: the demo keeps working beside the merchant's own app
    const demoOrigin = new URL(demoUrl).origin;
    const plus = (mine) => [...new Set([demoOrigin, ...(mine ?? [])])];
    sim.config.webhookUrl = [`${demoUrl}api/webhooks/facesign`, ...(o.webhookUrl ? [o.webhookUrl] : [])];
    sim.config.allowedReturnOrigins = plus(o.allowedReturnOrigins);
    sim.config.allowedEmbedOrigins = { [apiKey]: plus(o.allowedEmbedOrigins) };
    return { apiUrl, verifyUrl, demoUrl, apiKey, webhookSecret, simulator: sim, backend, stop };
  } catch (e) {
    await stop();
    // node:http says EADDRINUSE; Vite says "Port N is already in use"
    const port = e?.code === 'EADDRINUSE' ? e.port : /^Port (\d+) is already in use/.exec(e?.message ?? '')?.[1];
    if (port)
      throw new Error(
        `port ${port} is already in use: stop what uses it, or set FACESIGN_API_PORT / FACESIGN_VERIFY_PORT / DEMO_PORT (see docs/sandbox.md, "Ports and settings")`,
        { cause: e },
      );
    throw e;
  }
}
