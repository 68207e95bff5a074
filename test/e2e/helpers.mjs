// End-to-end helpers: the whole sandbox on free loopback ports, and the system Chromium through playwright-core
// (never a downloaded browser). Every facesign-* event the demo page sees is recorded in window.__events.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { chromium } from 'playwright-core';
import { startSandbox } from '../../demo/sandbox.mjs';
import { findEngines } from '../../wtr/browsers.mjs';

// the Chromium-family browser wtr/browsers.mjs finds (CHROME_PATH, /usr/bin/chromium, Chrome, Edge, …)
export const CHROMIUM = findEngines().present.chromium ?? '/usr/bin/chromium';
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];
const CAMERA_ARGS = {
  // permission prompts answered with yes, a fake camera and microphone
  allow: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  // answered with no (a page's context may still be granted some: openDemo's `permissions`)
  deny: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'],
  // answered with yes, but no camera at all (fake microphones only): getUserMedia's NotFoundError
  none: ['--use-fake-device-for-media-stream=device-count=0', '--use-fake-ui-for-media-stream'],
};

/** `camera`: 'allow' (the default), 'deny' or 'none' (CAMERA_ARGS). */
export function launch({ camera = 'allow' } = {}) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...CAMERA_ARGS[camera]] });
}

export function sandbox(options = {}) {
  return startSandbox({ apiPort: 0, verifyPort: 0, demoPort: 0, webhookRetryMs: 100, ...options });
}

/**
 * Lets a page of `origin` embed the sandbox's hosted page, as a merchant adds a site of its own to its allowed embed
 * origins (the sandbox allows the demo app's only).
 */
export function allowEmbed(sb, origin) {
  const allowed = sb.simulator.config.allowedEmbedOrigins[sb.apiKey];
  if (!allowed.includes(origin)) allowed.push(origin);
}

/** The hosted page's URL to give `verify-url` with a bare secret string: clientSecret.url without the secret (it names the merchant). */
export function hostedPageOf(clientSecret) {
  const url = new URL(clientSecret.url);
  url.searchParams.delete('client_secret');
  return url.href;
}

/** In a describe(): a sandbox and a browser for its tests (ctx.sb, ctx.browser), both stopped after them. */
export function useSandbox({ camera = 'allow', ...options } = {}) {
  const ctx = {};
  before(async () => {
    ctx.sb = await sandbox(options);
    ctx.browser = await launch({ camera });
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.sb?.stop();
  });
  return ctx;
}

export const RECORD = `
  window.__events = [];
  for (const n of ['ready', 'start', 'step', 'complete', 'cancel', 'error', 'close-request', 'close', 'secret-refresh', 'secret-request', 'fallback'])
    document.addEventListener('facesign-' + n, (e) => {
      const d = e.detail;
      // error details are plain objects: they survive structured cloning as they are
      window.__events.push({ type: e.type, detail: d });
    });
`;

/** Opens the demo app in a new page, recording events. `permissions`: granted to every origin in its context (e.g. ['camera']). */
export async function openDemo(browser, demoUrl, { permissions } = {}) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, ...(permissions && { permissions }) });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // a demo that logs Lit's dev-mode warning or asks for a missing file (favicon) is not what a merchant sees
  page.on('console', (m) => /dev mode/i.test(m.text()) && errors.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() === 404 && errors.push(`404 ${r.url()}`));
  await page.addInitScript(RECORD);
  await page.goto(demoUrl);
  await page.locator('#sample option').first().waitFor({ state: 'attached' });
  return { page, errors, frame: page.frameLocator('facesign-verify iframe') };
}

/** Picks a sample and a mode and presses Start; resolves once the hosted page offers "Start verification". */
export async function startRun({ page, frame }, { sample, mode }) {
  await page.selectOption('#sample', sample);
  await page.check(`input[name=mode][value=${mode}]`);
  await page.click('#start');
  await frame.getByRole('button', { name: 'Start verification' }).click();
  await frame.getByRole('textbox').waitFor();
  await layoutSettled(page);
}

/**
 * Resolves once the element's box has kept its height for 5 animation frames. The hosted page grows as the
 * conversation renders and the element follows its resize messages; a click computed before that ends can land
 * where the button was (the frame's scroll position resets as it grows).
 */
export async function layoutSettled(page) {
  await page.waitForFunction(
    () =>
      new Promise((resolve) => {
        const box = document.querySelector('facesign-verify')?.shadowRoot?.querySelector('.box');
        let last = -1;
        let same = 0;
        const check = () => {
          const h = box?.getBoundingClientRect().height;
          same = h === last ? same + 1 : 0;
          last = h;
          if (same >= 5) resolve(true);
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

export const events = (page) => page.evaluate(() => window.__events);
export const types = async (page) => (await events(page)).map((e) => e.type);
export const TERMINAL = ['facesign-complete', 'facesign-cancel'];
export const terminal = (evs) => evs.filter((e) => TERMINAL.includes(e.type) || (e.type === 'facesign-error' && !e.detail.recoverable));

/** Waits until the demo shows the server-confirmed status (from the webhook). */
export async function serverStatus(page, status) {
  await page.locator(`#server-result[data-status="${status}"]`).waitFor({ timeout: 15_000 });
  // the machine-readable result (status and verified or not); the text beside it is in words for people
  return page.locator('#server-result').getAttribute('data-result');
}

/**
 * What the QR code on the computer's screen encodes, read as a phone's camera reads it: frame after frame, `shoot()`
 * taking a PNG screenshot, until one decodes (jsQR on its pixels; at most five frames, a quarter second apart: a
 * screenshot taken under load may catch a frame the browser has not finished painting). The PNG is decoded by
 * `page`'s browser (a Playwright page), so no PNG library is needed here.
 */
export async function decodeQr(page, shoot) {
  for (let frame = 0; frame < 5; frame++) {
    if (frame) await new Promise((r) => setTimeout(r, 250));
    const { width, height, data } = await page.evaluate(
      async (b64) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const c = new OffscreenCanvas(bitmap.width, bitmap.height);
        const g = c.getContext('2d');
        g.drawImage(bitmap, 0, 0);
        return { width: c.width, height: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) };
      },
      Buffer.from(await shoot()).toString('base64'),
    );
    const code = jsQR(Uint8ClampedArray.from(data), width, height);
    if (code) return code.data;
  }
  assert.fail('the QR code decodes (five screenshots, none read)');
}

/** A phone: a 390 px viewport, a phone's user agent, touch (its browser is given a fake camera by `launch`). */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  isMobile: true,
  hasTouch: true,
};
