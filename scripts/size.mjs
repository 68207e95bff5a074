// Prints raw / minified / minified+gzip bytes of every built file, plus each public entry bundled
// (own code only, lit external: what an app bundler adds), and checks the budgets from the issues.
// Needs `npm run build` first (runs it when dist/ is missing). Prints figures; exits 1 only when over budget.
import { build, transform } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

if (!existsSync('dist/index.js')) execSync('npm run -s build', { stdio: 'inherit' });

const gz = (s) => gzipSync(s, { level: 9 }).length;
const rows = [];
const walk = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.js') ? [p] : [];
  });

// the production files (dist/development/ is the same modules with the development build's texts)
for (const file of walk('dist')
  .filter((f) => !f.startsWith('dist/development/'))
  .sort()) {
  const src = readFileSync(file, 'utf8');
  // the script tag and its parts (facesign-verify.<part>.js) are built minified, as they are served
  const min = /\/facesign-verify\.[a-z.]+\.js$/.test(file) ? src : (await transform(src, { minify: true, format: 'esm', target: 'es2022' })).code;
  rows.push([file, src.length, min.length, gz(min)]);
}

// each public entry bundled the way an app's bundler would: lit, react and vue come from the app
const entries = {
  'entry . (index, lit external)': 'dist/index.js',
  'entry ./element (class only)': 'dist/element.js',
  'entry ./frame (hosted page)': 'dist/frame.js',
  'entry ./react (with @lit/react)': 'dist/react.js',
  'entry ./vue': 'dist/vue.js',
};
const bundled = {};
const external = [
  'lit',
  'lit/*',
  'lit-html',
  'lit-html/*',
  'lit-element',
  'lit-element/*',
  '@lit/reactive-element',
  '@lit/reactive-element/*',
  'react',
  'react/*',
  'vue',
];
for (const [name, entry] of Object.entries(entries)) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    external,
  });
  const code = out.outputFiles[0].text;
  bundled[name] = gz(code);
  rows.push([name, readFileSync(entry, 'utf8').length, code.length, bundled[name]]);
}

// what a page that only ever shows the frame loads: the entry's chunk and every chunk it imports statically, with
// the bundler splitting off what src/element/on-demand/load.ts imports (the translations, the redirect's leaving half)
{
  const out = await build({
    // the page imports the package for its element (`import '@facesign/verify'`) and calls nothing else: what it
    // does not use (verify(), handleRedirectResult) is dropped, as package.json's sideEffects lets a bundler
    stdin: { contents: "import './dist/index.js';", resolveDir: process.cwd(), sourcefile: 'page.js' },
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    outdir: 'size-chunks',
    write: false,
    metafile: true,
    external,
  });
  const text = Object.fromEntries(out.outputFiles.map((f) => [path.relative(process.cwd(), f.path), f.text]));
  const initial = new Set();
  const visit = (file) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const i of out.metafile.outputs[file].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(Object.keys(out.metafile.outputs).find((f) => out.metafile.outputs[f].entryPoint));
  const initialCode = [...initial].map((f) => text[f]).join('');
  bundled.initial = gz(initialCode);
  rows.push(['entry . initial chunks (on-demand split off)', 0, initialCode.length, bundled.initial]);
  for (const [f, o] of Object.entries(out.metafile.outputs))
    if (!initial.has(f) && f.endsWith('.js')) rows.push([`  on demand: ${Object.keys(o.inputs).join(' + ')}`, 0, text[f].length, gz(text[f])]);
}

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'file'.padEnd(w)}  ${'raw'.padStart(8)}  ${'min'.padStart(8)}  ${'min+gz'.padStart(8)}`);
for (const [f, raw, min, g] of rows) console.log(`${f.padEnd(w)}  ${String(raw).padStart(8)}  ${String(min).padStart(8)}  ${String(g).padStart(8)}`);

const iife = rows.find((r) => r[0].endsWith('/facesign-verify.iife.js'))[3];
// the script tag's parts, beside it, each loaded on first need (vite.config.ts, SCRIPT_TAG_PARTS)
const parts = rows.filter((r) => /\/facesign-verify\.[a-z]+\.js$/.test(r[0]) && !r[0].endsWith('.iife.js'));
console.log(
  `\nscript tag: the first file ${iife} B min+gzip; beside it, on demand: ${parts.map((r) => `${r[0].split('.').at(-2)} ${r[3]} B`).join(', ')}`,
);
const budgets = [
  // regression guards, not goals to trade features or error messages for, just above today's figures so nothing
  // grows unnoticed. What each change cost and saved: README, "Size" (the explicit state machine and the checks of
  // verify()'s options: +2.6 kB on the script tag). The targets (19,000 B for the script tag, 10,000 B for the
  // initial chunks) are not met: what it would take is there too. Raised for the designed screens (marks, titles,
  // second actions, references, twice the texts in eight languages, the light and dark tokens, `appearance` with
  // its checks and the contrast picking): +5.0 kB script tag, +3.4 kB initial chunks (README, "Size"). Raised again
  // for the redirect's POST launch and its return binding, a page that comes back (the resume memory, back from the
  // back/forward cache) and unreachable told from refused: +1.0 kB script tag, +0.9 kB initial chunks; and for the
  // merchant's own app (webview, the native bridge, delegation) and camera problems by name: +2.5 kB, +1.3 kB.
  // The script tag's first file, since its rare parts load from beside it (the languages, the fallback's UI, the
  // redirect's leaving half, verify()): 35,047 -> 29,541 B. The target is 19,000 B (README, "Size", says what
  // is left to reach it). Raised for continuing on the phone (the handoff's states, its protocol messages and the
  // cross-device option in the first file; its screens, texts, relay and QR encoder a part beside it, 7.4 kB):
  // +1.6 kB first file, +1.6 kB initial chunks, +8.1 kB ESM all of it (docs/performance.md, "Size").
  // Lowered when the first file handed its parts only the names they import, not whole modules: 31,299 -> 30,543 B;
  // and when what asks for a new secret (secret-request.ts) became a part, loaded once a page with a refresh set is
  // ready: 30,543 -> 29,865 B; then the rest of a refresh with it (secret-refresh.ts: one refresh at a time, the host
  // page asked, the hand-over to the hosted page): 29,865 -> 29,317 B; +156 B for the crossings a review found in
  // waiting for that code (a wait that ends with the session, or after refreshTimeout; the trigger that joins; a
  // secret the host page sets while the code is away, handed over by the next init): 29,586 B.
  ['script-tag first file (IIFE with Lit; its parts beside it)', iife, 29_650],
  // Raised by 100 B for issue 33: the source check that leaves an uncommitted frame's window alone, the appearance
  // read once, and the hooks of the development build's warning when an on-demand chunk does not load (+80 B).
  // Raised by 450 B when a refresh (secret-refresh.ts, secret-request.ts) became a chunk of its own: the lazy
  // module's wrapper a one-file bundle gives it, and what waits for it; the initial chunks went down 1,071 B with it.
  ['ESM own code (lit external), all of it', bundled['entry . (index, lit external)'], 39_650],
  ['ESM initial chunks (a page that imports it for the element)', bundled.initial, 23_900],
  ['React wrapper over the element', bundled['entry ./react (with @lit/react)'] - bundled['entry ./element (class only)'], 1_000],
];
let over = false;
console.log('');
for (const [name, bytes, max] of budgets) {
  const ok = bytes <= max;
  over ||= !ok;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${name}: ${bytes} B min+gzip (budget ${max} B)`);
}
process.exitCode = over ? 1 : 0;
