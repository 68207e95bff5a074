/**
 * What each import or re-export statement of a script tag part's module takes from another module, for
 * vite.config.ts: the first file hands its parts only those names. Read from the parser's module record (Vite's
 * own, oxc), not by pattern: an import written over lines with comments between its names, or without spaces, is
 * found whole, and a name missed would be `undefined` in the part at run time with no error at build time.
 */
import { parseSync } from 'vite';

/**
 * `code`'s imports of other modules (`id` its file, for the language): `names` the bindings each takes, `*` for the
 * whole module (a namespace, a default, `export *`), none for types or a side-effect import; `dynamic` an
 * `import()` with a literal specifier, which takes whatever it likes at run time.
 */
export function importsOf(code, id) {
  const lang = /\.tsx?(\?|$)/.test(id) ? 'ts' : 'js';
  const { module, errors } = parseSync(id, code, { lang, sourceType: 'module' });
  if (errors.length) throw new Error(`${id}: ${errors[0].message}`);
  const out = [];
  for (const i of module.staticImports)
    out.push({
      source: i.moduleRequest.value,
      names: i.entries.filter((e) => !e.isType).map((e) => (e.importName.kind === 'Name' ? e.importName.name : '*')),
    });
  for (const x of module.staticExports)
    for (const e of x.entries)
      if (e.moduleRequest && !e.isType) out.push({ source: e.moduleRequest.value, names: [e.importName.kind === 'Name' ? e.importName.name : '*'] });
  for (const d of module.dynamicImports) {
    const literal = /^(['"`])([^'"`$]*)\1$/.exec(code.slice(d.moduleRequest.start, d.moduleRequest.end));
    if (literal) out.push({ source: literal[2], names: [], dynamic: true });
  }
  return out;
}
