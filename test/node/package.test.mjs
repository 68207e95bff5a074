// The published package, as a user gets it: `npm pack`, unpacked into a scratch project's node_modules, then
// imported in Node (no DOM), type-checked with skipLibCheck off, bundled with Vite, and linted with publint and
// @arethetypeswrong/cli. The scratch project lives under test-results/ so its other dependencies (lit, react,
// vue, typescript) resolve from this repository's node_modules without a second install.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const scratch = path.join(root, 'test-results/pack');
const pkgDir = path.join(scratch, 'node_modules/@facesign/verify');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const ENTRIES = [
  '@facesign/verify',
  '@facesign/verify/element',
  '@facesign/verify/frame',
  '@facesign/verify/react',
  '@facesign/verify/vue',
  '@facesign/verify/server',
];

/** Every file a built entry loads (relative imports followed), and the bare specifiers it imports. */
function graph(entry) {
  const files = new Set();
  const bare = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|[;\s])(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["']/g))
      spec.startsWith('.') ? visit(path.resolve(path.dirname(file), spec)) : bare.add(spec);
  };
  visit(path.join(pkgDir, entry));
  return { files: [...files].map((f) => path.relative(pkgDir, f)), bare: [...bare] };
}
let tarball;

describe('the npm package', () => {
  before(() => {
    if (!existsSync(path.join(root, 'dist/index.js')) || !existsSync(path.join(root, 'custom-elements.json')))
      execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(pkgDir, { recursive: true });
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' });
    tarball = path.join(scratch, JSON.parse(out)[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-consumer', private: true, type: 'module' }));
  });

  it('ships only what users need', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts') && files.includes('dist/facesign-verify.iife.js'));
    assert.ok(files.includes('custom-elements.json') && files.includes('README.md') && files.includes('LICENSE'));
    assert.deepEqual(
      files.filter(
        (f) => !/^(dist\/(development\/)?([\w-]+\/){0,2}[\w.-]+\.(js|d\.ts)|custom-elements\.json|README\.md|LICENSE|package\.json)$/.test(f),
      ),
      [],
    );
    const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'custom-elements.json'), 'utf8'));
    const el = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement);
    assert.equal(el.tagName, 'facesign-verify');
    assert.ok(el.attributes.some((a) => a.name === 'client-secret'));
    // per-element settings are attributes; test hooks and internals are not public
    for (const a of ['load-timeout', 'refresh-timeout', 'refresh-retries', 'refresh-retry-delay'])
      assert.ok(
        el.attributes.some((x) => x.name === a),
        a,
      );
    const members = el.members.map((m) => m.name);
    for (const hidden of ['now', 'readInputs', 'readSecret', 'refreshSettings', 'requestClose', 'resizeFrame', 'log'])
      assert.ok(!members.includes(hidden), `${hidden} is not in custom-elements.json`);
    assert.ok(el.events.some((e) => e.name === 'facesign-complete' && /FaceSignCompleteDetail/.test(e.type.text)));
  });

  it('the development condition resolves every browser entry to its development build; the default is production', () => {
    const where = (conditions) =>
      spawnSync(
        process.execPath,
        [
          ...conditions,
          '--input-type=module',
          '-e',
          `for (const e of ${JSON.stringify(ENTRIES.filter((e) => !e.endsWith('/server')))}) console.log(import.meta.resolve(e).replace(/^.*\\/node_modules\\/@facesign\\/verify\\//, ''))`,
        ],
        { cwd: scratch, encoding: 'utf8' },
      )
        .stdout.trim()
        .split('\n');
    const prod = where([]);
    const dev = where(['--conditions=development']);
    assert.ok(prod.length >= 5 && prod.every((f) => /^dist\/[\w-]+\.js$/.test(f)), prod.join());
    assert.deepEqual(
      dev,
      prod.map((f) => f.replace(/^dist\//, 'dist/development/')),
    );
    for (const f of dev) assert.ok(existsSync(path.join(pkgDir, f)), f);
    // the production files carry none of the development build's texts
    assert.ok(!readFileSync(path.join(pkgDir, 'dist/base/client-secret.js'), 'utf8').includes('from your server'));
    assert.ok(readFileSync(path.join(pkgDir, 'dist/development/base/client-secret.js'), 'utf8').includes('from your server'));
    assert.ok(existsSync(path.join(pkgDir, 'dist/facesign-verify.dev.iife.js')));
  });

  for (const entry of ENTRIES) {
    for (const conditions of [[], ['--conditions=development']])
      it(`imports ${entry} in Node without a DOM${conditions.length ? ' (development)' : ''}`, () => {
        const r = spawnSync(
          process.execPath,
          [
            ...conditions,
            '--input-type=module',
            '-e',
            `const m = await import(${JSON.stringify(entry)}); if (!Object.keys(m).length) process.exit(3);`,
          ],
          { cwd: scratch, encoding: 'utf8' },
        );
        assert.equal(r.status, 0, r.stderr);
      });
  }

  it('the server entry imports no node: module and nothing from the browser code; no browser entry reaches it', async () => {
    const server = graph('dist/server.js');
    assert.deepEqual(server.bare, [], 'fetch and Web Crypto only: no node:, no dependency');
    assert.ok(server.files.includes('dist/server/webhooks.js'));
    assert.deepEqual(
      server.files.filter((f) => !/^dist\/(server\.js|server\/|version\.js)/.test(f)),
      [],
    );
    for (const entry of ['dist/index.js', 'dist/element.js', 'dist/frame.js', 'dist/react.js', 'dist/vue.js', 'dist/facesign-verify.iife.js'])
      assert.deepEqual(
        graph(entry).files.filter((f) => f.startsWith('dist/server')),
        [],
        entry,
      );
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const { FaceSign } = await import('@facesign/verify/server'); new FaceSign({ apiKey: 'sk_test_pack' }); console.log(typeof FaceSign)",
      ],
      { cwd: scratch, encoding: 'utf8' },
    );
    assert.equal(r.stdout.trim(), 'function', r.stderr);
  });

  it('the React wrapper renders on the server (SSR): the bare tag, upgraded later in the browser', () => {
    const script = `import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { FaceSignVerify } from '@facesign/verify/react';
process.stdout.write(renderToString(createElement(FaceSignVerify, { clientSecret: 'fs_client_secret_x', mode: 'modal' })));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: scratch, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^<facesign-verify[ >]/);
    assert.doesNotMatch(r.stdout, /fs_client_secret_x/, 'the secret is a property, never rendered into HTML');
  });

  it('type-checks a consumer with skipLibCheck off', () => {
    writeFileSync(
      path.join(scratch, 'consumer.tsx'),
      `/// <reference types="@facesign/verify/iife" />
import { verify, FaceSignError, type FaceSignCompleteDetail } from '@facesign/verify';
import { FaceSignVerifyElement } from '@facesign/verify/element';
import { connectToHost } from '@facesign/verify/frame';
import { FaceSignVerify } from '@facesign/verify/react';
import { FaceSignVerify as VueVerify } from '@facesign/verify/vue';
import { FaceSign, FaceSignAPIError, type FaceSignWebhookEvent } from '@facesign/verify/server';
const fs = new FaceSign({ apiKey: 'sk_test_x' });
void fs.sessions.create({ clientReferenceId: 'u', flow: [{ id: 's', type: 'start', outcome: 'e' }, { id: 'e', type: 'end' }] }).then(({ clientSecret }) => clientSecret.expireAt);
export const onEvent = (e: FaceSignWebhookEvent) => (e.type === 'session.completed' ? e.data.session.report?.isVerified : undefined);
export const isRateLimit = (e: unknown) => e instanceof FaceSignAPIError && e.type === 'rate_limit_error' && e.retryAfter;
FaceSignVerifyElement.define('my-verify');
const el = document.createElement('facesign-verify');
el.addEventListener('facesign-complete', (e) => { const d: FaceSignCompleteDetail = e.detail; void d.sessionId; });
void verify({ clientSecret: 'fs_client_secret_x' }).catch((e: FaceSignError) => e.code);
void connectToHost;
export const a = <FaceSignVerify clientSecret="fs_client_secret_x" onComplete={(e) => e.detail.sessionId} />;
export const b = VueVerify;
// the script-tag build's global
void window.FaceSign.verify({ clientSecret: 'fs_client_secret_x' }).then((r) => r.status);
`,
    );
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          jsx: 'react-jsx',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: [],
        },
        files: ['consumer.tsx'],
      }),
    );
    const r = spawnSync(bin('tsc'), ['-p', scratch], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('bundles a consumer with Vite', async () => {
    const app = path.join(scratch, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(path.join(app, 'index.html'), '<!doctype html><facesign-verify></facesign-verify><script type="module" src="./main.js"></script>');
    writeFileSync(
      path.join(app, 'main.js'),
      "import { verify } from '@facesign/verify';\nwindow.go = () => verify({ clientSecret: 'fs_client_secret_x' });\n",
    );
    const { build } = await import('vite');
    await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir: path.join(app, 'dist'), emptyOutDir: true } });
    const js = readdirSync(path.join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
    // the entry, and the five parts loaded on demand (README, "What loads on demand") split off by Vite
    const entry = /src="\/assets\/([\w.-]+\.js)"/.exec(readFileSync(path.join(app, 'dist/index.html'), 'utf8'))?.[1];
    assert.ok(entry && js.includes(entry), js.join());
    assert.equal(js.length, 6, js.join());
    const code = readFileSync(path.join(app, 'dist/assets', entry), 'utf8');
    assert.match(code, /facesign-verify/);
    // continuing on the phone (its screens, texts and QR encoder) is a chunk of its own, not in the entry
    assert.ok(
      js.some((f) => f.startsWith('handoff-ui')),
      js.join(),
    );
    assert.doesNotMatch(code, /Scan this code with your phone|phoneScanTitle/);
    // so is the secret's refresh, loaded once a page with a refresh set is ready
    assert.ok(
      js.some((f) => f.startsWith('secret-refresh')),
      js.join(),
    );
    assert.doesNotMatch(code, /Retry-After|refresh-url answered/i);
    // the hosted-page side and the wrappers are not pulled into an app that does not use them
    assert.doesNotMatch(code, /connectToHost|__reactProps|defineComponent/);
  });

  it('passes publint', () => {
    const r = spawnSync(bin('publint'), ['run', pkgDir, '--strict'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('passes @arethetypeswrong/cli (ESM-only profile)', () => {
    const r = spawnSync(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
