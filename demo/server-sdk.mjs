// The demo backend uses @facesign/verify/server from this repository's source, as a merchant uses the package:
// bundled by esbuild in memory when the sandbox starts (a few ms), so it is never a stale build.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const out = await build({
  entryPoints: [fileURLToPath(new URL('../src/server.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
});
const sdk = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);

export const { FaceSign, FaceSignAPIError, FaceSignServerError, FaceSignSignatureError, toNodeHandler } = sdk;
