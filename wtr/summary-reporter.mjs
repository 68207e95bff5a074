import { writeSync } from 'node:fs';

// Prints "wtr: N passed, N failed[, N skipped]" as the very last line, on process exit: wtr's dynamic
// terminal output would erase a line written earlier. A file that fails to load counts as failed.
export function summaryReporter() {
  let line = null;
  process.once('exit', () => {
    if (line) writeSync(1, `\n${line}\n`);
  });
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0,
        failed = 0,
        skipped = 0;
      const walk = (suite) => {
        if (!suite) return;
        for (const t of suite.tests ?? []) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        for (const s of suite.suites ?? []) walk(s);
      };
      const perBrowser = new Map();
      for (const s of sessions) {
        const before = passed;
        walk(s.testResults);
        if (!s.passed && (s.errors?.length ?? 0) > 0) failed += s.errors.length;
        const name = s.browser?.name ?? 'browser';
        perBrowser.set(name, (perBrowser.get(name) ?? 0) + passed - before);
      }
      const each = [...perBrowser].map(([n, p]) => `${n} ${p}`).join(', ');
      line = `wtr: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''} (passed per engine: ${each})`;
    },
  };
}
