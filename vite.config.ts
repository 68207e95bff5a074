import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { importsOf } from './scripts/part-imports.mjs';

/**
 * Drops the comments and collapses the whitespace of the css`` templates in the element's stylesheets (styles.ts,
 * and the handoff part's handoff/styles.ts): esbuild and Oxc leave template literals as written.
 */
const minifyCss = (): Plugin => ({
  name: 'minify-css-templates',
  enforce: 'pre',
  transform(code, id) {
    if (!/\/src\/element\/(handoff\/)?styles\.ts$/.test(id)) return;
    const minified = code.replace(
      /\bcss`([^`]*)`/g,
      (_, body: string) =>
        'css`' +
        body
          .replace(/\/\*[^]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};:,>])\s*/g, '$1')
          .replace(/;}/g, '}')
          .trim() +
        '`',
    );
    // map: null — only whitespace inside one template changes; no line moves that a map would need
    return { code: minified, map: null };
  },
});

/** The script tag is one file: what the ESM build loads on demand (src/element/on-demand/load.ts) is imported statically. */
const inlineOnDemand = (): Plugin => ({
  name: 'inline-on-demand',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!source.endsWith('/on-demand/load.js')) return;
    const r = await this.resolve(source, importer, { ...options, skipSelf: true });
    return r && { ...r, id: r.id.replace(/load\.ts$/, 'load.inline.ts') };
  },
});

/**
 * The production script tag's parts: what the ESM build loads on demand (src/element/on-demand/load.ts), here as
 * files beside the script (facesign-verify.<name>.js) that it loads on first need, each checked against a sha384
 * hash built into it (src/element/on-demand/parts.ts). `entry`: the part's module; `owns`: the modules only the
 * part has. Whatever else a part imports is the first file's own module, which the first file hands to its parts
 * (the same Lit, the same FaceSignError), so nothing is in two files. Another part is one more line here and a
 * loader in load.script.ts.
 */
export const SCRIPT_TAG_PARTS: Record<string, { entry: string; owns: string[] }> = {
  langs: { entry: 'src/element/langs.ts', owns: ['src/element/langs.ts'] },
  redirect: { entry: 'src/surfaces/redirect.ts', owns: ['src/surfaces/redirect.ts'] },
  fallback: {
    entry: 'src/element/on-demand/fallback-ui.ts',
    owns: ['src/element/on-demand/fallback-ui.ts', 'src/surfaces/popup.ts', 'src/element/offer-covers.ts'],
  },
  verify: { entry: 'src/api/verify.ts', owns: ['src/api/verify.ts'] },
  // how new client secrets are got (refresh-url, fetchClientSecret, the host page) and handed to the hosted page:
  // loaded when a page is ready with a refresh set, or on the first refresh
  refresh: { entry: 'src/session/secret-refresh.ts', owns: ['src/session/secret-refresh.ts', 'src/session/secret-request.ts'] },
  // continuing on the phone: its screens, texts, relay surface and the QR encoder (a package the part owns whole)
  handoff: {
    entry: 'src/element/on-demand/handoff-ui.ts',
    owns: [
      'src/element/on-demand/handoff-ui.ts',
      'src/element/handoff/covers.ts',
      'src/element/handoff/qr.ts',
      'src/element/handoff/styles.ts',
      'src/element/handoff/texts.ts',
      'src/surfaces/handoff-relay.ts',
      'lean-qr/nano',
    ],
  },
};
/** In the first file, each of these modules is its `.script.ts` sibling, which loads the parts (`part(name)`). */
const SCRIPT_TAG_SWAPS = ['src/element/on-demand/load.ts', 'src/api/verify.ts'];

const conditionsFor = (dev: boolean) => [
  ...defaultClientConditions.filter((c) => c !== 'development|production'),
  dev ? 'development' : 'production',
];
const SHARED = 'facesign-shared:';
const VIRTUAL = 'virtual:facesign-script-tag';

/**
 * Builds each part first (an IIFE whose imports of the first file's modules read them from what the first file
 * registered under the build's key), then the first file: its load.ts is load.script.ts, and `virtual:facesign-
 * script-tag` gives it the parts' file names and hashes, the key, and the modules the parts import.
 */
