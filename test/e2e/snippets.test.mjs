// The guide's snippets in fresh apps, made as a new user makes them (README's script-tag page and TypeScript module;
// docs/frameworks.md's React, Vue, Angular, Svelte, Next.js and Nuxt files): create-vite's react-ts and vue-ts
// templates (the pinned create-vite devDependency, so the template is the same on every run), the App file
// dropped in as it stands, @facesign/verify installed from `npm pack`, then the template's own build (`tsc -b` /
// `vue-tsc -b` with its strict tsconfig and noUnusedLocals, then `vite build`). The built app is served by
// `vite preview` with /api proxied to the sandbox's merchant backend, and driven in Chromium: a verification to the
// server-confirmed result, the close button, an unrelated re-render, a second verification.
//
// Each app's third-party versions are locked (test/snippets/<template>/package-lock.json) so a release elsewhere
// cannot change this test. When the template or our dependencies change, regenerate the locks with
// FACESIGN_UPDATE_SNIPPET_LOCKS=1 node --test test/e2e/snippets.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RECORD, allowEmbed, events, launch, layoutSettled, sandbox } from './helpers.mjs';
import { onNode24 } from '../runtimes/install.mjs';
import { freePort } from '../../wtr/browsers.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const README = 'README.md';
const FRAMEWORKS = 'docs/frameworks.md';
const UPDATE = process.env.FACESIGN_UPDATE_SNIPPET_LOCKS === '1';
const TEMPLATES = [
  { name: 'react-ts', fence: 'tsx App.tsx', app: 'src/App.tsx', entry: 'src/main.tsx' },
  { name: 'vue-ts', fence: 'vue App.vue', app: 'src/App.vue', entry: 'src/main.ts' },
];

// Angular CLI 22 (like the other generators now) asks for Node ^22.22.3: it runs on Node 24 from test/runtimes
const GENERATED = [
  {
    name: 'angular',
    generate: (work) => {
      const args = ['--defaults', '--interactive=false', '--skip-git', '--skip-install', '--ssr=false', '--style=css', '--ai-config=none'];
      sh('npx', ['-y', '@angular/cli@22.2.7', 'new', 'ng-app', ...args, '--package-manager=npm'], work, onNode24());
      return path.join(work, 'ng-app');
    },
    snippet: { fence: 'ts verify.component.ts', to: 'src/app/verify.component.ts' },
    // the glue: an app root that renders README's component and a re-render button
    glue: ['src/app/app.ts'],
    drop: ['src/app/app.html', 'src/app/app.css', 'src/app/app.spec.ts'],
    build: [['npx', 'ng', 'build']],
    serve: (dir, sb) => staticWithApi(path.join(dir, 'dist/ng-app/browser'), sb.demoUrl),
    env: () => onNode24(),
  },
  {
    name: 'sveltekit',
    generate: (work) => {
      sh('npx', ['-y', 'sv@0.17.1', 'create', 'kit-app', '--template', 'minimal', '--types', 'ts', '--no-add-ons', '--no-install'], work, onNode24());
      return path.join(work, 'kit-app');
    },
    snippet: { fence: 'svelte Verify.svelte', to: 'src/lib/Verify.svelte' },
    glue: ['src/routes/+page.svelte'],
    // svelte-check (strict TypeScript, runes), then the production build
    build: [
      ['npm', 'run', 'check'],
      ['npm', 'run', 'build'],
    ],
    serve: (dir, sb) => vitePreview(dir, sb, onNode24()),
    // server-rendered: the element is in the server's HTML before there is a secret
    ssr: /<facesign-verify mode="modal">/,
    env: () => onNode24(),
  },
  {
    name: 'next',
    generate: (work) => {
      const args = ['--ts', '--app', '--eslint', '--no-tailwind', '--no-src-dir', '--no-react-compiler', '--import-alias', '@/*', '--use-npm'];
      sh(
        'npx',
        ['-y', 'create-next-app@16.4.3', 'next-app', ...args, '--disable-git', '--no-agent-feedback', '--yes', '--skip-install'],
        work,
        onNode24(),
      );
      return path.join(work, 'next-app');
    },
    snippet: { fence: 'tsx app/verify.tsx', to: 'app/verify.tsx' },
    // the glue: a page with the re-render button, the layout without next/font/google (it downloads fonts at
    // build time), and the config's /api rewrite to the backend
    glue: ['app/page.tsx', 'app/layout.tsx', 'next.config.ts'],
    drop: ['app/page.module.css'],
    // next build type-checks (strict) and builds for production
    build: [['npx', 'next', 'build']],
    serve: (dir, sb) => startServer(dir, ['npx', 'next', 'start', '-H', 'localhost', '-p'], backendEnv(sb)),
    ssr: /<facesign-verify>/,
    env: (sb) => backendEnv(sb),
  },
  {
    name: 'nuxt',
    // `nuxi init` downloads its template from GitHub (not reachable here): the nuxt/starter v4 files instead,
    // as it writes them (package.json, nuxt.config.ts, tsconfig.json, app/app.vue), with @types/node for the
    // config's process.env and the config's /api proxy to the backend as the glue
    generate: (work) => {
      const dir = path.join(work, 'nuxt-app');
      mkdirSync(path.join(dir, 'app/components'), { recursive: true });
      for (const f of ['package.json', 'nuxt.config.ts', 'tsconfig.json']) cpSync(path.join(root, 'test/snippets/nuxt', f), path.join(dir, f));
      return dir;
    },
    snippet: { fence: 'vue app/components/VerifyIdentity.vue', to: 'app/components/VerifyIdentity.vue' },
    glue: ['app/app.vue'],
    // vue-tsc over the app (strict), then the production build
    build: [
      ['npx', 'nuxi', 'typecheck'],
      ['npx', 'nuxi', 'build'],
    ],
    serve: (dir, sb) => startServer(dir, ['node', '.output/server/index.mjs'], backendEnv(sb), 'PORT'),
    ssr: /<facesign-verify mode="modal">/,
    env: (sb) => backendEnv(sb),
  },
];

