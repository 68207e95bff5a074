// examples/ run end to end, as a merchant runs them: each example copied to a fresh folder, @facesign/verify from
// `npm pack` of this checkout (the example's package.json says ^0.1.0, the published release), everything else from
// its committed lockfile (test/examples/<name>/package-lock.json), built as its own scripts build it, and started
// against the real sandbox, which sends its webhooks to the example's own route and lets its origin embed the hosted
// page. In Chromium: log in, Verify, the hosted page in the element, a whole run; then the example's webhook route
// has had FaceSign's delivery and the page shows the result the server confirmed. Then the example's own tests (the
// forced outcomes) against the same sandbox.
//
// When an example's dependencies change, regenerate its lock with
// FACESIGN_UPDATE_EXAMPLE_LOCKS=1 node --test test/e2e/examples.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHROMIUM, launch, layoutSettled, sandbox } from './helpers.mjs';
import { freePort } from '../../wtr/browsers.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const UPDATE = process.env.FACESIGN_UPDATE_EXAMPLE_LOCKS === '1';

/** How each example is built and started (its package.json's scripts, with the port as an argument or PORT). */
const EXAMPLES = [
  { name: 'express', build: [], start: (port) => ['server.js', { PORT: String(port), HOST: 'localhost' }], ready: 'Example app on' },
  {
    name: 'nextjs',
    build: [['node_modules/next/dist/bin/next', 'build']],
    start: (port) => ['node_modules/next/dist/bin/next', 'start', '-H', 'localhost', '-p', String(port), {}],
    ready: 'Ready',
  },
];

/** A merchant's shell: no NODE_ENV (the sandbox's Vite servers set it in this process), no browser downloads. */
function shellEnv(extra = {}) {
  const env = { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };
  delete env.NODE_ENV;
  // a node:test run inside this one would otherwise take itself for a child of it and run nothing
  delete env.NODE_TEST_CONTEXT;
  return { ...env, ...extra };
}

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: shellEnv() });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} in ${path.basename(cwd)}:\n${r.stdout}${r.stderr}`);
}

/** The example in a fresh folder, @facesign/verify from the packed tarball, the rest from its committed lock. */
function install(work, name) {
  const dir = path.join(work, name);
  // what a merchant copies: not a node_modules or a build of a run in the checkout
  cpSync(path.join(root, 'examples', name), dir, { recursive: true, filter: (f) => !/[/\\](node_modules|\.next|next-env\.d\.ts)$/.test(f) });
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  assert.equal(pkg.dependencies['@facesign/verify'], '^0.1.0', 'the example depends on the published release');
  pkg.dependencies['@facesign/verify'] = 'file:../facesign-verify.tgz';
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const lock = path.join(root, 'test/examples', name, 'package-lock.json');
  if (UPDATE || !existsSync(lock)) {
    sh('npm', ['install', '--no-audit', '--no-fund'], dir);
    // our own package changes with every build: lock everything else
    const l = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
    delete l.packages['node_modules/@facesign/verify'].integrity;
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, JSON.stringify(l, null, 2) + '\n');
  } else {
    cpSync(lock, path.join(dir, 'package-lock.json'));
    sh('npm', ['ci', '--no-audit', '--no-fund'], dir);
  }
  return dir;
}

/**
 * The example's server on a free loopback port, in its own process group (its workers go with it), configured by
 * the environment as README says; resolves once it says it listens.
 */
async function startApp(dir, example, env) {
  const port = await freePort();
  const args = example.start(port);
  const extra = args.pop();
  const child = spawn(process.execPath, args, { cwd: dir, env: shellEnv({ ...env, ...extra }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const stop = () =>
    new Promise((r) => {
      if (child.exitCode !== null || child.signalCode !== null) return r();
      child.once('exit', r);
      process.kill(-child.pid, 'SIGTERM');
    });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${example.name} did not listen within 60 s:\n${out}`)), 60_000);
    child.stderr.on('data', (d) => (out += d));
    child.stdout.on('data', (d) => ((out += d), out.includes(example.ready) && (clearTimeout(timer), resolve())));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${example.name} exited (${code}):\n${out}`))));
  });
  return { url: `http://localhost:${port}`, stop, output: () => out };
}

