// The script-tag build on a page with a strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval',
// frame-src only the verify origin): the element must load, show its modal, connect, and cause no violation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allowEmbed, hostedPageOf, useSandbox } from './helpers.mjs';
import { newSession, startStrictPage } from './strict-page.mjs';

describe('strict CSP host page', () => {
  const ctx = useSandbox();
  let strict;
  let pageUrl;
  before(async () => {
    strict = await startStrictPage(ctx.sb.verifyUrl);
    pageUrl = strict.url;
    allowEmbed(ctx.sb, new URL(pageUrl).origin);
  });
  after(() => strict.close());

  it('loads, opens the modal, connects, and violates nothing', async () => {
    const { clientSecret } = await newSession(ctx.sb.demoUrl);
    const page = await ctx.browser.newPage();
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${pageUrl}#${encodeURIComponent(`${clientSecret.secret}|${hostedPageOf(clientSecret)}`)}`);
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
    assert.deepEqual(await page.evaluate(() => window.__violations.filter((v) => !v.includes('/x.js'))), []);
    assert.deepEqual(await page.evaluate(() => window.__errors), []);
    assert.deepEqual(
      consoleErrors.filter((t) => /Content Security Policy|Permissions policy/i.test(t)),
      [],
    );
    await page.close();
  });

  it('with Trusted Types enforced, a whole verification completes with no violation', async () => {
    const { clientSecret, sessionId } = await newSession(ctx.sb.demoUrl);
    const page = await ctx.browser.newPage();
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${pageUrl}tt/#${encodeURIComponent(`${clientSecret.secret}|${hostedPageOf(clientSecret)}`)}`);
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
    await page.click('#open');
    const frame = page.frameLocator('facesign-verify iframe');
    await frame.getByRole('button', { name: 'Start verification' }).click();
    await frame.getByRole('textbox').fill('Ada Lovelace');
    await frame.getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction(() => window.__events.includes('facesign-complete'), null, { timeout: 15_000 });
    // confirmed on the server, from the signed webhook
    for (let i = 0; i < 100 && ctx.sb.backend.store.get(sessionId)?.status !== 'complete'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(ctx.sb.backend.store.get(sessionId)?.status, 'complete');
    assert.deepEqual(await page.evaluate(() => window.__violations.filter((v) => !v.includes('/x.js'))), []);
    assert.deepEqual(await page.evaluate(() => window.__errors), []);
    assert.deepEqual(
      consoleErrors.filter((t) => /Content Security Policy|Trusted Type|Permissions policy/i.test(t)),
      [],
    );
    await page.close();
  });
});
