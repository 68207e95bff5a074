// The Angular and Svelte examples in README (examples/) are checked here: Angular's compiler type-checks the
// component and its template (strictTemplates), Svelte's compiles the component.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');

describe('framework examples', () => {
  it('Angular: the standalone component with CUSTOM_ELEMENTS_SCHEMA passes ngc with strictTemplates', () => {
    const r = spawnSync(path.join(root, 'node_modules/.bin/ngc'), ['-p', 'examples/angular/tsconfig.json'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('Svelte: the component compiles without warnings; props become properties, on: listens to the events', async () => {
    const { compile } = await import('svelte/compiler');
    const source = readFileSync(path.join(root, 'examples/svelte/Verify.svelte'), 'utf8');
    const out = compile(source, { filename: 'Verify.svelte', generate: 'client' });
    assert.deepEqual(
      out.warnings.map((w) => w.message),
      [],
    );
    const code = out.js.code;
    assert.match(code, /set_custom_element_data\([^)]*'clientSecret'/);
    assert.match(code, /'facesign-complete'/);
    assert.match(code, /'facesign-cancel'/);
  });
});
