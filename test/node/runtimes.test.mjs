// The server entry (dist/server.js, as it ships) where merchant backends run: Node 22 and 24, Bun, Deno and
// Cloudflare's workerd, each from its registry package (test/runtimes/package.json, pinned by its lockfile,
// installed on first use). On each: the portable suite (test/runtimes/suite.mjs: the client against the API
// simulator, webhooks, refreshHandler) and refreshHandler served by that runtime's own server (node:http with
// toNodeHandler, Bun.serve, Deno.serve, a Worker's fetch) over real loopback sockets.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { createSimulator } from '../../demo/api/simulator.mjs';
import { freePort } from '../../wtr/browsers.mjs';
import { RUNTIME_MODULES, runtimeBin } from '../runtimes/install.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const here = path.join(root, 'test/runtimes');
const mods = RUNTIME_MODULES;
const KEY = 'sk_test_runtimes_0123456789';

if (!existsSync(path.join(root, 'dist/server.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
runtimeBin('node24/bin/node');

/** the runtimes, each with how to start the suite's app on it (a free port: `listening <port>` on stdout) */
const RUNTIMES = [
  { name: 'Node 22', bin: 'node22/bin/node', version: ['--version'], start: (bin, cfg) => [bin, [path.join(here, 'entry.mjs'), cfg]] },
  { name: 'Node 24', bin: 'node24/bin/node', version: ['--version'], start: (bin, cfg) => [bin, [path.join(here, 'entry.mjs'), cfg]] },
  { name: 'Bun', bin: '@oven/bun-linux-x64/bin/bun', version: ['--version'], start: (bin, cfg) => [bin, [path.join(here, 'entry.mjs'), cfg]] },
  {
    name: 'Deno',
    bin: '@deno/linux-x64-glibc/deno',
    version: ['--version'],
    // only loopback and its own files
    start: (bin, cfg) => [bin, ['run', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${root}`, path.join(here, 'entry.mjs'), cfg]],
  },
  { name: 'workerd', bin: '@cloudflare/workerd-linux-64/bin/workerd', version: ['--version'], start: workerd },
];

let work;
/** workerd: the Worker bundled with the server entry, a config that serves it on a free port and lets it reach loopback */
async function workerd(bin, cfg) {
  const { apiBase, apiKey } = JSON.parse(cfg);
  await build({
    entryPoints: [path.join(here, 'worker.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: path.join(work, 'worker.js'),
    logLevel: 'error',
  });
  const port = await freePort();
  writeFileSync(
    path.join(work, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .suite),
    # the Worker's fetch() may reach loopback only: the API simulator
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const suite :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [(name = "API_BASE", text = ${JSON.stringify(apiBase)}), (name = "API_KEY", text = ${JSON.stringify(apiKey)})],
  globalOutbound = "loopback",
);
`,
  );
  return [bin, ['serve', path.join(work, 'config.capnp')], port];
}

/** Starts the runtime; resolves with its port once it listens (or rejects with what it printed). */
function startOn(rt, cfg, children) {
  return Promise.resolve(rt.start(path.join(mods, rt.bin), cfg)).then(
    ([cmd, args, fixedPort]) =>
      new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: work, NO_COLOR: '1' } });
        children.push(child);
        let out = '';
        const give = setTimeout(() => reject(new Error(`${rt.name} did not listen within 30 s:\n${out}`)), 30_000);
        const done = (port) => (clearTimeout(give), resolve(port));
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening (\d+)/.exec(out);
          if (m) done(Number(m[1]));
        });
        child.stderr.on('data', (d) => (out += d));
        child.once('exit', (code) => reject(new Error(`${rt.name} exited (${code}):\n${out}`)));
        // workerd prints nothing when it listens: ask until it answers
        if (fixedPort)
          (async () => {
            for (let i = 0; i < 300 && child.exitCode === null; i++) {
              const ok = await fetch(`http://127.0.0.1:${fixedPort}/`).then(
                () => true,
                () => false,
              );
              if (ok) return done(fixedPort);
              await new Promise((r) => setTimeout(r, 100));
            }
          })();
      }),
  );
}

const post = (url, body, type = 'application/json') => fetch(url, { method: 'POST', headers: { 'content-type': type }, body });

describe('the server entry on the runtimes merchant backends run', () => {
  let sim;
  let apiBase;
  const children = [];
  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'facesign-runtimes-'));
    sim = createSimulator({ apiKeys: [KEY], rateLimit: 10_000 });
    apiBase = await sim.listen(0);
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  });

  for (const rt of RUNTIMES) {
    const version = execFileSync(path.join(mods, rt.bin), rt.version, { encoding: 'utf8' }).trim().split('\n')[0];
    it(`${rt.name} (${version}): the suite passes, and refreshHandler answers over its own server`, async () => {
      const port = await startOn(rt, JSON.stringify({ apiBase, apiKey: KEY }), children);
      const base = `http://127.0.0.1:${port}`;
      const { results, session } = await (await fetch(`${base}/suite`)).json();
      assert.deepEqual(results.failed, [], `${rt.name}: ${results.failed.map((f) => `${f.name}: ${f.message}`).join('\n')}`);
      assert.equal(results.passed.length, 6);
      // the browser's side of the refresh, over real sockets
      const body = JSON.stringify({ clientSecret: session.secret, sessionId: session.id });
      assert.equal((await post(`${base}/refresh`, body, 'text/plain')).status, 415);
      assert.equal((await post(`${base}/refresh`, JSON.stringify({ clientSecret: 'x'.repeat(20_000) }))).status, 413);
      const res = await post(`${base}/refresh`, body);
      assert.equal(res.status, 200);
      const { clientSecret } = await res.json();
      assert.notEqual(clientSecret.secret, session.secret);
      // the old secret was replaced in the store: a second refresh with it is refused
      const again = await post(`${base}/refresh`, body);
      assert.equal(again.status, 403);
      assert.equal((await again.json()).error.code, 'forbidden');
      // two refreshes of one session at once (a double-mounted page): one FaceSign call, one secret for both
      // (on workerd, a promise shared across two requests' contexts)
      // FaceSign answers late, so the second request is authorized while the first one's call is out
      sim.inject({ method: 'GET', path: /\/refresh$/, delay: 1000 });
      const calls = sim.requests.length;
      const both = await Promise.all(
        [0, 1].map(() => post(`${base}/refresh`, JSON.stringify({ clientSecret: clientSecret.secret, sessionId: session.id })).then((r) => r.json())),
      );
      assert.equal(both[0].clientSecret?.secret, both[1].clientSecret?.secret, JSON.stringify(both));
      assert.equal(sim.requests.slice(calls).filter((r) => r.path?.endsWith('/refresh')).length, 1);
    });
  }
});
