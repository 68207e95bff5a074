// The script-tag build on a page with a strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval',
// frame-src only the verify origin): the element must load, show its modal, connect, and cause no violation.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listenOn } from '../../demo/api/simulator.mjs';
import { useSandbox } from './helpers.mjs';

const root = path.resolve(import.meta.dirname, '../..');

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>strict CSP</title>
<script src="/facesign-verify.iife.js"></script><script src="/app.js" defer></script></head>
<body><button id="open">Verify</button></body></html>`;

// reads the secret from the page's hash (test only), records violations and events
const APP = `
window.__violations = [];
window.__events = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
const [secret, verifyUrl] = decodeURIComponent(location.hash.slice(1)).split('|');
const el = document.createElement('facesign-verify');
el.mode = 'modal';
el.verifyUrl = verifyUrl;
el.clientSecret = secret;
for (const n of ['ready', 'error', 'cancel', 'close', 'complete']) el.addEventListener('facesign-' + n, (e) => window.__events.push(e.type));
document.body.append(el);
document.getElementById('open').addEventListener('click', () => el.show());
`;

describe('strict CSP host page', () => {
  const ctx = useSandbox();
  let server;
  let pageUrl;
  before(async () => {
    const iife = readFileSync(path.join(root, 'dist/facesign-verify.iife.js'));
    const verifyOrigin = new URL(ctx.sb.verifyUrl).origin;
    const csp = `default-src 'none'; script-src 'self'; style-src 'self'; frame-src ${verifyOrigin}; connect-src 'self'; base-uri 'none'; form-action 'none'`;
    // the same, enforcing Trusted Types: only Lit's own policy may be created
    const tt = `${csp}; require-trusted-types-for 'script'; trusted-types lit-html`;
    server = createServer((req, res) => {
      const trusted = req.url.startsWith('/tt/');
      req.url = trusted ? req.url.slice(3) : req.url;
      const headers = {
        'content-security-policy': trusted ? tt : csp,
        'permissions-policy': `camera=(self "${verifyOrigin}"), microphone=(self "${verifyOrigin}")`,
      };
      if (req.url === '/') return res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(PAGE);
      if (req.url === '/app.js') return res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(APP);
      if (req.url === '/facesign-verify.iife.js') return res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(iife);
      res.writeHead(404).end();
    });
    await listenOn(server, 0, '127.0.0.1');
    // the host page on localhost, the hosted page on 127.0.0.1: two origins
    pageUrl = `http://localhost:${server.address().port}/`;
  });
  after(() => new Promise((r) => server.close(r)));

  it('loads, opens the modal, connects, and violates nothing', async () => {
    const created = await fetch(`${ctx.sb.demoUrl}api/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { clientSecret } = await created.json();
    const page = await ctx.browser.newPage();
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${pageUrl}#${encodeURIComponent(`${clientSecret.secret}|${ctx.sb.verifyUrl}`)}`);
    await page.click('#open');
    await page.waitForFunction(() => window.__events.includes('facesign-ready'), null, { timeout: 15_000 });
    const dialog = await page.locator('facesign-verify').evaluate((el) => {
      const d = el.shadowRoot.querySelector('dialog');
      return { open: d.open, modal: d.matches(':modal'), width: d.getBoundingClientRect().width };
    });
    assert.deepEqual({ open: dialog.open, modal: dialog.modal }, { open: true, modal: true });
    // the stylesheet applied (adoptedStyleSheets, no inline <style>): the dialog has its themed width
    assert.ok(dialog.width > 300 && dialog.width <= 480, `dialog width ${dialog.width}`);
    await page.frameLocator('facesign-verify iframe').getByRole('button', { name: 'Start verification' }).waitFor();
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(
      consoleErrors.filter((t) => /Content Security Policy|Permissions policy/i.test(t)),
      [],
    );
    await page.close();
  });

  it('with Trusted Types enforced, a whole verification completes with no violation', async () => {
    const created = await fetch(`${ctx.sb.demoUrl}api/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { clientSecret, sessionId } = await created.json();
    const page = await ctx.browser.newPage();
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${pageUrl}tt/#${encodeURIComponent(`${clientSecret.secret}|${ctx.sb.verifyUrl}`)}`);
    // the page really enforces it: a string into a script sink is refused
    assert.equal(
      await page.evaluate(() => {
        try {
          document.createElement('script').src = '/x.js';
          return 'allowed';
        } catch (e) {
          return e.name;
        }
      }),
      'TypeError',
    );
    // that probe's own violation report is the only one allowed
    await page.waitForFunction(() => window.__violations.length === 1);
    await page.evaluate(() => (window.__violations = []));
    await page.click('#open');
    const frame = page.frameLocator('facesign-verify iframe');
    await frame.getByRole('button', { name: 'Start verification' }).click();
    await frame.getByRole('textbox').fill('Ada Lovelace');
    await frame.getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction(() => window.__events.includes('facesign-complete'), null, { timeout: 15_000 });
    // confirmed on the server, from the signed webhook
    for (let i = 0; i < 100 && ctx.sb.backend.store.get(sessionId)?.status !== 'complete'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(ctx.sb.backend.store.get(sessionId)?.status, 'complete');
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(
      consoleErrors.filter((t) => /Content Security Policy|Trusted Type|Permissions policy/i.test(t)),
      [],
    );
    await page.close();
  });
});
