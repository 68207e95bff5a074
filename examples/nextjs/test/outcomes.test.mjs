// Each outcome of a verification, decided by the test (the sandbox's forced outcomes, no camera needed), reaches
// this app's webhook route and the page shows the result the server confirmed. A copy of this file is a start for
// your own tests against the sandbox.
//
// Needs: the app built (`npm test` builds it first), the sandbox running, sending its webhooks here (in the SDK's repository:
//   npm start -- --webhook-url http://localhost:3000/api/webhooks/facesign --return-origin http://localhost:3000 --embed-origin http://localhost:3000
// ), a Chromium-family browser (CHROME_PATH, default /usr/bin/chromium), and port 3000 free (PORT to change it:
// then the sandbox's URLs above too). The test starts the app (`next start`) itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FaceSign } from '@facesign/verify/server';
import { chromium } from 'playwright-core';

const PORT = process.env.PORT ?? '3000';
const APP = `http://localhost:${PORT}`;
const API = process.env.FACESIGN_API_URL ?? 'http://127.0.0.1:4010';
const KEY = process.env.FACESIGN_API_KEY ?? 'sk_test_sandbox_0123456789abcdef';

/** This app's server, `next start` of its build; resolves once it listens. */
function startApp() {
  const next = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));
  // its own process group: `next start` runs its server in a child process, which must go with it
  const app = spawn(process.execPath, [next, 'start', '-H', 'localhost', '-p', PORT], {
    detached: true,
    cwd: new URL('..', import.meta.url),
    env: { NEXT_TELEMETRY_DISABLED: '1', ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    app.stderr.on('data', (d) => (out += d));
    app.stdout.on('data', (d) => ((out += d), out.includes('Ready') && resolve(app)));
    app.once('exit', (code) => reject(new Error(`next start exited (${code}) before it listened:\n${out}`)));
  });
}

/** The sandbox's test helpers, through the server client: refused before sending anything on a live key. */
const facesign = new FaceSign({ apiKey: KEY, baseUrl: API });

describe('each outcome, forced in the sandbox, reaches the page through the webhook route', () => {
  let app;
  let browser;
  before(async () => {
    const sandbox = await fetch(`${API}/v1/langs`, { headers: { authorization: `Bearer ${KEY}` } }).catch(() => undefined);
    assert.ok(sandbox?.ok, `no sandbox at ${API}: start it (see this file's first lines) or set FACESIGN_API_URL`);
    app = await startApp();
    // no camera needed: the outcome is decided without one
    browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    if (app && app.exitCode === null) await new Promise((resolve) => (app.once('exit', resolve), process.kill(-app.pid, 'SIGTERM')));
  });

  for (const [outcome, status, text] of [
    ['verified', 'verified', /^Verified/],
    ['not_verified', 'not_verified', /^Not verified/],
    ['canceled', 'canceled', /^Canceled/],
  ])
    it(`${outcome}: the page shows "${status}" once the webhook confirmed it`, async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(APP);
        await page.getByRole('button', { name: 'Log in as the demo user' }).click();
        // "Verify my identity", or "Continue verification" for a session a failed test left open
        await page.getByRole('button', { name: /^(Verify my identity|Verify again|Continue verification)$/ }).click();
        // the hosted page, in the element, ready for the person: the test decides what they do
        await page.frameLocator('facesign-verify iframe').getByRole('button', { name: 'Start verification' }).waitFor();
        await page.locator('#result[data-status="pending"]').waitFor();
        const { verification } = await (await page.request.get(`${APP}/api/facesign/verification`)).json();

        // decides the session's outcome in the sandbox: the same webhooks and hosted-page screens as a real run
        await facesign.testHelpers.sessions.forceOutcome(verification.sessionId, outcome);
        await page.locator(`#result[data-status="${status}"]`).waitFor({ timeout: 15_000 });
        assert.match(await page.locator('#result').textContent(), text);
        // and a new verification can start, whatever the browser saw
        await page.getByRole('button', { name: 'Verify again' }).waitFor();
        const confirmed = (await (await page.request.get(`${APP}/api/facesign/verification`)).json()).verification;
        assert.equal(confirmed.sessionId, verification.sessionId);
      } finally {
        await context.close();
      }
    });
});
