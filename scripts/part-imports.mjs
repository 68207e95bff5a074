/**
 * What each import or re-export statement of a script tag part's module takes from another module, for
 * vite.config.ts: the first file hands its parts only those names. `names`: the bindings, `*` for the whole module.
 */
export function importsOf(code) {
  const out = [];
  for (const [, verb, clause, source] of code.matchAll(/\b(import|export)\s+(?!type\s)([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    const names = [];
    const braced = /\{([^}]*)\}/.exec(clause)?.[1];
    // a namespace, a default, or `export *`: the whole module
    if (clause.includes('*') || (verb === 'import' && !/^\{/.test(clause.trim()))) names.push('*');
    for (const n of braced?.split(',') ?? []) {
      const m = /^\s*(type\s+)?([\w$]+)/.exec(n);
      if (m && !m[1]) names.push(m[2]);
    }
    out.push({ source, names });
  }
  return out;
}