/** Next.js and Nuxt read the /api rewrite's destination when they build */
const backendEnv = (sb) =>
  onNode24({ ...process.env, NEXT_TELEMETRY_DISABLED: '1', NUXT_TELEMETRY_DISABLED: '1', FACESIGN_BACKEND: sb.demoUrl.replace(/\/$/, '') });

/**
 * A production server the framework ships (`next start`, Nuxt's node server) on a free loopback port, its own
 * process group (so its workers go with it); resolves once it answers.
 */
async function startServer(dir, [cmd, ...args], env, portVar) {
  const port = await freePort();
  const child = spawn(cmd, portVar ? args : [...args, String(port)], {
    cwd: dir,
    env: { ...env, ...(portVar && { [portVar]: String(port), HOST: 'localhost' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const stop = () =>
    new Promise((r) => {
      if (child.exitCode !== null || child.signalCode !== null) return r();
      child.once('exit', r);
      process.kill(-child.pid, 'SIGTERM');
    });
  const url = `http://localhost:${port}/`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited (${child.exitCode}):\n${out}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, close: stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${cmd} ${args.join(' ')} did not answer within 60 s:\n${out}`);
}

/** `vite preview` of a built app (test/snippets/preview.mjs, in the app's folder), /api passed on to the sandbox. */
function vitePreview(dir, sb, env = process.env) {
  const child = spawn('node', [path.join(root, 'test/snippets/preview.mjs'), sb.demoUrl], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (why) => (child.kill('SIGKILL'), reject(new Error(`vite preview in ${path.basename(dir)} ${why}:\n${out}`)));
    const timer = setTimeout(() => fail('did not listen within 30 s'), 30_000);
    child.stderr.on('data', (d) => (out += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ url: m[1], close: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill()))) });
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`vite preview exited (${code}):\n${out}`))));
  });
}

/** The code block of `doc` (README.md, docs/…) whose fence line is exactly ```<fence> */
function snippet(doc, fence) {
  const m = readFileSync(path.join(root, doc), 'utf8').match(new RegExp('^```' + fence.replace('.', '\\.') + '\\n([\\s\\S]*?)^```$', 'm'));
  assert.ok(m, `${doc} has a \`\`\`${fence} block`);
  return m[1];
}

function sh(cmd, args, cwd, base = process.env) {
  // the sandbox's Vite servers in this process set NODE_ENV=development; a merchant's shell has none
  const env = { ...base };
  delete env.NODE_ENV;
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...env, PUPPETEER_SKIP_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', FORCE_COLOR: '0' },
  });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} in ${path.basename(cwd)}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** A fresh app from the template with README's App in it, installed; returns its folder. */
function scaffold(work, { name, fence, app, entry }) {
  const dir = path.join(work, name);
  cpSync(path.join(root, 'node_modules/create-vite', `template-${name}`), dir, { recursive: true });
  renameSync(path.join(dir, '_gitignore'), path.join(dir, '.gitignore')); // as create-vite does
  writeFileSync(path.join(dir, app), snippet(FRAMEWORKS, fence));
  cpSync(path.join(root, 'test/snippets', name, path.basename(entry)), path.join(dir, entry));
  installLocked(dir, name);
  return dir;
}

/** @facesign/verify from `npm pack`, everything else from the app's committed lockfile (made anew with UPDATE). */
function installLocked(dir, name, env) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  (pkg.dependencies ??= {})['@facesign/verify'] = 'file:../facesign-verify.tgz';
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const lock = path.join(root, 'test/snippets', name, 'package-lock.json');
  if (UPDATE || !existsSync(lock)) {
    mkdirSync(path.dirname(lock), { recursive: true });
    sh('npm', ['install', '--no-audit', '--no-fund'], dir, env);
    // our own package changes with every build: lock everything else
    const l = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
    delete l.packages['node_modules/@facesign/verify'].integrity;
    writeFileSync(lock, JSON.stringify(l, null, 2) + '\n');
  } else {
    cpSync(lock, path.join(dir, 'package-lock.json'));
    sh('npm', ['ci', '--no-audit', '--no-fund'], dir, env);
  }
}

/** A scratch folder holding this build as `npm pack` makes it (facesign-verify.tgz), as an app installs it. */
function packed() {
  if (!existsSync(path.join(root, 'dist/index.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  const work = mkdtempSync(path.join(tmpdir(), 'facesign-snippets-'));
  const out = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
  renameSync(path.join(work, out[0].filename), path.join(work, 'facesign-verify.tgz'));
  return work;
}

describe("README's TypeScript module in create-vite's vanilla-ts template", () => {
  let work;
  before(() => (work = packed()));
  after(() => work && rmSync(work, { recursive: true, force: true }));

  // a new user's first TypeScript page: the template's own strict tsconfig (noUnusedLocals too) and build script
  it("type-checks under strict with the template's tsc, and builds with vite build", () => {
    const dir = path.join(work, 'vanilla-ts');
    cpSync(path.join(root, 'node_modules/create-vite/template-vanilla-ts'), dir, { recursive: true });
    renameSync(path.join(dir, '_gitignore'), path.join(dir, '.gitignore'));
    writeFileSync(path.join(dir, 'src/main.ts'), snippet(README, 'ts src/main.ts'));
    installLocked(dir, 'vanilla-ts');
    // strict: the template's TypeScript (7) is strict unless its tsconfig says otherwise, and it does not
    assert.match(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.typescript, /^~?[7-9]\./);
    assert.doesNotMatch(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'), /"strict\w*"\s*:\s*false/);
    sh('npm', ['run', 'build'], dir); // "tsc && vite build"
    assert.ok(readdirSync(path.join(dir, 'dist/assets')).some((f) => f.endsWith('.js')));
  });
});

describe("The guide's snippets in fresh apps (React and Vue with create-vite, Angular, SvelteKit, Next.js, Nuxt, the script-tag page)", () => {
  let work;
  let sb;
  let browser;
  before(async () => {
    work = packed();
    sb = await sandbox();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await sb?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // issue 20: "Using the element" began with `import '@facesign/verify'`, which a page with only the script tag
  // cannot resolve; README's whole page runs as pasted, with the pinned tag and its integrity hash
  it('the script-tag page (index.html) runs as pasted: verify, close, verify again, one secret per element', async () => {
    const dir = path.join(work, 'html');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'index.html'), snippet(README, 'html index.html'));
    const server = await staticWithApi(dir, sb.demoUrl);
    const page = await browser.newPage();
    try {
      const { problems } = watchPage(page, sb);
      // the pinned CDN URL answers with this build (no network here), and so do its parts beside it; the browser
      // still checks README's hash, and the parts' hashes inside the script
      let served = 0;
      await page.route(/^https:\/\/cdn\.jsdelivr\.net\/npm\/@facesign\/verify@[^/]+\/dist\/(facesign-verify\.[a-z.]+\.js)$/, (route) => {
        const file = /(facesign-verify\.[a-z.]+\.js)$/.exec(route.request().url())[1];
        if (file === 'facesign-verify.iife.js') served++;
        const body = readFileSync(path.join(root, 'dist', file));
        return route.fulfill({ body, contentType: 'text/javascript', headers: { 'access-control-allow-origin': '*' } });
      });
      await page.addInitScript(RECORD);
      await page.goto(server.url);
      assert.equal(served, 1);
      const first = await verifyOnce(page, sb);
      await closeVerification(page);
      await verifyAgain(page, sb, first);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
      await server.close();
    }
  });

  for (const template of TEMPLATES) {
    describe(template.name, () => {
      let dir;
      before(() => {
        dir = scaffold(work, template);
      });

      it("type-checks and builds with the template's own build script", () => {
        const out = sh('npm', ['run', 'build'], dir);
        assert.match(out, template.name === 'react-ts' ? /tsc -b && vite build/ : /vue-tsc -b && vite build/);
        assert.ok(existsSync(path.join(dir, 'dist/index.html')));
      });

      // issue 21: what a page loads at first holds none of the on-demand code, which the app's bundler split off
      // into chunks of their own; in the running app another language's texts arrive from theirs
      it('the initial chunks hold neither the translations nor the redirect; they load on demand', async () => {
        const assets = path.join(dir, 'dist/assets');
        const html = readFileSync(path.join(dir, 'dist/index.html'), 'utf8');
        const initial = new Set();
        const visit = (file) => {
          if (initial.has(file)) return;
          initial.add(file);
          const code = readFileSync(path.join(assets, file), 'utf8');
          // static imports only (`from"./x.js"`, `import"./x.js"`), never `import("./x.js")`
          for (const m of code.matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) visit(m[1]);
        };
        for (const m of html.matchAll(/(?:src|href)="\/assets\/([\w.-]+\.js)"/g)) visit(m[1]);
        assert.ok(initial.size > 0, 'the entry chunk');
        const all = readdirSync(assets).filter((f) => f.endsWith('.js'));
        const holding = (text) => all.filter((f) => readFileSync(path.join(assets, f), 'utf8').includes(text));
        for (const [what, text] of [
          ['the translations', 'Verificación de identidad FaceSign'],
          ["the redirect's leaving half", 'return_url'],
        ]) {
          const files = holding(text);
          assert.equal(files.length, 1, `${what}: in one chunk`);
          assert.ok(!initial.has(files[0]), `${what}: not in an initial chunk (${[...initial].join(', ')})`);
        }
        const server = await vitePreview(dir, sb);
        const page = await browser.newPage();
        try {
          await page.goto(server.url);
          const texts = await page.evaluate(async () => {
            const el = document.createElement('facesign-verify');
            el.lang = 'es';
            // a secret that cannot be one: the error cover, in Spanish once its texts arrived
            el.setAttribute('client-secret', 'sk_test_not_a_client_secret');
            document.body.append(el);
            for (let i = 0; i < 100 && !/verificación/.test(el.shadowRoot?.textContent ?? ''); i++) await new Promise((r) => setTimeout(r, 50));
            return el.shadowRoot.textContent.trim();
          });
          assert.match(texts, /verificación/);
          assert.doesNotMatch(texts, /Verification/);
        } finally {
          await page.close();
          await server.close();
        }
      });

      it('runs against the sandbox: verify, close, an unrelated re-render, verify again', async () => {
        const server = await vitePreview(dir, sb);
        try {
          await verifyAndRerender(browser, sb, server.url);
        } finally {
          await server.close();
        }
      });
    });
  }

  // apps from the frameworks' own generators at pinned versions (run each time; their installs are locked)
  for (const app of GENERATED) {
    describe(app.name, () => {
      let dir;
      before(() => {
        dir = app.generate(work);
        writeFileSync(path.join(dir, app.snippet.to), snippet(FRAMEWORKS, app.snippet.fence));
        for (const f of app.drop ?? []) rmSync(path.join(dir, f), { force: true });
        for (const f of app.glue ?? []) cpSync(path.join(root, 'test/snippets', app.name, path.basename(f)), path.join(dir, f));
        installLocked(dir, app.name, app.env(sb));
      });

      it(`type-checks and builds with the framework's own tools (${app.build.map((c) => c.join(' ')).join(', ')})`, () => {
        for (const [cmd, ...args] of app.build) sh(cmd, args, dir, app.env(sb));
      });

      it(`runs against the sandbox: ${app.ssr ? 'server-rendered without a secret, hydrated, ' : ''}verify, close, an unrelated re-render, verify again`, async () => {
        const server = await app.serve(dir, sb);
        try {
          if (app.ssr) {
            // what the server sends: the element, waiting, and no secret anywhere
            const html = await (await fetch(server.url)).text();
            assert.match(html, app.ssr);
            assert.doesNotMatch(html, /client_?secret|fs_client|sk_test/i);
          }
          await verifyAndRerender(browser, sb, server.url, { ssr: !!app.ssr });
        } finally {
          await server.close();
        }
      });
    });
  }
});

/** README's app: "Verify my identity", the modal, the greeting flow to the end; resolves with the session id once
 * the merchant backend has the complete result from the signed webhook. */
async function verifyOnce(page, sb) {
  // the app's own origin, as its merchant allows its site to embed the hosted page
  allowEmbed(sb, new URL(page.url()).origin);
  const frame = page.frameLocator('facesign-verify iframe');
  await page.getByRole('button', { name: 'Verify my identity' }).click();
  await frame.getByRole('button', { name: 'Start verification' }).click();
  await frame.getByRole('textbox').fill('Ada Lovelace');
  await layoutSettled(page);
  await frame.getByRole('button', { name: 'Send' }).click();
  await frame.getByText('Verification complete.').waitFor();
  await page.getByText('Thank you! We are confirming your verification.').waitFor();
  assert.equal(await page.locator('facesign-verify').evaluate((e) => e.shadowRoot.querySelector('dialog').matches(':modal')), true);
  const complete = (await events(page)).findLast((e) => e.type === 'facesign-complete');
  const id = complete.detail.sessionId;
  for (let i = 0; sb.backend.store.get(id)?.status !== 'complete'; i++) {
    assert.ok(i < 150, `the backend confirms ${id} (is ${sb.backend.store.get(id)?.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return id;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain',
};

/** A merchant's plain web server: the files in `dir`, and /api passed on to the sandbox's merchant backend. */
async function staticWithApi(dir, backend) {
  const server = createServer(async (req, res) => {
    try {
      if (req.url.startsWith('/api/')) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const r = await fetch(new URL(req.url, backend), {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        return res
          .writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' })
          .end(Buffer.from(await r.arrayBuffer()));
      }
      const url = new URL(req.url, 'http://localhost').pathname;
      let file = path.join(dir, path.normalize(url));
      if (!file.startsWith(dir)) return res.writeHead(404).end();
      // a single-page app: any other path is its index.html
      if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(dir, 'index.html');
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise((r) => server.listen(0, 'localhost', r));
  return { url: `http://localhost:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * A built app in Chromium against the sandbox, as a user would: a verification to the server-confirmed result, the
 * close button, an unrelated re-render (the app's "re-rendered N" button), a second verification; no console error
 * or warning, the hosted page loaded once per verification, the exact event sequence.
 */
async function verifyAndRerender(browser, sb, url, { ssr = false } = {}) {
  const page = await browser.newPage();
  try {
    const { problems, hostedLoads } = watchPage(page, sb);
    await page.addInitScript(RECORD);
    await page.goto(url);
    // a server-rendered page's button works once the framework hydrated it, which can come after `load` (SvelteKit
    // starts from dynamic imports): a click before it reached no handler and the test waited 30 s for nothing
    // (seen once in CI); the test's glue marks the moment
    if (ssr) await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const first = await verifyOnce(page, sb);
    // nothing turned on that the app did not ask for: a server-rendered debug="false" attribute reads as true
    const el = page.locator('facesign-verify');
    assert.deepEqual(
      await el.evaluate((e) => ({
        debug: e.debug,
        mode: e.mode,
        falseAttributes: [...e.attributes].filter((a) => a.value === 'false').map((a) => a.name),
      })),
      { debug: false, mode: 'modal', falseAttributes: [] },
    );
    const dialogOpen = () => el.evaluate((e) => e.shadowRoot.querySelector('dialog')?.open ?? false);
    await closeVerification(page);
    assert.equal(await dialogOpen(), false);
    const seen = (await events(page)).length;

    await page.getByRole('button', { name: /^re-rendered/ }).click();
    await page.getByRole('button', { name: 're-rendered 1' }).waitFor();
    await el.evaluate((e) => e.updateComplete);
    assert.equal(await dialogOpen(), false, 'an unrelated re-render does not reopen the finished verification');
    assert.equal(await el.locator('iframe').count(), 0);
    assert.equal(hostedLoads.length, 1, 'the hosted page is not loaded again');
    assert.deepEqual((await events(page)).slice(seen), []);

    await verifyAgain(page, sb, first);
    assert.equal(hostedLoads.length, 2);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
}

/** From now on: uncaught errors and console errors or warnings (`problems`), and the hosted page's loads. */
function watchPage(page, sb) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => ['error', 'warning'].includes(m.type()) && problems.push(`${m.type()}: ${m.text()} (${m.location().url})`));
  const hostedLoads = [];
  page.on('request', (r) => r.isNavigationRequest() && r.url().startsWith(sb.verifyUrl) && hostedLoads.push(r.url()));
  return { problems, hostedLoads };
}

/** The modal's close button: facesign-close, then the closed session's iframe gone (it lingers hidden for up to a
 * second so the page hears `close`). */
async function closeVerification(page) {
  await page.getByRole('button', { name: 'Close verification' }).click();
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'facesign-close'));
  await page.locator('facesign-verify iframe').waitFor({ state: 'detached' });
}

/** A second verification after the first and its close: another session, still one element (hydrated in place),
 * and the whole page's events in order. */
async function verifyAgain(page, sb, first) {
  const second = await verifyOnce(page, sb);
  assert.notEqual(second, first);
  assert.equal(await page.locator('facesign-verify').count(), 1, 'one element, hydrated in place');
  assert.deepEqual(
    (await events(page)).map((e) => e.type.replace('facesign-', '')).filter((t) => !['step', 'close-request'].includes(t)),
    ['ready', 'start', 'complete', 'close', 'ready', 'start', 'complete'],
  );
}
