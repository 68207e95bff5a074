// The sandbox pointed at the merchant's own app: `npm start`'s flags and variables (demo/sandbox-options.mjs), the
// same as startSandbox() options, its banner, and its default ports (clear of the usual dev servers').
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { listenOn } from '../../demo/api/simulator.mjs';
import { startSandbox } from '../../demo/sandbox.mjs';
import { DEFAULT_PORTS, UsageError, sandboxOptions } from '../../demo/sandbox-options.mjs';

const START = path.resolve(import.meta.dirname, '../../demo/start.mjs');
const refused = (argv, env, message) =>
  assert.throws(
    () => sandboxOptions(argv, env),
    (e) => e instanceof UsageError && message.test(e.message),
  );

describe('sandbox options: flags and variables', () => {
  it('defaults: ports 4010 / 4011 / 4012, none of Vite, Next, Express, Nuxt, Angular or Astro; no targets of its own', () => {
    const { sandbox } = sandboxOptions([], {});
    assert.deepEqual([sandbox.apiPort, sandbox.verifyPort, sandbox.demoPort], [4010, 4011, 4012]);
    assert.deepEqual(DEFAULT_PORTS, { api: 4010, verify: 4011, demo: 4012 });
    for (const taken of [3000, 4200, 4321, 5173, 5174, 8080]) assert.ok(!Object.values(DEFAULT_PORTS).includes(taken), String(taken));
    assert.equal(sandbox.webhookUrl, undefined);
    assert.deepEqual(sandbox.allowedReturnOrigins, []);
    assert.deepEqual(sandbox.allowedEmbedOrigins, []);
  });

  it('flags: --webhook-url, --return-origin and --embed-origin, repeated and comma-separated, = form too', () => {
    const { sandbox } = sandboxOptions(
      [
        '--webhook-url',
        'http://localhost:3000/api/webhooks/facesign',
        '--return-origin',
        'http://localhost:3000, https://app.test:8443',
        '--return-origin=http://127.0.0.1:3001/',
        '--embed-origin',
        'http://localhost:3000',
      ],
      {},
    );
    assert.equal(sandbox.webhookUrl, 'http://localhost:3000/api/webhooks/facesign');
    assert.deepEqual(sandbox.allowedReturnOrigins, ['http://localhost:3000', 'https://app.test:8443', 'http://127.0.0.1:3001']);
    assert.deepEqual(sandbox.allowedEmbedOrigins, ['http://localhost:3000']);
  });

  it('variables: FACESIGN_WEBHOOK_URL, FACESIGN_RETURN_ORIGINS, FACESIGN_EMBED_ORIGINS and the ports', () => {
    const { sandbox } = sandboxOptions([], {
      FACESIGN_WEBHOOK_URL: 'http://localhost:3000/hooks',
      FACESIGN_RETURN_ORIGINS: 'http://localhost:3000,http://localhost:3000',
      FACESIGN_EMBED_ORIGINS: 'http://localhost:3000 , http://localhost:3001',
      FACESIGN_API_PORT: '0',
      FACESIGN_VERIFY_PORT: '7001',
      DEMO_PORT: '7002',
    });
    assert.equal(sandbox.webhookUrl, 'http://localhost:3000/hooks');
    assert.deepEqual(sandbox.allowedReturnOrigins, ['http://localhost:3000']);
    assert.deepEqual(sandbox.allowedEmbedOrigins, ['http://localhost:3000', 'http://localhost:3001']);
    assert.deepEqual([sandbox.apiPort, sandbox.verifyPort, sandbox.demoPort], [0, 7001, 7002]);
  });

  it('a flag wins over its variable', () => {
    const env = {
      FACESIGN_WEBHOOK_URL: 'http://localhost:9/env',
      FACESIGN_RETURN_ORIGINS: 'http://env.test',
      FACESIGN_EMBED_ORIGINS: 'http://env.test',
    };
    const { sandbox } = sandboxOptions(
      ['--webhook-url', 'http://localhost:9/flag', '--return-origin', 'http://flag.test', '--embed-origin', 'http://flag.test'],
      env,
    );
    assert.equal(sandbox.webhookUrl, 'http://localhost:9/flag');
    assert.deepEqual(sandbox.allowedReturnOrigins, ['http://flag.test']);
    assert.deepEqual(sandbox.allowedEmbedOrigins, ['http://flag.test']);
  });

  it('--help and -h', () => {
    assert.deepEqual(sandboxOptions(['--help'], {}), { help: true });
    assert.deepEqual(sandboxOptions(['-h'], { DEMO_PORT: 'x' }), { help: true });
  });

  it('refuses a return or embed origin with a path, a query, another scheme, or that is no URL, naming the flag or variable', () => {
    refused(
      ['--return-origin', 'http://localhost:3000/checkout'],
      {},
      /^--return-origin takes an origin, without a path.*"http:\/\/localhost:3000" rather than/,
    );
    refused(['--embed-origin', 'http://localhost:3000?x=1'], {}, /^--embed-origin takes an origin, without a path/);
    refused(['--embed-origin', 'ftp://localhost:3000'], {}, /^--embed-origin takes http:\/\/ or https:\/\/ origins/);
    refused(['--return-origin', 'localhost'], {}, /^--return-origin takes origins \(scheme:\/\/host\[:port\]\).*got "localhost"/);
    refused([], { FACESIGN_RETURN_ORIGINS: 'http://localhost:3000/done' }, /^FACESIGN_RETURN_ORIGINS takes an origin, without a path/);
    refused([], { FACESIGN_EMBED_ORIGINS: 'http://a.test,nope' }, /^FACESIGN_EMBED_ORIGINS takes origins.*got "nope"/);
  });

  it('refuses a webhook URL without http(s) (a missing scheme too), with credentials or a fragment', () => {
    refused(
      ['--webhook-url', 'localhost:3000/api/webhooks/facesign'],
      {},
      /^--webhook-url must start with http:\/\/ or https:\/\/, e\.g\. http:\/\/localhost:3000/,
    );
    refused(['--webhook-url', 'not a url'], {}, /^--webhook-url must be a URL/);
    refused([], { FACESIGN_WEBHOOK_URL: 'http://u:p@localhost:3000/hook' }, /^FACESIGN_WEBHOOK_URL must not carry a user or password/);
    refused(['--webhook-url', 'http://localhost:3000/hook#x'], {}, /must not have a #fragment/);
  });

  it('refuses an unknown flag, a flag without its value, a stray argument and a bad port', () => {
    refused(['--webhook', 'http://localhost:3000'], {}, /Unknown option '--webhook'.*See npm start -- --help/);
    refused(['--webhook-url'], {}, /--webhook-url.*argument missing.*--help/);
    refused(['http://localhost:3000'], {}, /Unexpected argument.*--help/);
    refused([], { DEMO_PORT: 'abc' }, /^DEMO_PORT must be a whole number, got "abc"/);
    refused([], { FACESIGN_VERIFY_PORT: '70000' }, /^FACESIGN_VERIFY_PORT must be a port/);
  });
});

/** Runs `node demo/start.mjs`; resolves with its output once it exits, or once `until` matches its stdout (then stops it). */
function run(args, env = {}, until) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [START, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`start.mjs did not finish: ${stdout}${stderr}`))), 60_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (until?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

describe('npm start', () => {
  it('--help prints the usage with every flag and variable, and starts nothing', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    for (const s of [
      '--webhook-url',
      '--return-origin',
      '--embed-origin',
      'FACESIGN_WEBHOOK_URL',
      'FACESIGN_RETURN_ORIGINS',
      'FACESIGN_EMBED_ORIGINS',
      'DEMO_PORT (4012)',
    ])
      assert.ok(stdout.includes(s), s);
    assert.doesNotMatch(stdout, /sandbox is running/);
  });

  it('a bad value: the message on stderr, exit 1, nothing started', async () => {
    const { code, stdout, stderr } = await run(['--return-origin', 'http://localhost:3000/checkout']);
    assert.equal(code, 1);
    assert.match(stderr, /^sandbox: --return-origin takes an origin, without a path/);
    assert.equal(stdout, '');
  });

  it("the banner shows the merchant's webhook URL and origins beside the demo app's", async () => {
    const { stdout } = await run(
      ['--webhook-url', 'http://localhost:3999/api/webhooks/facesign', '--return-origin', 'http://localhost:3999'],
      { FACESIGN_API_PORT: '0', FACESIGN_VERIFY_PORT: '0', DEMO_PORT: '0', FACESIGN_EMBED_ORIGINS: 'http://localhost:3999' },
      /Ctrl-C stops everything/,
    );
    const demo = /Demo merchant app\s+(http:\/\/localhost:\d+)\//.exec(stdout)?.[1];
    assert.ok(demo, stdout);
    assert.match(stdout, new RegExp(`Webhooks to\\s+${demo}/api/webhooks/facesign, http://localhost:3999/api/webhooks/facesign\\n`));
    assert.match(stdout, new RegExp(`May return to\\s+${demo}, http://localhost:3999\\n`));
    assert.match(stdout, new RegExp(`May embed it\\s+${demo}, http://localhost:3999\\n`));
    assert.match(stdout, /test_helpers\/sessions\/SESSION_ID\/outcome/);
  });
});

