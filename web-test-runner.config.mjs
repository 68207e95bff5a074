// Browser tests in the system Chromium. The page runs on http://localhost:<port>; test hosted pages are
// loaded from http://127.0.0.1:<port> (same server, another origin) so cross-origin behaviour is real.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { summaryReporter } from './wtr/summary-reporter.mjs';
import { refreshEndpoint } from './wtr/refresh-endpoint.mjs';
import { prebundlePlugin } from './wtr/prebundle-plugin.mjs';

export default {
  files: 'test/browser/**/*.test.{ts,tsx}',
  nodeResolve: true,
  hostname: 'localhost',
  // one page at a time: real keyboard/mouse input goes to the focused page only
  concurrency: 1,
  plugins: [
    esbuildPlugin({ ts: true, tsx: true, tsconfig: 'tsconfig.json' }),
    // React 19 is CommonJS-only on npm: served as ES modules with named exports, one shared copy
    prebundlePlugin({ deps: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime'] }),
  ],
  // a fake merchant refresh endpoint for the secret-lifecycle tests
  middleware: [refreshEndpoint],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'],
      },
    }),
  ],
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
    </script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  reporters: [defaultReporter(), summaryReporter()],
  testsFinishTimeout: 300000,
  testFramework: { config: { timeout: 10000 } },
};
