// `npm test`: every runner in turn — typecheck, lint, build, size, Node tests (API simulator, package), browser tests (wtr),
// end-to-end (Playwright on the sandbox). Each runner's own output streams through; the last line sums them all
// as "N passed, N failed" (a check without a test count, like the typecheck, counts as one).
// Runs every step even after a failure, so one run shows everything that is broken; exits 1 if anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { INSTALL, probeEngines } from '../wtr/browsers.mjs';

// the browser engines here, each started once, before anything runs: one clear line instead of a stack trace per
// test file, and seconds, not minutes, when one is there but does not run. `--engines-only` stops after this.
const { found, present, wanted, broken } = await probeEngines();
const missing = wanted.filter((e) => !found[e]);
// the end-to-end tests drive Chromium (playwright-core), so it is needed whatever FACESIGN_ENGINES says
if (!present.chromium) {
  console.log(
    `npm test needs a Chromium-family browser (Chromium, Chrome or Edge) that runs, and ${broken.chromium ? `${broken.chromium}` : 'found none'}: ${INSTALL.chromium}`,
  );
  process.exit(1);
}
for (const e of missing) console.log(`engine ${e}: ${broken[e] ? `${broken[e]}: it does not run` : 'not found'}, skipped. To install: ${INSTALL[e]}`);
if (process.env.CI && missing.length) {
  console.log(`CI runs every engine; missing: ${missing.join(', ')}`);
  process.exit(1);
}
if (process.argv.includes('--engines-only')) {
  console.log(`engines: ${Object.keys(found).join(',')}`);
  process.exit(0);
}
// WebKitGTK has no headless mode: without a display it runs under a virtual one
const xvfb = found.webkit && !process.env.DISPLAY && spawnSync('xvfb-run', ['--help']).error === undefined;
if (found.webkit && !process.env.DISPLAY && !xvfb) {
  console.log(`engine webkit: no display and no xvfb-run, skipped. To install: ${INSTALL.webkit}`);
  delete found.webkit;
}
const engines = Object.keys(found).join(',');
console.log(`engines: ${engines}`);

const nodeFiles = ['test/node', 'test/e2e'].flatMap((dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.test.mjs'))
        .sort()
        .map((f) => `${dir}/${f}`)
    : [],
);

const steps = [
  { name: 'typecheck', cmd: 'npx', args: ['tsc', '--noEmit', '-p', '.'] },
  // ESLint (typescript-eslint, lit, wc), lit-analyzer --strict, Prettier --check
  { name: 'lint', cmd: 'npm', args: ['run', '-s', 'lint'] },
  { name: 'build', cmd: 'npm', args: ['run', '-s', 'build'] },
  // what must hold before publishing (scripts/release-check.mjs): the size budgets (regression guards), README's
  // pinned tag, the packed files, publint, attw, the pending changesets; exits 1 when one fails
  { name: 'release', cmd: 'npm', args: ['run', '-s', 'release:check', '--', '--no-build'] },
  // Node: the API simulator, the demo backend, the package, and end to end (Playwright on the sandbox); one file
  // at a time, since the e2e files each start a sandbox and a browser
  {
    name: 'node+e2e',
    // the WebKit end-to-end file needs a display, as the browser tests do
    cmd: xvfb ? 'xvfb-run' : 'node',
    args: [...(xvfb ? ['-a', 'node'] : []), '--test', '--test-concurrency=1', '--test-reporter=spec', ...nodeFiles],
    env: { FACESIGN_ENGINES: engines },
    summary: nodeSummary,
    failures: nodeFailures,
  },
  {
    name: 'wtr',
    cmd: xvfb ? 'xvfb-run' : 'npx',
    args: xvfb ? ['-a', 'npx', 'wtr'] : ['wtr'],
    // and the same tests on the development build (its warnings, its longer messages: test/browser/builds.test.ts)
    // in one more Chromium of the same run: the two builds differ in texts, not in engine-facing code
    env: { FACESIGN_ENGINES: engines, FACESIGN_DEV_CHROMIUM: '1' },
    summary: (out) => lastMatch(out, /^wtr: (\d+) passed, (\d+) failed/m),
    failures: wtrFailures,
  },
];

function lastMatch(out, re) {
  const all = [...out.matchAll(new RegExp(re.source, 'gm'))];
  const m = all.at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

function nodeSummary(out) {
  const pass = lastMatch(out, /^ℹ pass (\d+)()$/m);
  const fail = lastMatch(out, /^ℹ fail (\d+)()$/m);
  return pass && fail ? { passed: pass.passed, failed: fail.passed } : undefined;
}

/**
 * The spec reporter's closing list of failing tests with their errors, without the stack frames: printed again
 * next to the totals, since a CI log that keeps only its tail would otherwise show which test failed but not why.
 */
function nodeFailures(out) {
  const at = out.lastIndexOf('\u2716 failing tests:');
  if (at < 0) return '';
  const lines = out
    .slice(at)
    .split('\n')
    .filter((l) => !/^\s+at /.test(l));
  return lines.length > 150
    ? [...lines.slice(0, 150), `… ${lines.length - 150} more lines above, in the runner's output`].join('\n')
    : lines.join('\n');
}

/**
 * wtr's reporter prints a file's failing tests (a line with ❌, then the error) when the file ends, with the
 * progress bars redrawn between: the same, without colours, stack frames or repeats, next to the totals.
 */
function wtrFailures(out) {
  const lines = stripVTControlCharacters(out).split('\n');
  const blocks = new Set();
  lines.forEach((l, i) => {
    if (!l.includes('\u274c')) return;
    const block = [l.trim()];
    for (const next of lines.slice(i + 1, i + 12)) {
      if (!next.trim() || next.includes('\u274c') || /\|\s*\d+\/\d+ test files/.test(next)) break;
      if (!/^\s+at /.test(next)) block.push(`  ${next.trim()}`);
    }
    blocks.add(block.join('\n'));
  });
  return [...blocks].join('\n');
}

function run({ cmd, args, env }) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...env } });
    child.stdout.on('data', (d) => (process.stdout.write(d), (out += d)));
    child.stderr.on('data', (d) => (process.stderr.write(d), (out += d)));
    child.on('close', (code) => resolve({ code, out }));
  });
}

let passed = 0;
let failed = 0;
const lines = [];
const failures = [];
const t0 = Date.now();
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd} ${step.args.join(' ')}`);
  const s0 = Date.now();
  const { code, out } = await run(step);
  let r = step.summary?.(out);
  // a runner that exited non-zero must count as failed even when its counts look clean (crash, load error)
  if (!r) r = code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  else if (code !== 0 && r.failed === 0) r = { ...r, failed: 1 };
  passed += r.passed;
  failed += r.failed;
  const why = r.failed ? step.failures?.(out) : '';
  if (why) failures.push(`=== ${step.name}: what failed\n${why.trim()}`);
  lines.push(`${step.name.padEnd(10)} ${r.passed} passed, ${r.failed} failed (${((Date.now() - s0) / 1000).toFixed(1)}s, exit ${code})`);
}
if (failures.length) console.log(`\n${failures.join('\n\n')}`);
console.log(`\n${lines.join('\n')}\ntotal time ${((Date.now() - t0) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
