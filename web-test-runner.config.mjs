// Browser tests on every engine this machine has: Chromium, Firefox (through puppeteer-core), WebKit (WebKitGTK
// through WebKitWebDriver; under xvfb-run without a display). The page runs on http://localhost:<port>; test
// hosted pages are loaded from http://127.0.0.1:<port> (same server, another origin) so cross-origin behaviour is
// real. Which engines run, and why one is skipped: wtr/browsers.mjs.
import { execFileSync } from 'node:child_process';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { probeEngines, startWebKitDriver } from './wtr/browsers.mjs';
import { defaultReporter } from '@web/test-runner';
import { summaryReporter } from './wtr/summary-reporter.mjs';
import { refreshEndpoint } from './wtr/refresh-endpoint.mjs';
import { prebundlePlugin } from './wtr/prebundle-plugin.mjs';
import { unavailable } from './wtr/unavailable.mjs';

// Which build the sources are served as (`__FACESIGN_DEV__`, src/build-mode.d.ts): production, or development
// everywhere with FACESIGN_BUILD=development. With FACESIGN_DEV_CHROMIUM=1 (npm test) one more Chromium runs
// the development build in the same run: its user agent carries DEV_MARK, and each request gets the build its page
// asked for (buildMode, below; its own entry in the transform cache).
const DEV = process.env.FACESIGN_BUILD === 'development';
const DEV_MARK = 'FaceSignDevelopmentBuild';
if (DEV) console.log('build: development (__FACESIGN_DEV__ = true)');
const devPage = (ctx) => DEV || String(ctx.get('user-agent')).includes(DEV_MARK);
const buildMode = {
  name: 'facesign-build-mode',
  transformCacheKey: (ctx) => (devPage(ctx) ? 'development' : 'production'),
  transform(ctx) {
    if (typeof ctx.body === 'string' && ctx.body.includes('__FACESIGN_DEV__'))
      return { body: ctx.body.replaceAll('__FACESIGN_DEV__', String(devPage(ctx))) };
  },
};

// the on-demand chunks a test can take down (answered 503, for the tests of a chunk that fails to load)
const chunks = unavailable([
  '/src/element/on-demand/fallback-ui.ts',
  '/src/surfaces/redirect.ts',
  '/src/element/langs.ts',
  '/src/session/secret-refresh.ts',
  // the script tag's parts (test/browser/script-tag-parts.test.ts)
  '/dist/facesign-verify.langs.js',
  '/dist/facesign-verify.fallback.js',
  '/dist/facesign-verify.redirect.js',
  '/dist/facesign-verify.verify.js',
  '/dist/facesign-verify.handoff.js',
  '/dist/facesign-verify.refresh.js',
]);

// each engine started once first: one that is there but does not run is skipped in a line, not a stack trace a file
const { found, broken } = await probeEngines();
for (const [engine, why] of Object.entries(broken)) console.log(`engine ${engine}: ${why}: it does not run, skipped`);
const browsers = [];
const chromium = (args = []) =>
  chromeLauncher({
    launchOptions: {
      executablePath: found.chromium,
      headless: true,
      // --expose-gc: window.gc() for the retention tests (test/browser/retention.test.ts); no other engine has one
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--js-flags=--expose-gc',
        ...args,
      ],
    },
  });
if (found.chromium) {
  browsers.push(chromium());
  if (process.env.FACESIGN_DEV_CHROMIUM === '1' && !DEV) {
    // Chromium's own user agent (its major version, as it reports it) with the mark at the end
    const major = /(\d+)\./.exec(execFileSync(found.chromium, ['--version'], { encoding: 'utf8' }))?.[1] ?? '0';
    const dev = chromium([
      `--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 ${DEV_MARK}`,
    ]);
    dev.name = 'Chrome (development build)';
    browsers.push(dev);
  }
}
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
    esbuildPlugin({ ts: true, tsx: true, tsconfig: 'tsconfig.json' }),
    // after esbuild, which leaves the undeclared global as it is
    buildMode,
    // React 19 is CommonJS-only on npm: served as ES modules with named exports, one shared copy
    prebundlePlugin({ deps: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime'] }),
    // the server command that takes a chunk down (503) and up again: wtr/unavailable.mjs
    chunks.plugin,
  ],
  // a fake merchant refresh endpoint for the secret-lifecycle tests; a test hosted page that refuses framing
  middleware: [
    refreshEndpoint,
    // an on-demand chunk that fails to load: a chunk a test took down answers 503 (wtr/unavailable.mjs)
    chunks.middleware,
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
      // the build this page's sources should come as (test/browser/builds.test.ts checks they did)
      window.FACESIGN_EXPECT_DEV = ${DEV} || navigator.userAgent.includes('${DEV_MARK}');
      // (20 in the development build's extra Chromium: the production run has them all)
      window.FACESIGN_MODEL_RUNS = navigator.userAgent.includes('${DEV_MARK}') ? 20 : ${Number(process.env.FACESIGN_MODEL_RUNS) || 300};
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
