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

  /** The element of `path` (a page under one of the strict policies) in Spanish, opened: its frame's title once ready, and what the page recorded. */
  async function spanishAt(path) {
    const { clientSecret } = await newSession(ctx.sb.demoUrl);
    const page = await ctx.browser.newPage();
    await page.goto(`${pageUrl}${path}?lang=es#${encodeURIComponent(`${clientSecret.secret}|${hostedPageOf(clientSecret)}`)}`);
    await page.click('#open');
    await page.waitForFunction(() => window.__events.includes('facesign-ready'), null, { timeout: 15_000 });
    // the texts come with the part, or never (a part that failed leaves English)
    await page.waitForFunction(() => document.querySelector('facesign-verify').texts().loading !== '', null, { timeout: 15_000 });
    const seen = await page.evaluate(() => ({
      title: document.querySelector('facesign-verify').shadowRoot.querySelector('iframe').title,
      violations: window.__violations.filter((v) => !v.includes('/x.js')),
      errors: window.__errors,
    }));
    await page.close();
    return seen;
  }

  it("the script tag's parts load from beside it under script-src 'self': Spanish, no violation", async () => {
    assert.deepEqual(await spanishAt(''), { title: 'Verificación de identidad FaceSign', violations: [], errors: [] });
  });

  it("under a nonce-only script-src the parts carry the script tag's nonce: Spanish, no violation", async () => {
    assert.deepEqual(await spanishAt('nonce/'), { title: 'Verificación de identidad FaceSign', violations: [], errors: [] });
  });

  it('with Trusted Types the parts need the policy facesign-verify: allowed, Spanish; not allowed, refused and English, still working', async () => {
    assert.deepEqual(await spanishAt('tt-parts/'), { title: 'Verificación de identidad FaceSign', violations: [], errors: [] });
    const refused = await spanishAt('tt/');
    assert.equal(refused.title, 'FaceSign identity verification');
    assert.deepEqual(refused.errors, []);
    assert.ok(refused.violations.length > 0 && refused.violations.every((v) => /trusted-types/.test(v)), JSON.stringify(refused.violations));
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
