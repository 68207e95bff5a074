// Until @facesign/verify is published: installs an example's dependencies with the package built from this
// checkout. Run it in the example's folder, instead of `npm install`:
//   node ../use-checkout.mjs && npm run dev
// It builds the package if there is no build yet (`npm run build` at the root rebuilds it), packs it, and installs
// that tarball without saving it, so package.json keeps "@facesign/verify": "^0.1.0", the published release.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const npm = (args, cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
const env = { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
Object.assign(process.env, env);

if (!existsSync(path.join(process.cwd(), 'package.json')) || path.dirname(process.cwd()) !== import.meta.dirname) {
  console.error("Run this in an example's folder: cd examples/express (or examples/nextjs), then node ../use-checkout.mjs");
  process.exit(1);
}
if (!existsSync(path.join(root, 'dist/index.js'))) {
  console.log('Building @facesign/verify (npm run build at the root)…');
  npm(['run', '-s', 'build'], root);
}
const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', import.meta.dirname], root));
const tarball = path.join(import.meta.dirname, filename);
console.log(`Installing with ${path.relative(process.cwd(), tarball)} (this checkout's build)…`);
execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball], { stdio: 'inherit' });
