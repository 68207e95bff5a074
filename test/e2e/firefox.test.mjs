// End to end on Firefox (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi; playwright-core
// cannot launch the stock Firefox): the whole sandbox on two origins, fake camera. Skipped when Firefox is not
// there, except in CI (npm test refuses to run CI without every engine).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { findEngines } from '../../wtr/browsers.mjs';
import { PHONE, RECORD, allowEmbed, decodeQr, hostedPageOf, launch, sandbox } from './helpers.mjs';
import { newSession, startStrictPage } from './strict-page.mjs';

const firefox = findEngines().found.firefox;
const TERMINAL = ['facesign-complete', 'facesign-cancel'];

describe('end to end on Firefox', { skip: !firefox && 'Firefox not found' }, () => {
  // two sandboxes: the usual one, and one whose client secrets live 3 s (for the run paused past expiry)
  let sb;
  let shortLived;
  let browser;
  before(async () => {
    sb = await sandbox();
    shortLived = await sandbox({ secretTtl: 3 });
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefox,
      headless: true,
      extraPrefsFirefox: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true },
    });
  });
  after(async () => {
    await browser?.close();
    await sb?.stop();
    await shortLived?.stop();
  });

  /** The demo page, recording events; resolves with the page and the hosted page's frame once the flow asks for input. */
  async function start(mode, query = '', on = sb) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.evaluateOnNewDocument(RECORD);
    await page.goto(on.demoUrl + query);
    await page.waitForSelector('#sample option');
    await page.select('#sample', 'greeting');
    await page.click(`input[name=mode][value=${mode}]`);
    await page.click('#start');
    // the iframe is in the element's shadow root: >>> pierces it
    const frame = await (await page.waitForSelector('facesign-verify >>> iframe')).contentFrame();
    await frame.locator('::-p-aria(Start verification[role="button"])').click();
    await frame.waitForSelector('::-p-aria([role="textbox"])');
    return { page, frame, errors };
  }
  const events = (page) => page.evaluate(() => window.__events);
  const serverStatus = (page, status) => page.waitForSelector(`#server-result[data-status="${status}"]`, { timeout: 15_000 });

  it('inline: a full run reaches the server-confirmed complete', async () => {
    const { page, frame, errors } = await start('inline');
    await frame.type('::-p-aria([role="textbox"])', 'Ada Lovelace');
    await frame.locator('::-p-aria(Send[role="button"])').click();
    await serverStatus(page, 'complete');
    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-step', 'facesign-complete'],
    );
    assert.equal(evs.filter((e) => TERMINAL.includes(e.type)).length, 1);
    assert.equal(sb.backend.store.get(evs[4].detail.sessionId).status, 'complete');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('modal closed with Escape mid-flow: one cancel in the browser, canceled on the server', async () => {
    const { page } = await start('modal');
    // Escape on the host page (focus on the dialog's close button), not inside the iframe
    await page.evaluate(() => document.querySelector('facesign-verify').shadowRoot.querySelector('[part=close-button]').focus());
    await page.keyboard.press('Escape');
    await serverStatus(page, 'canceled');
    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-close-request', 'facesign-cancel', 'facesign-close'],
    );
    assert.deepEqual(evs[4].detail, { reason: 'escape' });
    await page.close();
  });

  it('a run paused past secret expiry continues to complete in the same document', async () => {
    const { page, frame } = await start('inline', '?secret=string', shortLived);
    const loadId = await frame.evaluate(() => document.documentElement.dataset.loadId);
    // the user pauses; the 3 s secret expires meanwhile
    await new Promise((r) => setTimeout(r, 4000));
    await frame.type('::-p-aria([role="textbox"])', 'Katherine Johnson');
    await frame.locator('::-p-aria(Send[role="button"])').click();
    await serverStatus(page, 'complete');
    assert.equal(await frame.evaluate(() => document.documentElement.dataset.loadId), loadId, 'the hosted page was not reloaded');
    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-secret-refresh', 'facesign-step', 'facesign-complete'],
    );
    assert.equal(evs[3].detail.trigger, 'expired');
    await page.close();
  });

  it('with Trusted Types enforced, a whole verification completes with no violation', async () => {
    const strict = await startStrictPage(sb.verifyUrl);
    allowEmbed(sb, new URL(strict.url).origin);
    try {
      const { clientSecret, sessionId } = await newSession(sb.demoUrl);
      const page = await browser.newPage();
      await page.goto(`${strict.url}tt/#${encodeURIComponent(`${clientSecret.secret}|${hostedPageOf(clientSecret)}`)}`);
      // the page really enforces it: a string into a script sink is refused (its report, if the engine sends one, is
      // the only one allowed: its sample names /x.js)
      const probe = await page.evaluate(() => {
        try {
          document.createElement('script').src = '/x.js';
          return 'allowed';
        } catch (e) {
          return e.name;
        }
      });
      assert.equal(probe, 'TypeError');
      await page.click('#open');
      const frame = await (await page.waitForSelector('facesign-verify >>> iframe')).contentFrame();
      await frame.locator('::-p-aria(Start verification[role="button"])').click();
      await frame.waitForSelector('::-p-aria([role="textbox"])');
      await frame.type('::-p-aria([role="textbox"])', 'Ada Lovelace');
      await frame.locator('::-p-aria(Send[role="button"])').click();
      await page.waitForFunction(() => window.__events.includes('facesign-complete'), { timeout: 15_000 });
      for (let i = 0; i < 100 && sb.backend.store.get(sessionId)?.status !== 'complete'; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(sb.backend.store.get(sessionId)?.status, 'complete');
      assert.deepEqual(await page.evaluate(() => window.__violations.filter((v) => !v.includes('/x.js'))), []);
      assert.deepEqual(await page.evaluate(() => window.__errors), []);
      await page.close();
    } finally {
      await strict.close();
    }
  });

  it('continue on your phone (cross-device="force"): a phone opens the link the QR code encodes and finishes; Firefox reports complete, once', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    await page.evaluateOnNewDocument(RECORD);
    await page.goto(`${sb.demoUrl}?cross-device=force`);
    await page.waitForSelector('#sample option');
    await page.select('#sample', 'greeting');
    await page.click('input[name=mode][value=inline]');
    await page.click('#start');
    await (await page.waitForSelector('facesign-verify >>> ::-p-aria(Continue on your phone[role="button"])')).click();
    const qr = await page.waitForSelector('facesign-verify >>> [part=qr]');
    // the phone: Chromium with a fake camera, a phone's viewport and user agent; it also decodes the screenshot
    const phone = await launch();
    try {
      const context = await phone.newContext(PHONE);
      const p = await context.newPage();
      const link = await decodeQr(p, () => qr.screenshot());
      await p.goto(link);
      await p.getByRole('button', { name: 'Start verification' }).click();
      await p.getByRole('textbox').fill('Grace Hopper');
      await p.getByRole('button', { name: 'Send' }).click();
      await p.getByText('Verification complete. You can return to your computer.').waitFor();
    } finally {
      await phone.close();
    }
    await serverStatus(page, 'complete');
    const evs = await events(page);
    assert.equal(evs.filter((e) => TERMINAL.includes(e.type)).length, 1);
    assert.equal(evs.filter((e) => TERMINAL.includes(e.type))[0].type, 'facesign-complete');
    assert.ok(
      evs.some((e) => e.type === 'facesign-step'),
      "the phone's steps reached Firefox",
    );
    await page.close();
  });
});