/** The sandbox drives this app: its webhooks go to the app's route, and the app's origin may embed and return. */
function pointSandboxAt(sb, url) {
  sb.simulator.config.webhookUrl = `${url}/api/webhooks/facesign`;
  for (const list of [sb.simulator.config.allowedReturnOrigins, sb.simulator.config.allowedEmbedOrigins[sb.apiKey]])
    if (!list.includes(url)) list.push(url);
}

/**
 * A page of a fresh browser context (its own cookies: logged out), with its script errors collected; `started`
 * does what the person does right after Start verification (a refused camera: the phone's offer to answer).
 */
async function openApp(browser, url, started = async () => {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // the app's own: its page's errors, and anything of it that is missing (the sandbox's hosted page is not the app)
  page.on('console', (m) => m.type() === 'error' && m.location().url.startsWith(url) && problems.push(`console: ${m.text()} (${m.location().url})`));
  page.on('response', (r) => r.status() === 404 && r.url().startsWith(url) && problems.push(`404 ${r.url()}`));
  await page.goto(url);
  await page.getByRole('button', { name: 'Log in as the demo user' }).click();
  // "Continue verification" after a test that left a verification open
  await page.getByRole('button', { name: /^(Verify my identity|Verify again|Continue verification)$/ }).click();
  const frame = page.frameLocator('facesign-verify iframe');
  await frame.getByRole('button', { name: 'Start verification' }).click();
  await started(page);
  await frame.getByRole('textbox').waitFor();
  // the hosted page grows as the conversation renders: a click computed before the element followed it can miss
  await layoutSettled(page);
  const { verification } = await (await page.request.get(`${url}/api/facesign/verification`)).json();
  return { page, frame, problems, sessionId: verification.sessionId, close: () => context.close() };
}

/** Answers the flow's one question and waits for the hosted page's end. */
async function answer(frame) {
  await frame.getByRole('textbox').fill('Ada Lovelace');
  await frame.getByRole('textbox').press('Enter');
  await frame.getByText('Verification complete.').waitFor();
}

/** The page's server-confirmed result, once it is `status`: its data-status and its words. */
async function shown(page, status) {
  await page
    .locator(`#result[data-status="${status}"]`)
    .waitFor({ timeout: 15_000 })
    .catch(async (e) => {
      throw new Error(`the page shows "${await page.locator('#result').textContent()}", not ${status}`, { cause: e });
    });
  return page.locator('#result').textContent();
}

/** The login cookie of the example's stand-in login, as its form's POST sets it. */
async function logIn(url, example) {
  const res = await fetch(`${url}${example.name === 'nextjs' ? '/api/login' : '/login'}`, { method: 'POST', redirect: 'manual' });
  return res.headers.get('set-cookie').split(';')[0];
}

/** The sandbox's delivery of `type` for this session to the app's route, as it answered it. */
function delivered(sb, sessionId, type) {
  return sb.simulator.deliveries.filter((d) => d.type === type && JSON.parse(d.body).data.session.id === sessionId);
}

/** A delivery signed as FaceSign signs it (Standard Webhooks), with the sandbox's webhook secret. */
function signed(sb, body, id = `evt_test_${Date.now()}`) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(sb.webhookSecret.replace(/^whsec_/, ''), 'base64');
  const signature = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

describe('examples/ end to end against the sandbox (Express, Next.js)', () => {
  let work;
  let sb;
  let browser;
  before(async () => {
    if (!existsSync(path.join(root, 'dist/index.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    work = mkdtempSync(path.join(tmpdir(), 'facesign-examples-'));
    const out = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
    renameSync(path.join(work, out[0].filename), path.join(work, 'facesign-verify.tgz'));
    sb = await sandbox();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await sb?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const example of EXAMPLES)
    describe(`examples/${example.name}`, () => {
      let dir;
      let app;
      // only FACESIGN_API_URL: the sandbox's ports are free ones here; the key and webhook secret are the defaults
      const env = () => ({ FACESIGN_API_URL: sb.apiUrl });
      before(async () => {
        dir = install(work, example.name);
        for (const [bin, ...args] of example.build) sh(process.execPath, [bin, ...args], dir);
        app = await startApp(dir, example, env());
        pointSandboxAt(sb, app.url);
      });
      after(async () => {
        await app?.stop();
      });

      let verifiedSession;
      it('verified: log in, Verify, a whole run in the hosted page in the element; the webhook route has FaceSign’s delivery and the page shows "Verified"', async () => {
        const run = await openApp(browser, app.url);
        try {
          assert.match(await shown(run.page, 'pending'), /^Verification in progress/);
          await answer(run.frame);
          assert.match(await shown(run.page, 'verified'), /^Verified: FaceSign confirmed your identity/);
          const [completed] = delivered(sb, run.sessionId, 'session.completed');
          assert.equal(completed.status, 200, "the example's webhook route took the signed delivery");
          assert.equal(JSON.parse(completed.body).data.session.report.isVerified, true);
          assert.deepEqual(run.problems, []);
          verifiedSession = run.sessionId;
        } finally {
          await run.close();
        }
      });

      it('not verified: the camera refused, the person stays on this device rather than their phone, the run completes without liveness; the page shows "Not verified"', async () => {
        const denied = await launch({ camera: 'deny' });
        try {
          // a refused camera: the element offers the person's phone (cross-device "auto"); they stay on this device
          const stay = (page) => page.locator('facesign-verify').getByRole('button', { name: 'Stay on this device' }).click();
          const run = await openApp(denied, app.url, stay);
          await answer(run.frame);
          assert.match(await shown(run.page, 'not_verified'), /^Not verified/);
          assert.equal(JSON.parse(delivered(sb, run.sessionId, 'session.completed')[0].body).data.session.report.isVerified, false);
        } finally {
          await denied.close();
        }
      });

      it('canceled: the person cancels in the hosted page; the page shows "Canceled", and Verify again starts a new session', async () => {
        const run = await openApp(browser, app.url);
        try {
          await run.frame.getByRole('button', { name: 'Cancel verification' }).click();
          assert.match(await shown(run.page, 'canceled'), /^Canceled/);
          assert.equal(delivered(sb, run.sessionId, 'session.canceled')[0].status, 200);
          await run.page.getByRole('button', { name: 'Verify again' }).click();
          await run.page.locator('#result[data-status="pending"]').waitFor();
          const { verification } = await (await run.page.request.get(`${app.url}/api/facesign/verification`)).json();
          assert.notEqual(verification.sessionId, run.sessionId);
        } finally {
          await run.close();
        }
      });

      it('a reload mid-run: Continue verification goes on with the same session, to "Verified"', async () => {
        const run = await openApp(browser, app.url);
        try {
          await run.page.reload();
          assert.match(await shown(run.page, 'pending'), /^Verification in progress/);
          await run.page.getByRole('button', { name: 'Continue verification' }).click();
          // the hosted page goes on where the person was: the question, not the start
          await run.frame.getByRole('textbox').waitFor();
          await layoutSettled(run.page);
          await answer(run.frame);
          await shown(run.page, 'verified');
          const { verification } = await (await run.page.request.get(`${app.url}/api/facesign/verification`)).json();
          assert.equal(verification.sessionId, run.sessionId);
        } finally {
          await run.close();
        }
      });

      it('the webhook route: a replay is answered 2xx and changes nothing, a late event never moves a finished result back, a bad signature is 400, an unknown session 422', async () => {
        assert.ok(verifiedSession, 'the verified run above');
        const post = (body, headers) => fetch(`${app.url}/api/webhooks/facesign`, { method: 'POST', headers, body });
        // the user's result as the server has it, through the page's own route (logged in)
        const cookie = await logIn(app.url, example);
        const result = async () => (await (await fetch(`${app.url}/api/facesign/verification`, { headers: { cookie } })).json()).verification;
        const before = await result();

        const completed = delivered(sb, verifiedSession, 'session.completed')[0];
        assert.equal((await post(completed.body, { 'content-type': 'application/json', ...completed.headers })).status, 200);
        // a session.started of the verified session, signed and new, arriving late
        const late = JSON.parse(completed.body);
        late.type = 'session.started';
        late.data.session = { ...late.data.session, status: 'processing', report: undefined };
        const lateBody = JSON.stringify({ ...late, id: 'evt_late' });
        assert.equal((await post(lateBody, signed(sb, lateBody, 'evt_late'))).status, 200);
        assert.deepEqual(await result(), before);

        const tampered = completed.body.replace('"isVerified":true', '"isVerified":false');
        const refused = await post(tampered, { 'content-type': 'application/json', ...completed.headers });
        assert.equal(refused.status, 400);
        assert.equal((await refused.json()).error.code, 'invalid_signature');
        assert.equal((await post(completed.body, { 'content-type': 'application/json' })).status, 400);
        const stranger = JSON.stringify({ ...late, id: 'evt_stranger', data: { session: { ...late.data.session, id: 'fs_session_not_ours' } } });
        assert.equal((await post(stranger, signed(sb, stranger, 'evt_stranger'))).status, 422);
        assert.deepEqual(await result(), before);
      });

      it('the session route: a page that came back gets its own unfinished session again, another id 404; JSON (well-formed) and a login required', async () => {
        const cookie = await logIn(app.url, example);
        const ask = (body, headers = { 'content-type': 'application/json', cookie }) =>
          fetch(`${app.url}/api/facesign/session`, { method: 'POST', headers, body: JSON.stringify(body) });
        const first = await ask({});
        assert.equal(first.status, 201, 'the last verification of this user was finished: a new one');
        const { sessionId, clientSecret } = await first.json();
        assert.deepEqual(Object.keys(clientSecret).sort(), ['expireAt', 'secret', 'url'], 'only the client secret, never the session');
        const again = await ask({ sessionId });
        assert.equal(again.status, 200);
        const continued = await again.json();
        assert.equal(continued.sessionId, sessionId);
        assert.notEqual(continued.clientSecret.secret, clientSecret.secret, 'a new secret of the same session');
        const other = await ask({ sessionId: 'fs_session_of_someone_else' });
        assert.equal(other.status, 404);
        assert.equal((await other.json()).error.code, 'no_unfinished_verification');
        assert.equal((await ask({}, { 'content-type': 'text/plain', cookie })).status, 415);
        const garbled = await fetch(`${app.url}/api/facesign/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: '{"sessionId":',
        });
        assert.equal(garbled.status, 400);
        assert.equal((await garbled.json()).error.code, 'invalid_body');
        assert.equal((await ask({}, { 'content-type': 'application/json' })).status, 401);
      });

      it('FaceSign unreachable: Verify says so on the page (503 facesign_unavailable), and the button stays to try again', async () => {
        // an instance of the app whose FaceSign API is a port nobody listens on
        const down = await startApp(dir, example, { FACESIGN_API_URL: `http://127.0.0.1:${await freePort()}` });
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          await page.goto(down.url);
          await page.getByRole('button', { name: 'Log in as the demo user' }).click();
          const answered = page.waitForResponse((r) => r.url().endsWith('/api/facesign/session'));
          await page.getByRole('button', { name: 'Verify my identity' }).click();
          const res = await answered;
          assert.equal(res.status(), 503);
          assert.equal((await res.json()).error.code, 'facesign_unavailable');
          await page.getByRole('alert').filter({ hasText: 'Could not start the verification: FaceSign could not be reached' }).waitFor();
          assert.equal(await page.getByRole('button', { name: 'Verify my identity' }).isEnabled(), true);
          assert.equal(await page.locator('facesign-verify iframe').count(), 0);
        } finally {
          await context.close();
          await down.stop();
        }
      });

      // the example's own tests (forced outcomes: verified, not_verified, canceled), on their own instance of the
      // app
      it('its own tests pass against the sandbox: each forced outcome through its webhook route to the page', async () => {
        const port = await freePort();
        pointSandboxAt(sb, `http://localhost:${port}`);
        try {
          // not spawnSync: the sandbox answering the tests runs in this process
          const child = spawn(process.execPath, ['--test', '--test-reporter=spec', 'test/'], {
            cwd: dir,
            env: shellEnv({ ...env(), PORT: String(port), CHROME_PATH: CHROMIUM }),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (out += d));
          const [code] = await once(child, 'exit');
          assert.equal(code, 0, out);
          const count = (what) => Number(new RegExp(`^ℹ ${what} (\\d+)$`, 'm').exec(out)?.[1]);
          assert.equal(count('tests'), 3, out);
          assert.equal(count('pass'), 3, out);
        } finally {
          pointSandboxAt(sb, app.url);
        }
      });
    });
});
