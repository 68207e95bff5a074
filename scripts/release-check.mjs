// `npm run release:check`: what must hold before `npm publish`, each check printed with its figure. The build,
// the size budgets, README's pinned script tag (this version, this build's SRI hash: `npm run sri` writes both),
// the packed file list (every export target there; no sources, tests, demo or source maps), publint --strict,
// @arethetypeswrong/cli, and the pending changesets. `--no-build` uses dist/ as it is (npm test builds first).
// Exits 1 when any check fails; CI runs it through npm test.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const results = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, ...opts });
  // eslint-disable-next-line no-control-regex -- colour codes some tools print whatever FORCE_COLOR says
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').trim() };
}

function check(name, fn) {
  let problem;
  try {
    problem = fn();
  } catch (e) {
    problem = e.message;
  }
  results.push([name, problem]);
  console.log(`${problem ? 'FAIL' : 'ok  '} ${name}${problem ? `\n     ${String(problem).replace(/\n/g, '\n     ')}` : ''}`);
}

if (!process.argv.includes('--no-build')) check('build', () => (run('npm', ['run', '-s', 'build']).ok ? '' : 'npm run build failed'));

check('size budgets (scripts/size.mjs)', () => {
  const r = run('node', ['scripts/size.mjs']);
  return r.ok
    ? ''
    : r.out
        .split('\n')
        .filter((l) => l.startsWith('OVER'))
        .join('\n') || r.out;
});

check(`README's pinned script tags: @${pkg.version} and this build's integrity hash`, () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  // every pinned tag: Install's, and the whole page in "The element"
  const re = /<script src="https:\/\/cdn\.jsdelivr\.net\/npm\/@facesign\/verify@([^/"]+)\/dist\/facesign-verify\.iife\.js" integrity="([^"]*)"/g;
  const tags = [...readme.matchAll(re)];
  if (!tags.length) return 'README has no pinned <script> tag with an integrity attribute';
  const hash = `sha384-${createHash('sha384')
    .update(readFileSync(path.join(root, 'dist/facesign-verify.iife.js')))
    .digest('base64')}`;
  const wrong = [];
  for (const [, version, integrity] of tags) {
    if (version !== pkg.version) wrong.push(`version ${version}, package.json says ${pkg.version}`);
    if (integrity !== hash) wrong.push(`integrity ${integrity}, the build's is ${hash}`);
  }
  console.log(`     ${tags.length} tags`);
  return wrong.length ? `${wrong.join('; ')}: run npm run sri` : '';
});

const work = mkdtempSync(path.join(tmpdir(), 'facesign-release-'));
let tarball;
check('the packed files: every export target, LICENSE, README, the manifest; no sources, tests, demo or maps', () => {
  const r = run('npm', ['pack', '--json', '--pack-destination', work]);
  if (!r.ok) return r.out;
  const packed = JSON.parse(r.out.slice(r.out.indexOf('[')))[0];
  tarball = path.join(work, packed.filename);
  const files = packed.files.map((f) => f.path);
  const targets = new Set();
  const walk = (v) => (typeof v === 'string' ? targets.add(v.replace(/^\.\//, '')) : v && Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const k of ['main', 'module', 'types', 'unpkg', 'jsdelivr']) walk(pkg[k]);
  const missing = [...targets, 'LICENSE', 'README.md', 'package.json', 'custom-elements.json'].filter((t) => !files.includes(t));
  const unwanted = files.filter((f) => /^(src|test|demo|bench|scripts|wtr|docs|node_modules)\/|\.map$|\.test\.|\.tsbuildinfo$/.test(f));
  const wrong = [];
  if (missing.length) wrong.push(`missing: ${missing.join(', ')}`);
  if (unwanted.length) wrong.push(`not meant to ship: ${unwanted.join(', ')}`);
  console.log(`     ${files.length} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`);
  return wrong.join('\n');
});

check('publint --strict', () => {
  const r = run(bin('publint'), ['run', '--strict', '--pack', 'npm']);
  return r.ok && !/\b(error|warning)\b/i.test(r.out) ? '' : r.out;
});

check('@arethetypeswrong/cli (ESM-only profile)', () => {
  if (!tarball) return 'no tarball';
  const r = run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
  return r.ok ? '' : r.out;
});

check('changesets: the pending ones are valid', () => {
  const r = run(bin('changeset'), ['status']);
  if (!r.ok) return r.out;
  const bump = /Packages to be bumped at (\w+)/.exec(r.out)?.[1];
  console.log(`     ${bump ? `the next release is a ${bump} one` : 'no pending changeset'}`);
  return '';
});

rmSync(work, { recursive: true, force: true });
const failed = results.filter(([, p]) => p).length;
console.log(`release:check ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
