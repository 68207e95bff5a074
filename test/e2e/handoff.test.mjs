// Continue on your phone, end to end on the sandbox (Chromium): the computer is the demo page in a browser with no
// camera at all, the phone a second browser (a phone's viewport and user agent, a fake camera). The phone opens the
// link the QR code encodes: the test decodes the code's pixels from a screenshot (jsQR), never the link in the DOM.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsQR from 'jsqr';
import { events, launch, openDemo, sandbox, serverStatus, terminal } from './helpers.mjs';

const PHONE = {
  viewport: { width: 390, height: 844 },
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  isMobile: true,
  hasTouch: true,
};

/** The link the QR code on the computer's screen encodes: its screenshot's pixels, decoded. */
export async function scanCode(page) {
  const shot = await page.locator('facesign-verify [part=qr]').screenshot();
  // the PNG's pixels, by the browser's own decoder (no PNG library here)
  const { width, height, data } = await page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = c.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    return { width: c.width, height: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) };
  }, shot.toString('base64'));
  const code = jsQR(Uint8ClampedArray.from(data), width, height);
  assert.ok(code, 'the QR code on the computer decodes');
  return code.data;
}

/** The computer: the demo page, a run started, the camera found missing, the phone chosen; resolves at the code. */
async function toTheCode(browser, demoUrl, query = '') {
  const demo = await openDemo(browser, `${demoUrl}${query}`);
  const { page, frame } = demo;
  await page.selectOption('#sample', 'greeting');
  await page.check('input[name=mode][value=inline]');
  await page.click('#start');
  await frame.getByRole('button', { name: 'Start verification' }).click();
  const cover = page.locator('facesign-verify [part=error]');
  await cover.getByRole('heading', { name: 'No camera found' }).waitFor();
  await cover.getByRole('button', { name: 'Continue on your phone' }).click();
  await cover.getByRole('heading', { name: 'Scan this code with your phone' }).waitFor();
  return { ...demo, cover };
}

/** The phone: a page of its own browser opening `url`. */
async function phoneOpens(phoneBrowser, url) {
  const context = await phoneBrowser.newContext(PHONE);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { context, page, errors };
}

/** The phone answers the one question and finishes. */
async function phoneFinishes(page) {
  await page.getByRole('textbox').fill('Grace Hopper');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Verification complete. You can return to your computer.').waitFor();
}

describe('continue on your phone', () => {
  let sb;
  let computer;
  let phone;
  before(async () => {
    sb = await sandbox();
    computer = await launch({ camera: 'none' });
    phone = await launch({ camera: 'allow' });
  });
  after(async () => {
    await computer?.close();
    await phone?.close();
    await sb?.stop();
  });

  it('a computer with no camera: the phone opens the link its QR code encodes, finishes, and the computer’s element reports complete, once', async () => {
    const { page, cover, errors } = await toTheCode(computer, sb.demoUrl);
    const link = await scanCode(page);
    assert.match(link, /#fs_handoff=/);
    assert.doesNotMatch(link, /client_secret|fs_client_secret_/, 'the link is not the secret');
    // the same link as text, with a copy button, for a person who cannot scan
    assert.equal(await cover.locator('[part=link]').inputValue(), link);
    const p = await phoneOpens(phone, link);
    await p.page.getByRole('textbox').waitFor();
    await cover.getByRole('heading', { name: 'Continue on your phone' }).waitFor();
    await phoneFinishes(p.page);
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)', 'the phone’s camera made it live');
    const evs = await events(page);
    assert.deepEqual(
      terminal(evs).map((e) => e.type),
      ['facesign-complete'],
    );
    const types = evs.map((e) => e.type);
    assert.ok(types.includes('facesign-step'), 'the phone’s steps reached the computer');
    assert.equal(types.filter((t) => t === 'facesign-ready').length, 1);
    await cover.getByRole('heading', { name: 'Verification complete' }).waitFor();
    assert.deepEqual([...errors, ...p.errors], []);
    await p.context.close();
    await page.close();
  });
});
