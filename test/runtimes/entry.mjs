/* global Bun, Deno */
// One process of the runtime under test (Node, Bun or Deno): serves the suite's app (suite.mjs) with that
// runtime's own HTTP server on a free loopback port and prints `listening <port>`. Its config comes as one JSON
// argument: { apiBase, apiKey }. It runs until the test ends it.
import * as server from '../../dist/server.js';
import { createApp } from './suite.mjs';

const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const app = createApp(server, JSON.parse(args[0]));
const ready = (port) => console.log(`listening ${port}`);

if (globalThis.Bun) {
  ready(Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app }).port);
} else if (globalThis.Deno) {
  Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => ready(port) }, app);
} else {
  // Node: what README shows, toNodeHandler on node:http
  const { createServer } = await import('node:http');
  const s = createServer(server.toNodeHandler(app));
  s.listen(0, '127.0.0.1', () => ready(s.address().port));
}