describe('startSandbox() with the merchant as its target', () => {
  it("adds the merchant's origins to the demo app's and delivers every webhook, signed, to both, each acknowledged", async () => {
    const got = [];
    const hook = createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      got.push({ path: req.url, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(204).end();
    });
    await listenOn(hook, 0, '127.0.0.1');
    const target = `http://127.0.0.1:${hook.address().port}/api/webhooks/facesign`;
    const sb = await startSandbox({
      apiPort: 0,
      verifyPort: 0,
      demoPort: 0,
      webhookUrl: target,
      allowedReturnOrigins: ['http://localhost:3999'],
      allowedEmbedOrigins: ['http://localhost:3998'],
    });
    try {
      const demo = new URL(sb.demoUrl).origin;
      assert.deepEqual(sb.simulator.config.allowedReturnOrigins, [demo, 'http://localhost:3999']);
      assert.deepEqual(sb.simulator.config.allowedEmbedOrigins[sb.apiKey], [demo, 'http://localhost:3998']);
      const auth = { authorization: `Bearer ${sb.apiKey}`, 'content-type': 'application/json' };
      const created = await fetch(`${sb.apiUrl}/v1/sessions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ clientReferenceId: 'u', modules: [{ type: 'identityVerification' }] }),
      });
      const { session } = await created.json();
      await fetch(`${sb.apiUrl}/v1/test_helpers/sessions/${session.id}/outcome`, { method: 'POST', headers: auth, body: '{"outcome":"canceled"}' });
      for (let i = 0; i < 200 && got.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(got.length, 1);
      assert.equal(got[0].path, '/api/webhooks/facesign');
      const event = new Webhook(sb.webhookSecret).verify(got[0].body, got[0].headers);
      assert.equal(event.type, 'session.canceled');
      assert.equal(event.data.session.id, session.id);
      // the same event, to the demo backend as well
      for (let i = 0; i < 200 && sb.simulator.deliveries.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(sb.simulator.deliveries.map((d) => d.url).sort(), [`${sb.demoUrl}api/webhooks/facesign`, target].sort());
      assert.equal(new Set(sb.simulator.deliveries.map((d) => d.headers['webhook-id'])).size, 1);
      // the demo backend acknowledges a session of the merchant's own app (not its own): no retries, no 4xx in the log
      assert.deepEqual(
        sb.simulator.deliveries.map((d) => [d.url, d.status]).sort(),
        [
          [`${sb.demoUrl}api/webhooks/facesign`, 200],
          [target, 204],
        ].sort(),
      );
    } finally {
      await sb.stop();
      await new Promise((r) => hook.close(r));
    }
  });
});
