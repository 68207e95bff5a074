// The hosted page's server side of the redirect launch (docs/protocol.md §4a): the element posts the client secret
// and the way back to the hosted page in a top-level form POST, never in a URL. The server answers with the page,
// the two values in a JSON block at the top of its <head> that the page's own script takes out before any other
// runs (demo/hosted/launch.ts). Nothing is stored: a reload gets the page without them, as a GET does.
import { readFile } from 'node:fs/promises';

/** Bigger than any launch (a secret of at most 512 characters, a return URL): anything larger is refused unread. */
const MAX_BODY = 8 * 1024;

/**
 * A Vite plugin for the hosted page's dev server: `POST` to the page (`/` or `/index.html`) with an
 * `application/x-www-form-urlencoded` body of `client_secret` and `return_url`.
 * @param {string} indexHtml the page's file
 */
export function hostedLaunch(indexHtml) {
  return {
    name: 'hosted-launch',
    configureServer: (server) =>
      void server.middlewares.use((req, res, next) => {
        if (req.method !== 'POST') return next();
        const path = new URL(req.url, 'http://x').pathname;
        if (path !== '/' && path !== '/index.html') return next();
        void answer(server, indexHtml, req, res).catch((e) => {
          server.config.logger.error(`hosted launch: ${e?.stack ?? e}`);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('The verification could not be started.');
        });
      }),
  };
}

async function answer(server, indexHtml, req, res) {
  const refuse = (status, text) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' }).end(text);
    req.destroy();
  };
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return refuse(415, 'Send the launch as a form.');
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return refuse(413, 'This launch is too large.');
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > MAX_BODY) return refuse(413, 'This launch is too large.');
    chunks.push(c);
  }
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const launch = { clientSecret: form.get('client_secret') ?? '', returnUrl: form.get('return_url') ?? '' };
  const html = await server.transformIndexHtml(req.url, await readFile(indexHtml, 'utf8'));
  // JSON in a non-executable script element; "<" escaped, so no value can close the element
  const block = `<script type="application/json" id="facesign-launch">${JSON.stringify(launch).replaceAll('<', '\\u003c')}</script>`;
  // a page with the secret in it: never stored by the browser or a cache on the way
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html.replace(/<head>/i, `<head>${block}`));
}
