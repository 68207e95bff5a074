// The script tag's parts (vite.config.ts): the first file hands each part only the names it imports from the first
// file's modules, so every name a part imports must be found, however its import is written. A name missed is
// `undefined` in the part at run time, with no error at build time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importsOf } from '../../scripts/part-imports.mjs';

/** the names `code` takes from `source`, sorted; `*` for the whole module */
const takes = (code, source, id = 'src/part.ts') =>
  importsOf(code, id)
    .filter((i) => i.source === source)
    .flatMap((i) => i.names)
    .sort();

describe("script tag's parts: every name a part imports from the first file is found", () => {
  it('names in braces over several lines, with comments between them (even ones with quotes)', () => {
    const code = `import {
  one,
  // the second one, which the part's screens use
  two,
  /* three, in a block comment */ three,
} from '../base/shared.js';`;
    assert.deepEqual(takes(code, '../base/shared.js'), ['one', 'three', 'two']);
  });

  it('written without spaces, as a package may ship it', () => {
    assert.deepEqual(takes(`import{a,b as c}from"lit";export{d}from"./x.js";`, 'lit'), ['a', 'b']);
    assert.deepEqual(takes(`import{a,b as c}from"lit";export{d}from"./x.js";`, './x.js'), ['d']);
  });

  it('types take nothing; a default, a namespace or `export *` takes the whole module; re-exports take their names', () => {
    const code = [
      `import type { A } from './types.js';`,
      `import { type B, c } from './mixed.js';`,
      `import D, { e } from './default.js';`,
      `import * as ns from './ns.js';`,
      `export * from './all.js';`,
      `export * as all from './all-as.js';`,
      `export { f as g, type H } from './re.js';`,
    ].join('\n');
    assert.deepEqual(takes(code, './types.js'), []);
    assert.deepEqual(takes(code, './mixed.js'), ['c']);
    assert.ok(takes(code, './default.js').includes('*'));
    assert.deepEqual(takes(code, './ns.js'), ['*']);
    assert.deepEqual(takes(code, './all.js'), ['*']);
    assert.deepEqual(takes(code, './all-as.js'), ['*']);
    assert.deepEqual(takes(code, './re.js'), ['f']);
  });

  it('a dynamic import() is listed as one, so the build can refuse it for a module of the first file', () => {
    const found = importsOf(`const later = () => import('../base/shared.js');`, 'src/part.ts');
    assert.deepEqual(found, [{ source: '../base/shared.js', names: [], dynamic: true }]);
  });
});
