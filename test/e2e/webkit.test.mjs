// End to end on WebKit (Debian's WebKitGTK MiniBrowser, driven by webdriverio through WebKitWebDriver in classic
// WebDriver mode; it has no headless mode, so npm test runs this under xvfb-run): the whole sandbox on two
// origins, mock camera. Skipped when WebKit is not there, except in CI (npm test refuses CI without every engine).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { remote } from 'webdriverio';
import { findEngines, startWebKitDriver } from '../../wtr/browsers.mjs';
import { PHONE, RECORD, allowEmbed, decodeQr, hostedPageOf, launch, sandbox } from './helpers.mjs';
import { newSession, startStrictPage } from './strict-page.mjs';

const webkit = findEngines().found.webkit;
const TERMINAL = ['facesign-complete', 'facesign-cancel'];

describe('end to end on WebKit', { skip: (!webkit || !process.env.DISPLAY) && 'WebKit (or a display) not found' }, () => {
  let sb;
  let shortLived;
  let driver;
  let browser;
  before(async () => {
    sb = await sandbox();
    shortLived = await sandbox({ secretTtl: 3 });
    driver = await startWebKitDriver();
    browser = await remote({
      hostname: '127.0.0.1',
      port: driver.port,
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: webkit, args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'] },
      },
    });
  });
  after(async () => {
    await browser?.deleteSession().catch(() => {});
    driver?.stop();
    await sb?.stop();
    await shortLived?.stop();
  });

  /** The demo page, recording events (injected after load: classic WebDriver has no init scripts, and the element
   * does not exist before Start); returns once the hosted page asks for input, with the driver in its frame. */
  async function start(mode, query = '', on = sb) {
    await browser.url(on.demoUrl + query);
    await browser.$('#sample option').waitForExist();
    await browser.execute(RECORD);
    await browser.$('#sample').selectByAttribute('value', 'greeting');
    await browser.$(`input[name=mode][value=${mode}]`).click();
    await browser.$('#start').click();
    const iframe = browser.$('facesign-verify').shadow$('iframe');
    await iframe.waitForExist();
    await browser.switchFrame(await iframe);
    await browser.$('aria/Start verification').click();
    await browser.$('input[name=answer]').waitForDisplayed();
  }
  const toPage = () => browser.switchFrame(null);
  const events = () => browser.execute(() => window.__events);
  const serverStatus = (status) => browser.$(`#server-result[data-status="${status}"]`).waitForExist({ timeout: 15_000 });
  const loadId = () => browser.execute(() => document.documentElement.dataset.loadId);

  it('inline: a full run reaches the server-confirmed complete', async () => {
    await start('inline');
    await browser.$('input[name=answer]').setValue('Ada Lovelace');
    await browser.$('aria/Send').click();
    await toPage();
    await serverStatus('complete');
    const evs = await events();
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-step', 'facesign-complete'],
    );
    assert.equal(evs.filter((e) => TERMINAL.includes(e.type)).length, 1);
    assert.equal(sb.backend.store.get(evs[4].detail.sessionId).status, 'complete');
  });

  it('modal closed with Escape mid-flow: one cancel in the browser, canceled on the server', async () => {
    await start('modal');
    await toPage();
    // Escape on the host page (focus on the dialog's close button), not inside the iframe
    await browser.execute(() => document.querySelector('facesign-verify').shadowRoot.querySelector('[part=close-button]').focus());
    await browser.keys('Escape');
    await serverStatus('canceled');
    const evs = await events();
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-close-request', 'facesign-cancel', 'facesign-close'],
    );
    // WebKitWebDriver delivers the key to the frame that last had focus: the hosted page's own Escape handling
    // (its close-request, source hosted_page) or the dialog's (escape); either is the user's Escape
    assert.ok(['escape', 'hosted_page'].includes(evs[4].detail.reason), evs[4].detail.reason);
    assert.equal(evs[3].detail.source, evs[4].detail.reason);
  });

  it('a run paused past secret expiry continues to complete in the same document', async () => {
    await start('inline', '?secret=string', shortLived);
    const before = await loadId();
    // the user pauses; the 3 s secret expires meanwhile
    await new Promise((r) => setTimeout(r, 4000));
    await browser.$('input[name=answer]').setValue('Katherine Johnson');
    await browser.$('aria/Send').click();
    await toPage();
    await serverStatus('complete');
    await browser.switchFrame(await browser.$('facesign-verify').shadow$('iframe'));
    assert.equal(await loadId(), before, 'the hosted page was not reloaded');
    await toPage();
    const evs = await events();
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-secret-refresh', 'facesign-step', 'facesign-complete'],
    );
    assert.equal(evs[3].detail.trigger, 'expired');
  });

  it('with Trusted Types enforced, a whole verification completes with no violation', async () => {
    const strict = await startStrictPage(sb.verifyUrl);
    allowEmbed(sb, new URL(strict.url).origin);
    try {
      const { clientSecret, sessionId } = await newSession(sb.demoUrl);
      await browser.url(`${strict.url}tt/#${encodeURIComponent(`${clientSecret.secret}|${hostedPageOf(clientSecret)}`)}`);
      await browser.$('#open').waitForExist();
      // the page really enforces it: a string into a script sink is refused (its report, if the engine sends one, is
      // the only one allowed: its sample names /x.js)
      const probe = await browser.execute(() => {
        try {
          document.createElement('script').src = '/x.js';
          return 'allowed';
        } catch (e) {
          return e.name;
        }
      });
      assert.equal(probe, 'TypeError');
      await browser.$('#open').click();
      const iframe = browser.$('facesign-verify').shadow$('iframe');
      await iframe.waitForExist();
      await browser.switchFrame(await iframe);
      await browser.$('aria/Start verification').click();
      await browser.$('input[name=answer]').waitForDisplayed();
      await browser.$('input[name=answer]').setValue('Ada Lovelace');
      await browser.$('aria/Send').click();
      await toPage();
      await browser.waitUntil(() => browser.execute(() => window.__events.includes('facesign-complete')), { timeout: 15_000 });
      for (let i = 0; i < 100 && sb.backend.store.get(sessionId)?.status !== 'complete'; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(sb.backend.store.get(sessionId)?.status, 'complete');
      assert.deepEqual(await browser.execute(() => window.__violations.filter((v) => !v.includes('/x.js'))), []);
      assert.deepEqual(await browser.execute(() => window.__errors), []);
    } finally {
      await strict.close();
    }
  });

  it('continue on your phone (cross-device="force"): a phone opens the link the QR code encodes and finishes; WebKit reports complete, once', async () => {
    await browser.url(`${sb.demoUrl}?cross-device=force`);
    await browser.$('#sample option').waitForExist();
    await browser.execute(RECORD);
    await browser.$('#sample').selectByAttribute('value', 'greeting');
    await browser.$('input[name=mode][value=inline]').click();
    await browser.$('#start').click();
    const el = browser.$('facesign-verify');
    // the offer's primary button (WebKit's driver takes CSS selectors only in a shadow root)
    const choose = el.shadow$('[part=retry-button]');
    await choose.waitForDisplayed();
    assert.equal(await choose.getText(), 'Continue on your phone');
    await choose.click();
    const qr = el.shadow$('[part=qr]');
    await qr.waitForDisplayed();
    // the phone: Chromium with a fake camera, a phone's viewport and user agent; it also decodes the screenshot
    const phone = await launch();
    try {
      const context = await phone.newContext(PHONE);
      const p = await context.newPage();
      // the window's screenshot, the code scrolled into it (WebKitGTK's element screenshots of a shadow root's SVG
      // come out black): jsQR finds the code in the whole picture, as a phone's camera would
      await browser.execute(() => document.querySelector('facesign-verify').scrollIntoView({ block: 'center' }));
      const link = await decodeQr(p, async () => Buffer.from(await browser.takeScreenshot(), 'base64'));
      await p.goto(link);
      await p.getByRole('button', { name: 'Start verification' }).click();
      await p.getByRole('textbox').fill('Grace Hopper');
      await p.getByRole('button', { name: 'Send' }).click();
      await p.getByText('Verification complete. You can return to your computer.').waitFor();
    } finally {
      await phone.close();
    }
    await serverStatus('complete');
    const evs = await events();
    const ends = evs.filter((e) => TERMINAL.includes(e.type));
    assert.deepEqual(
      ends.map((e) => e.type),
      ['facesign-complete'],
    );
    assert.ok(
      evs.some((e) => e.type === 'facesign-step'),
      "the phone's steps reached WebKit",
    );
  });
});
