// Browser tests in the system Chromium. The page runs on http://localhost:<port>; test hosted pages are
// loaded from http://127.0.0.1:<port> (same server, another origin) so cross-origin behaviour is real.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { summaryReporter } from './wtr/summary-reporter.mjs';
import { refreshEndpoint } from './wtr/refresh-endpoint.mjs';

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  hostname: 'localhost',
  // one page at a time: real keyboard/mouse input goes to the focused page only
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' })],
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
  reporters: [defaultReporter(), summaryReporter()],
  testsFinishTimeout: 300000,
  testFramework: { config: { timeout: 10000 } },
};
