// The shape of src, from its imports: layers that point one way, no import cycle, small files, and no code outside
// src/surfaces asking which surface it has. Static and dynamic imports both count.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const src = path.join(root, 'src');

/** every .ts file under src (but type declarations), relative to src */
const files = (dir = src) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? files(path.join(dir, d.name))
      : d.name.endsWith('.ts') && !d.name.endsWith('.d.ts')
        ? [path.relative(src, path.join(dir, d.name))]
        : [],
  );
const text = (f) => readFileSync(path.join(src, f), 'utf8');

/** the files `f` imports (statically, dynamically, or re-exports from), relative to src */
function importsOf(f) {
  const out = new Set();
  for (const m of text(f).matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.[^']+)'/g)) {
    const target = path.normalize(path.join(path.dirname(f), m[1])).replace(/\.js$/, '.ts');
    out.add(target);
  }
  return [...out];
}

const all = files();
const graph = new Map(all.map((f) => [f, importsOf(f).filter((t) => all.includes(t))]));
// version.ts is a constant of its own, below everything
const layer = (f) => (f === 'version.ts' ? 'base' : f.includes(path.sep) ? f.split(path.sep)[0] : '(entry)');

describe('the structure of src', () => {
  it('has no import cycle', () => {
    const state = new Map();
    const cycles = [];
    const visit = (f, trail) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') return void cycles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
      state.set(f, 'open');
      for (const t of graph.get(f)) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of all) visit(f, []);
    assert.deepEqual(cycles, []);
  });

  it('points one way: protocol, base, then surfaces and session, then the element, then the API and wrappers', () => {
    // what each layer may import besides itself
    const may = {
      protocol: [],
      base: ['protocol'],
      surfaces: ['protocol', 'base'],
      session: ['protocol', 'base', 'surfaces'],
      element: ['protocol', 'base', 'surfaces', 'session'],
      api: ['protocol', 'base', 'surfaces', 'session', 'element'],
      wrappers: ['protocol', 'base', 'surfaces', 'session', 'element'],
      frame: ['protocol', 'base'],
      server: ['protocol', 'base'],
    };
    const wrong = [];
    for (const [f, targets] of graph) {
      const from = layer(f);
      if (!(from in may)) continue;
      for (const t of targets) if (layer(t) !== from && !may[from].includes(layer(t))) wrong.push(`${f} -> ${t}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps every file at 300 lines or fewer', () => {
    const lines = (f) => text(f).trimEnd().split('\n').length;
    const long = all.filter((f) => lines(f) > 300).map((f) => `${f}: ${lines(f)}`);
    assert.deepEqual(long, []);
  });

  it('asks which surface it has nowhere outside src/surfaces', () => {
    const asking = all
      .filter((f) => layer(f) !== 'surfaces')
      .filter((f) => /instanceof\s+(Frame|Popup)Surface|\.kind\s*===?\s*'(frame|popup|redirect)'/.test(text(f)));
    assert.deepEqual(asking, []);
  });
});