const scriptTagParts = (): Plugin => {
  const root = import.meta.dirname;
  /** a module of the first file that a part imports: its name in `shared` -> what the first file imports it as */
  const shared = new Map<string, string>();
  /** the names parts import from each of them (`*`: the whole module), so the first file hands over only those */
  const taken = new Map<string, Set<string>>();
  const files: { fileName: string; source: string }[] = [];
  let virtual = '';
  return {
    name: 'script-tag-parts',
    enforce: 'pre',
    async buildStart() {
      const built: [string, string][] = [];
      for (const [name, { entry, owns }] of Object.entries(SCRIPT_TAG_PARTS)) {
        /** the name in `shared` of what `source` (resolved: `id`) is, when it is the first file's and not the part's own */
        const keyOf = (source: string, id: string) => {
          const rel = path.relative(root, id).split(path.sep).join('/');
          if (owns.includes(rel) || owns.includes(source)) return;
          const bare = !source.startsWith('.') && !source.startsWith('/');
          const key = (bare ? source : rel.replace(/^src\//, '').replace(/\.ts$/, '')).replace(/[^A-Za-z0-9]/g, '_');
          shared.set(key, bare ? source : id);
          return key;
        };
        const out = await build({
          configFile: false,
          logLevel: 'warn',
          plugins: [
            minifyCss(),
            {
              name: 'part-imports-from-the-first-file',
              enforce: 'pre',
              async resolveId(source, importer, options) {
                if (!importer || source.startsWith(SHARED)) return;
                const r = await this.resolve(source, importer, { ...options, skipSelf: true });
                if (!r || r.external) return r;
                const key = keyOf(source, r.id);
                return key ? { id: SHARED + key, external: true } : r;
              },
            },
          ],
          define: { __FACESIGN_DEV__: 'false' },
          resolve: { conditions: conditionsFor(false) },
          build: {
            write: false,
            target: 'es2022',
            minify: true,
            sourcemap: false,
            // the ES form only to read its imports: what the part reads of the first file's modules, after tree-shaking
            lib: { entry: path.join(root, entry), formats: ['iife', 'es'], name: '__part', fileName: (f) => `${name}.${f}.js` },
            rolldownOptions: { output: { globals: (id: string) => `__fs.shared.${id.slice(SHARED.length)}` } },
          },
        });
        const chunks = (out as { output: { fileName: string; code?: string }[] }[]).flatMap((o) => o.output).filter((c) => c.code);
        built.push([name, chunks.find((c) => c.fileName === `${name}.iife.js`)!.code!]);
        for (const c of chunks.filter((c) => c.fileName !== `${name}.iife.js`))
          for (const { source, names, dynamic } of importsOf(c.code!, `${name}.js`)) {
            if (!source.startsWith(SHARED)) continue;
            const k = source.slice(SHARED.length);
            // an IIFE has no import() of the first file's modules: the part would fail when it ran it
            if (dynamic) this.error(`part "${name}": import() of ${shared.get(k)}, a module of the first file; import it statically`);
            const into = taken.get(k) ?? taken.set(k, new Set()).get(k)!;
            // a side-effect import takes no name: the whole module then, as nothing says what it needs
            for (const n of names.length ? names : ['*']) into.add(n);
          }
      }
      // the key the parts register under: this build's alone, so another copy of the script on the page (another
      // version, the development build) never takes or gives a part
      const key = `facesign-verify.parts:${createHash('sha256')
        .update(built.map(([n, c]) => n + c).join('\0'))
        .digest('hex')
        .slice(0, 16)}`;
      const manifest: Record<string, [string, string]> = {};
      for (const [name, code] of built) {
        const source = `(function(__fs){${code.trim()}\n__fs.arrived(${JSON.stringify(name)},__part)})(globalThis[Symbol.for(${JSON.stringify(key)})]);\n`;
        const fileName = `facesign-verify.${name}.js`;
        manifest[name] = [fileName, `sha384-${createHash('sha384').update(source).digest('base64')}`];
        files.push({ fileName, source });
      }
      // in a fixed order: the parts resolve their imports concurrently, and the first file must be the same bytes
      // every build (README pins its hash)
      const names = [...shared.keys()].sort();
      // the names a part takes, not the whole module: what no module of this file uses is left out of it (a
      // namespace object would keep every export, Lit's whole API among them: -0.75 kB min+gzip). They are read from
      // what each part's build left it importing, so a name a part reads is always one handed over. Each is the
      // binding's value when the first file runs, which is the binding itself while no shared module of ours
      // reassigns an export (`export let`): the build stops if one does.
      const whole = new Set(names.filter((k) => !taken.has(k) || taken.get(k)!.has('*')));
      const list = (k: string) => [...taken.get(k)!].sort();
      for (const k of names) {
        const file = shared.get(k)!;
        if (path.isAbsolute(file) && /^export\s+(let|var)\s/m.test(readFileSync(file, 'utf8')))
          this.error(
            `${path.relative(root, file)} exports a binding it can reassign (export let), which its parts would read once: export a function or an object instead`,
          );
      }
      virtual = [
        ...names.map((k) =>
          whole.has(k)
            ? `import * as ${k} from ${JSON.stringify(shared.get(k))};`
            : `import { ${list(k)
                .map((n) => `${n} as ${k}$${n}`)
                .join(', ')} } from ${JSON.stringify(shared.get(k))};`,
        ),
        `export const shared = { ${names
          .map((k) =>
            whole.has(k)
              ? k
              : `${k}: { ${list(k)
                  .map((n) => `${n}: ${k}$${n}`)
                  .join(', ')} }`,
          )
          .join(', ')} };`,
        `export const PARTS = ${JSON.stringify(manifest)};`,
        `export const KEY = ${JSON.stringify(key)};`,
      ].join('\n');
    },
    async resolveId(source, importer, options) {
      if (source === VIRTUAL) return '\0' + VIRTUAL;
      if (!importer || !source.startsWith('.')) return;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      const swapped = r && SCRIPT_TAG_SWAPS.includes(path.relative(root, r.id).split(path.sep).join('/'));
      return swapped ? { ...r, id: r.id.replace(/\.ts$/, '.script.ts') } : r;
    },
    load(id) {
      if (id === '\0' + VIRTUAL) return virtual;
    },
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: f.fileName, source: f.source });
    },
  };
};

