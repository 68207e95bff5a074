import { defineConfig, type Plugin } from 'vite';

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

// `vite build`             -> dist/*.js: ESM for npm, one file per module, lit external
// `vite build --mode iife` -> dist/facesign-verify.iife.js: one minified file for a <script> tag, Lit inside
export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    plugins: [minifyCss()],
    build: {
      // ES2022: real #private members, which minifiers can shorten
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !iife, // the ESM build runs first and cleans dist/
      sourcemap: true,
      minify: iife,
      lib: iife
        ? { entry: 'src/index.ts', name: 'FaceSign', formats: ['iife'], fileName: () => 'facesign-verify.iife.js' }
        : {
            entry: {
              index: 'src/index.ts',
              element: 'src/element.ts',
              frame: 'src/frame.ts',
              react: 'src/react.ts',
              vue: 'src/vue.ts',
              server: 'src/server.ts',
            },
            formats: ['es'],
          },
      rolldownOptions: {
        external: iife ? [] : [/^lit($|\/)/, /^@lit\//, /^lit-html($|\/)/, /^lit-element($|\/)/, /^react($|\/)/, /^vue($|\/)/],
        output: iife ? {} : { preserveModules: true, preserveModulesRoot: 'src' },
      },
    },
  };
});
