import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/** Collapses the whitespace of the css`` template in styles.ts: esbuild and Oxc leave template literals as written. */
const minifyCss = (): Plugin => ({
  name: 'minify-css-templates',
  enforce: 'pre',
  transform(code, id) {
    if (!id.endsWith('/src/element/styles.ts')) return;
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
    plugins: [minifyCss(), ...(iife ? [inlineOnDemand()] : [])],
    define: { __FACESIGN_DEV__: String(dev) },
    // Lit's own development build (its warnings) in ours; the ESM builds keep lit external
    resolve: { conditions: [...defaultClientConditions.filter((c) => c !== 'development|production'), dev ? 'development' : 'production'] },
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
