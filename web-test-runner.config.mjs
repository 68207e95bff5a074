// Browser tests on every engine this machine has: Chromium, Firefox (through puppeteer-core), WebKit (WebKitGTK
// through WebKitWebDriver; under xvfb-run without a display). The page runs on http://localhost:<port>; test
// hosted pages are loaded from http://127.0.0.1:<port> (same server, another origin) so cross-origin behaviour is
// real. Which engines run, and why one is skipped: wtr/browsers.mjs.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { probeEngines, startWebKitDriver } from './wtr/browsers.mjs';
import { defaultReporter } from '@web/test-runner';
import { summaryReporter } from './wtr/summary-reporter.mjs';
import { refreshEndpoint } from './wtr/refresh-endpoint.mjs';
import { prebundlePlugin } from './wtr/prebundle-plugin.mjs';

const DEV = process.env.FACESIGN_BUILD === 'development';
if (DEV) console.log('build: development (__FACESIGN_DEV__ = true)');

// each engine started once first: one that is there but does not run is skipped in a line, not a stack trace a file
const { found, broken } = await probeEngines();
for (const [engine, why] of Object.entries(broken)) console.log(`engine ${engine}: ${why}: it does not run, skipped`);
const browsers = [];
if (found.chromium)
  browsers.push(
    chromeLauncher({
      launchOptions: {
        executablePath: found.chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'],
      },
    }),
  );
if (found.firefox)
  browsers.push(
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: {
        browser: 'firefox',
        executablePath: found.firefox,
        headless: true,
        // a fake camera, granted without a prompt
        extraPrefsFirefox: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true },
      },
    }),
  );
if (found.webkit) {
  const wk = await startWebKitDriver();
  browsers.push(
    webdriverLauncher({
      hostname: '127.0.0.1',
      port: wk.port,
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        // WebKitWebDriver 2.50 speaks classic WebDriver only (webdriverio 9 asks for BiDi by default)
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': {
          binary: found.webkit,
          args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'],
        },
      },
    }),
  );
}

export default {
  files: 'test/browser/**/*.test.{ts,tsx}',
  nodeResolve: true,
  hostname: 'localhost',
  // one page at a time: real keyboard/mouse input goes to the focused page only
  concurrency: 1,
  plugins: [
    // the production build unless FACESIGN_BUILD=development (npm test runs both: scripts/test-all.mjs)
    esbuildPlugin({ ts: true, tsx: true, tsconfig: 'tsconfig.json', define: { __FACESIGN_DEV__: String(DEV) } }),
    // React 19 is CommonJS-only on npm: served as ES modules with named exports, one shared copy
    prebundlePlugin({ deps: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime'] }),
  ],
  // a fake merchant refresh endpoint for the secret-lifecycle tests; a test hosted page that refuses framing
  middleware: [
    refreshEndpoint,
    // a document that never finishes loading (its load event never fires): the body is held open until the
    // browser goes away, or 30 s at most
    async (ctx, next) => {
      if (ctx.path !== '/test/never-loads') return next();
      ctx.respond = false;
      const res = ctx.res;
      res.writeHead(200, { 'content-type': 'text/html' });
      // past every engine's sniffing buffer (WebKit waits for more than a few bytes before it commits a document)
      res.write(`<!doctype html><p>loading forever</p><!--${' '.repeat(2048)}-->`);
      const end = setTimeout(() => res.end(), 30_000);
      res.on('close', () => clearTimeout(end));
    },
    async (ctx, next) => {
      await next();
      if (ctx.path === '/test/fixtures/hosted.html' && ctx.query.frame === 'deny') ctx.set('content-security-policy', "frame-ancestors 'none'");
    },
  ],
  browsers,
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  // Vue's esm-bundler build reads process.env.NODE_ENV and its feature flags
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <body>
    <script>
      window.process = { env: { NODE_ENV: 'development' } };
      window.__VUE_OPTIONS_API__ = true;
      window.__VUE_PROD_DEVTOOLS__ = false;
      window.__VUE_PROD_HYDRATION_MISMATCH_DETAILS__ = false;
      // the generated-lifecycle test: how many sequences, and a seed to replay one
      window.FACESIGN_MODEL_RUNS = ${Number(process.env.FACESIGN_MODEL_RUNS) || 300};
      window.FACESIGN_MODEL_SEED = ${Number(process.env.FACESIGN_MODEL_SEED) || 'undefined'};
    </script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  reporters: [defaultReporter(), summaryReporter()],
  // per test file and engine: the generated lifecycles (300 sequences by default) can take over 5 minutes when
  // three engines share this 2-core machine; a hung file still ends
  testsFinishTimeout: 900_000,
  testFramework: { config: { timeout: 10000 } },
};
