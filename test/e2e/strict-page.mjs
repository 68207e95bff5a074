// A host page with a strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval', frame-src only the
// verify origin) serving the script-tag build and its parts beside it, at `/`; the same page enforcing Trusted Types
// (only Lit's policy may be created) at `/tt/`, and allowing the parts' policy too at `/tt-parts/`; at `/nonce/`,
// scripts allowed by a nonce alone (no 'self'). `?lang=xx` sets the element's language. The page records CSP violations and facesign-* events in window globals. Used by the
// CSP test (Chromium) and the Firefox and WebKit end-to-end tests.
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { listenOn } from '../../demo/api/simulator.mjs';

const root = path.resolve(import.meta.dirname, '../..');

const NONCE = 'bm9uY2UtZm9yLXRoZS10ZXN0';
const page = (nonce = '') => `<!doctype html><html><head><meta charset="utf-8"><title>strict CSP</title>
<script src="/facesign-verify.iife.js"${nonce && ` nonce="${nonce}"`}></script><script src="/app.js" defer${nonce && ` nonce="${nonce}"`}></script></head>
<body><button id="open">Verify</button></body></html>`;

// reads the secret from the page's hash (test only), records violations and events
const APP = `
window.__violations = [];
window.__events = [];
window.__errors = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
addEventListener('error', (e) => window.__errors.push(String(e.message)));
const [secret, verifyUrl] = decodeURIComponent(location.hash.slice(1)).split('|');
const el = document.createElement('facesign-verify');
el.mode = 'modal';
el.verifyUrl = verifyUrl;
el.clientSecret = secret;
el.lang = new URLSearchParams(location.search).get('lang') || 'en';
for (const n of ['ready', 'error', 'cancel', 'close', 'complete']) el.addEventListener('facesign-' + n, (e) => window.__events.push(e.type));
document.body.append(el);
document.getElementById('open').addEventListener('click', () => el.show());
`;

/** Starts the page on localhost (the hosted page is on 127.0.0.1: two origins). */
export async function startStrictPage(verifyUrl) {
  const iife = readFileSync(path.join(root, 'dist/facesign-verify.iife.js'));
  const parts = Object.fromEntries(
    readdirSync(path.join(root, 'dist'))
      .filter((f) => /^facesign-verify\.[a-z]+\.js$/.test(f))
      .map((f) => [`/${f}`, readFileSync(path.join(root, 'dist', f))]),
  );
  const verifyOrigin = new URL(verifyUrl).origin;
  // img-src 'self': browsers fetch /favicon.ico on their own (a 404 here, not a violation)
  const csp = `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-src ${verifyOrigin}; connect-src 'self'; base-uri 'none'; form-action 'none'`;
  const tt = `${csp}; require-trusted-types-for 'script'; trusted-types lit-html`;
  const policies = {
    '/tt/': tt,
    '/tt-parts/': `${tt} facesign-verify`,
    '/nonce/': csp.replace("script-src 'self'", `script-src 'nonce-${NONCE}'`),
  };
  const server = createServer((req, res) => {
    const prefix = Object.keys(policies).find((p) => req.url.startsWith(p));
    req.url = prefix ? req.url.slice(prefix.length - 1) : req.url;
    const pathname = req.url.split('?')[0];
    const headers = {
      'content-security-policy': prefix ? policies[prefix] : csp,
      'permissions-policy': `camera=(self "${verifyOrigin}"), microphone=(self "${verifyOrigin}")`,
    };
    if (pathname === '/') return res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(page(prefix === '/nonce/' ? NONCE : ''));
    if (pathname === '/app.js') return res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(APP);
    if (pathname === '/facesign-verify.iife.js') return res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(iife);
    if (parts[pathname]) return res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(parts[pathname]);
    res.writeHead(404).end();
  });
  await listenOn(server, 0, '127.0.0.1');
  return {
    /** `#secret|verifyUrl` goes after it */
    url: `http://localhost:${server.address().port}/`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** A new session from the demo backend (a sample flow, or its default): { clientSecret, sessionId }. */
export async function newSession(demoUrl, sample) {
  const body = JSON.stringify(sample ? { sample } : {});
  const created = await fetch(`${demoUrl}api/verifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return created.json();
}
