// The suite's app (suite.mjs) as a Cloudflare Worker's fetch handler, bundled with the server entry for workerd.
// Its config comes from the Worker's bindings (API_BASE, API_KEY); the app is made at the first request, since a
// Worker may do no I/O at startup.
import * as server from '../../dist/server.js';
import { createApp } from './suite.mjs';

let app;
export default {
  fetch(request, env) {
    app ??= createApp(server, { apiBase: env.API_BASE, apiKey: env.API_KEY });
    return app(request);
  },
};