// Four builds, the way Lit ships: production (the default) and development (`__FACESIGN_DEV__`: misuse warnings and
// the long explanations in input errors; src/build-mode.d.ts), each as ESM and as a script tag.
// `vite build`                    -> dist/*.js: ESM for npm, one file per module, lit external, production
// `vite build --mode esm-dev`     -> dist/development/*.js: the same, development (the `development` export condition)
// `vite build --mode iife`        -> dist/facesign-verify.iife.js: one minified file for a <script> tag, Lit inside
// `vite build --mode iife-dev`    -> dist/facesign-verify.dev.iife.js: the same, development, not minified, Lit's
//                                    development build inside
export default defineConfig(({ mode }) => {
  const iife = mode.startsWith('iife');
  const dev = mode.endsWith('-dev');
  return {
    // the production script tag loads its parts from beside it; the development one is one file, for trying out
    plugins: [minifyCss(), ...(iife ? [dev ? inlineOnDemand() : scriptTagParts()] : [])],
    define: { __FACESIGN_DEV__: String(dev) },
    // Lit's own development build (its warnings) in ours; the ESM builds keep lit external
    resolve: { conditions: conditionsFor(dev) },
    build: {
      // ES2022: real #private members, which minifiers can shorten
      target: 'es2022',
      outDir: dev && !iife ? 'dist/development' : 'dist',
      emptyOutDir: mode === 'production', // the production ESM build runs first and cleans dist/
      sourcemap: true,
      minify: iife && !dev,
      lib: iife
        ? {
            entry: 'src/index.ts',
            name: 'FaceSign',
            formats: ['iife'],
            fileName: () => (dev ? 'facesign-verify.dev.iife.js' : 'facesign-verify.iife.js'),
          }
        : {
            entry: {
              index: 'src/index.ts',
              element: 'src/element.ts',
              frame: 'src/frame.ts',
              react: 'src/react.ts',
              vue: 'src/vue.ts',
              ...(!dev && { server: 'src/server.ts' }),
            },
            formats: ['es'],
          },
      rolldownOptions: {
        external: iife ? [] : [/^lean-qr($|\/)/, /^lit($|\/)/, /^@lit\//, /^lit-html($|\/)/, /^lit-element($|\/)/, /^react($|\/)/, /^vue($|\/)/],
        // without minifying, the production ESM still drops the development build's branches (`if (false)`)
        output: iife ? {} : { preserveModules: true, preserveModulesRoot: 'src', minify: 'dce-only' },
      },
    },
  };
});
