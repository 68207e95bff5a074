// The project's own install (`npm ci`): npm 11 runs no dependency's install script unless package.json's
// allowScripts names it, and warns about every one it skipped unreviewed. Each is decided here, so the install
// prints no warning, and a new one (a dependency added or updated) fails this test until someone decides it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f) => JSON.parse(readFileSync(path.join(root, f), 'utf8'));

describe("the project's own install", () => {
  it('every dependency with an install script is approved or denied in allowScripts (no install-scripts warning)', () => {
    const { allowScripts = {} } = read('package.json');
    const withScripts = Object.entries(read('package-lock.json').packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
    assert.ok(withScripts.length > 0, 'the lockfile marks packages with install scripts (hasInstallScript)');
    const undecided = withScripts.filter((name) => typeof allowScripts[name] !== 'boolean');
    assert.deepEqual(undecided, [], `decide each in package.json's allowScripts: npm install-scripts approve|deny <name>`);
    const stale = Object.keys(allowScripts).filter((name) => !withScripts.includes(name));
    assert.deepEqual(stale, [], 'allowScripts names only packages that have an install script (npm install-scripts prune)');
  });
});
