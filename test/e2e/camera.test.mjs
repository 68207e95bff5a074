// Camera problems named, end to end on the sandbox (Chromium): the hosted page tells a refused camera, a refused
// microphone, no camera, and a camera in use apart, says in the page what to do, and reports each by its code; the
// flow goes on without liveness (the sandbox's choice) or, where it needs the camera (?sim=camera-required), ends
// with the element's own screen for it. Chromium shows a refusal (--deny-permission-prompts, with the camera alone
// granted for a refused microphone) and no camera (a fake device count of 0); a camera held by another app it
// cannot make, so that one runs on a stand-in getUserMedia that fails as the system does (NotReadableError).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { events, openDemo, useSandbox, serverStatus, startRun, terminal } from './helpers.mjs';

/** Starts a run, answers the one question, and waits for the server-confirmed result; returns the events. */
async function completes(demo) {
  const { page, frame } = demo;
  await frame.getByRole('textbox').fill('Grace Hopper');
  await frame.getByRole('button', { name: 'Send' }).click();
  await frame.getByText('Verification complete.').waitFor();
  return { status: await serverStatus(page, 'complete'), evs: await events(page) };
}

/**
 * The demo page with the phone never offered (cross-device "off"): these are the hosted page's own camera messages
 * and the element's screens for them; the phone offered after each is test/e2e/handoff.test.mjs.
 */
const url = (ctx) => `${ctx.sb.demoUrl}?cross-device=off`;

const ONE_ERROR_THEN_ON = ['facesign-ready', 'facesign-error', 'facesign-start', 'facesign-step', 'facesign-step', 'facesign-complete'];

describe('camera problems named: permission denied', () => {
  const ctx = useSandbox({ camera: 'deny' });

  it('camera refused: the page says to allow it in the browser’s settings with Try again, reports camera_denied, and still completes (not verified)', async () => {
    const demo = await openDemo(ctx.browser, url(ctx));
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    await demo.frame.getByText(/Camera access is blocked\. Allow the camera for this site in your browser’s settings/).waitFor();
    await demo.frame.locator('#camera-note').getByRole('button', { name: 'Try again' }).waitFor();
    const { status, evs } = await completes(demo);
    assert.equal(status, 'complete (not verified)');
    const err = evs.find((e) => e.type === 'facesign-error');
    assert.deepEqual([err.detail.code, err.detail.recoverable], ['camera_denied', true]);
    assert.deepEqual(
      evs.map((e) => e.type),
      ONE_ERROR_THEN_ON,
    );
    assert.equal(terminal(evs).length, 1);
    await demo.page.close();
  });

  it('microphone refused, camera granted: microphone_denied, the preview is live, typed answers, completes verified', async () => {
    const demo = await openDemo(ctx.browser, url(ctx), { permissions: ['camera'] });
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    await demo.frame.getByText(/Microphone access is blocked, so answer by typing/).waitFor();
    await demo.frame.locator('video[data-live]').waitFor();
    const { status, evs } = await completes(demo);
    assert.equal(status, 'complete (verified)');
    const err = evs.find((e) => e.type === 'facesign-error');
    assert.deepEqual([err.detail.code, err.detail.recoverable], ['microphone_denied', true]);
    assert.deepEqual(
      evs.map((e) => e.type),
      ONE_ERROR_THEN_ON,
    );
    await demo.page.close();
  });

  it('a flow that needs the camera: camera_denied ends it, and the element’s own screen says how to allow it, with Try again', async () => {
    const demo = await openDemo(ctx.browser, `${url(ctx)}&sim=camera-required`);
    const { page, frame } = demo;
    await page.selectOption('#sample', 'greeting');
    await page.check('input[name=mode][value=inline]');
    await page.click('#start');
    await frame.getByRole('button', { name: 'Start verification' }).click();
    const cover = page.locator('facesign-verify [part=error]');
    await cover.getByRole('heading', { name: 'Allow camera access' }).waitFor();
    await cover.getByText('Your camera is blocked. Allow it in your browser’s settings, then try again.').waitFor();
    await cover.getByRole('button', { name: 'Try again' }).waitFor();
    assert.match(await cover.locator('[part=reference]').innerText(), /camera_denied/);
    const evs = await events(page);
    assert.deepEqual(
      terminal(evs).map((e) => [e.detail.code, e.detail.recoverable]),
      [['camera_denied', false]],
    );
    assert.equal(await page.locator('facesign-verify iframe').count(), 0);
    await page.close();
  });

  it('a flow that needs the camera goes on when only the microphone is refused: microphone_denied is recoverable, the camera is on', async () => {
    const demo = await openDemo(ctx.browser, `${url(ctx)}&sim=camera-required`, { permissions: ['camera'] });
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    await demo.frame.locator('video[data-live]').waitFor();
    const { status, evs } = await completes(demo);
    assert.equal(status, 'complete (verified)');
    assert.deepEqual(
      evs.filter((e) => e.type === 'facesign-error').map((e) => [e.detail.code, e.detail.recoverable]),
      [['microphone_denied', true]],
    );
    await demo.page.close();
  });
});

describe('camera problems named: no camera', () => {
  const ctx = useSandbox({ camera: 'none' });

  it('camera_not_found: the page says to continue on a device with a camera (no Try again), and the run still completes (not verified)', async () => {
    const demo = await openDemo(ctx.browser, url(ctx));
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    await demo.frame.getByText(/This device has no camera\. To confirm your liveness, continue on a phone/).waitFor();
    assert.equal(await demo.frame.locator('#camera-note button').count(), 0);
    const { status, evs } = await completes(demo);
    assert.equal(status, 'complete (not verified)');
    const err = evs.find((e) => e.type === 'facesign-error');
    assert.deepEqual([err.detail.code, err.detail.recoverable], ['camera_not_found', true]);
    await demo.page.close();
  });
});

describe('camera problems named: the camera in use by another app (a stand-in getUserMedia)', () => {
  const ctx = useSandbox();

  it('camera_in_use: the page says to close the other app, with Try again that asks again and then gets the camera', async () => {
    const demo = await openDemo(ctx.browser, url(ctx));
    // in every frame: the first ask fails as a camera held elsewhere does, the next goes to the real (fake) camera
    await demo.page.addInitScript(() => {
      const md = navigator.mediaDevices;
      if (!md) return;
      const real = md.getUserMedia.bind(md);
      let held = true;
      md.getUserMedia = (c) => {
        if (!held) return real(c);
        held = false;
        return Promise.reject(new DOMException('Could not start video source', 'NotReadableError'));
      };
    });
    await demo.page.reload();
    await demo.page.locator('#sample option').first().waitFor({ state: 'attached' });
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    await demo.frame.getByText(/Your camera is in use by another app/).waitFor();
    await demo.frame.locator('#camera-note').getByRole('button', { name: 'Try again' }).click();
    await demo.frame.locator('video[data-live]').waitFor();
    await demo.frame.locator('#camera-note').waitFor({ state: 'hidden' });
    const { status, evs } = await completes(demo);
    assert.equal(status, 'complete (verified)');
    const err = evs.find((e) => e.type === 'facesign-error');
    assert.deepEqual([err.detail.code, err.detail.recoverable], ['camera_in_use', true]);
    await demo.page.close();
  });
});
