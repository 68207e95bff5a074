// `vite preview` of the built app in the current folder (as its own process, so tools that read the working
// folder, like SvelteKit's preview, find their output), with /api passed on to the backend given as argv[2].
// Prints `listening <url>`; runs until it is killed.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const vite = await import(pathToFileURL(path.resolve('node_modules/vite/dist/node/index.js')).href);
const server = await vite.preview({
  root: process.cwd(),
  logLevel: 'silent',
  preview: { host: 'localhost', port: 0, proxy: { '/api': process.argv[2].replace(/\/$/, '') } },
});
console.log(`listening ${server.resolvedUrls.local[0]}`);
