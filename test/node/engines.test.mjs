// `npm test` on a machine whose browser is there but does not run (a snap stub, a broken install, a file that is
// not executable, a wrapper that hangs): each engine is started once first (wtr/browsers.mjs, probeEngines), so
// the run ends in seconds with one line, instead of a stack trace per test file for minutes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const VARS = { chromium: 'CHROME_PATH', firefox: 'FIREFOX_PATH', webkit: 'WEBKIT_PATH' };

let dir;
let n = 0;
/** A stand-in for an engine's binary: a file that is not executable, or a script that never answers. */
function brokenEngine(kind) {
  const file = path.join(dir, `engine-${n++}`);
  if (kind === 'not executable') writeFileSync(file, 'not a program\n');
  else {
    // a marker only this script's sleep has, to find it if it were left running
    writeFileSync(file, `#!/bin/sh\nsleep ${600 + n}\n`);
    chmodSync(file, 0o755);
  }
  return { file, marker: `sleep ${600 + n}` };
}

/** `node scripts/test-all.mjs args` with `vars`: its exit code, output and how long it took. */
function npmTest(args, vars) {
  const env = { ...process.env };
  // this file runs inside npm test (and CI): the run under test gets only what the test gives it
  delete env.CI;
  delete env.FACESIGN_ENGINES;
  Object.assign(env, vars);
  const started = Date.now();
  return new Promise((resolve) => {
    execFile('node', ['scripts/test-all.mjs', ...args], { cwd: root, env, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (err.code ?? 1) : 0, out: stdout + stderr, ms: Date.now() - started, killed: !!err?.killed }),
    );
  });
}

const stillRunning = (marker) => new Promise((resolve) => execFile('pgrep', ['-f', marker], (err, stdout) => resolve(err ? '' : stdout.trim())));

describe('npm test with a browser that does not run', () => {
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'facesign-engines-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const kind of ['not executable', 'hangs']) {
    it(`Chromium that ${kind === 'hangs' ? 'hangs' : 'is not executable'}: one line with the install command, exit 1 within seconds, nothing left running`, async () => {
      const engine = brokenEngine(kind);
      const r = await npmTest([], { CHROME_PATH: engine.file });
      assert.equal(r.killed, false, 'it ended by itself');
      assert.equal(r.code, 1);
      const lines = r.out.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, r.out);
      assert.match(
        lines[0],
        new RegExp(`needs a Chromium-family browser .*that runs, and ${engine.file} (cannot be started \\(EACCES\\)|did not answer)`),
      );
      assert.match(lines[0], /apt-get install chromium/);
      // the probe gives up after 5 s; the rest is node starting
      console.log(`  chromium ${kind}: exit 1 after ${r.ms} ms`);
      assert.ok(r.ms < 30_000, `${r.ms} ms`);
      assert.equal(await stillRunning(engine.marker), '');
    });

    for (const engine of ['firefox', 'webkit'])
      it(`${engine} that ${kind === 'hangs' ? 'hangs' : 'is not executable'}: a named skip, and a failure with CI set`, async () => {
        const broken = brokenEngine(kind);
        const vars = { [VARS[engine]]: broken.file };
        const r = await npmTest(['--engines-only'], vars);
        assert.equal(r.code, 0, r.out);
        assert.match(r.out, new RegExp(`^engine ${engine}: ${broken.file} .*it does not run, skipped\\. To install: `, 'm'));
        const used = /^engines: (.*)$/m.exec(r.out)?.[1].split(',');
        assert.ok(used?.includes('chromium') && !used.includes(engine), r.out);
        const ci = await npmTest(['--engines-only'], { ...vars, CI: 'true' });
        assert.equal(ci.code, 1, ci.out);
        assert.match(ci.out, new RegExp(`^CI runs every engine; missing: ${engine}$`, 'm'));
        assert.ok(r.ms < 30_000 && ci.ms < 30_000, `${r.ms} / ${ci.ms} ms`);
        assert.equal(await stillRunning(broken.marker), '');
      });
  }
});
