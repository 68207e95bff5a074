// Serves CommonJS-only packages (React 19 ships only CommonJS) to the browser as ES modules with real named
// exports, bundled once with esbuild, the way Vite's dependency optimizer does. All entries are bundled together
// with code splitting, so the page gets one copy of React.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';

const PREFIX = '/__prebundled__/';
const fileFor = (id) => id.replace(/^@/, '').replace(/[/]/g, '__');

export function prebundlePlugin({ deps, nodeEnv = 'development', rootDir = process.cwd() }) {
  const require = createRequire(path.join(rootDir, 'noop.js'));
  // The export names are read here, at config load: later, wtr proxies console, which React's dev build touches
  // while it loads.
  const names = new Map();
  const prev = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  for (const d of deps)
    names.set(
      d,
      Object.keys(require(d)).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k)),
    );
  if (prev === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = prev;

  let outputs;
  const bundle = async () => {
    if (outputs) return outputs;
    const outdir = path.join(rootDir, '.prebundled');
    const result = await build({
      entryPoints: Object.fromEntries(deps.map((d) => [fileFor(d), `prebundle-entry:${d}`])),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      outdir,
      logLevel: 'warning',
      define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
      plugins: [
        {
          name: 'prebundle-entry',
          setup(b) {
            b.onResolve({ filter: /^prebundle-entry:/ }, (a) => ({ path: a.path.slice('prebundle-entry:'.length), namespace: 'prebundle-entry' }));
            b.onLoad({ filter: /.*/, namespace: 'prebundle-entry' }, (a) => ({
              resolveDir: rootDir,
              contents: `import m from ${JSON.stringify(a.path)};\nexport default m;\nexport const { ${names.get(a.path).join(', ')} } = m;\n`,
            }));
          },
        },
      ],
    });
    outputs = new Map(result.outputFiles.map((f) => [PREFIX + path.relative(outdir, f.path).split(path.sep).join('/'), f.text]));
    return outputs;
  };

  return {
    name: 'prebundle-cjs-deps',
    resolveImport({ source }) {
      if (deps.includes(source)) return `${PREFIX}${fileFor(source)}.js`;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return;
      const body = (await bundle()).get(context.path);
      if (body !== undefined) return { body, type: 'js' };
    },
  };
}
