// Continue on your phone, end to end on the sandbox (Chromium): the computer is the demo page in a browser with no
// camera at all, the phone a second browser (a phone's viewport and user agent, a fake camera). The phone opens the
// link the QR code encodes: the test decodes the code's pixels from a screenshot (jsQR), never the link in the DOM.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PHONE, decodeQr, events, launch, openDemo, sandbox, serverStatus, terminal } from './helpers.mjs';

/** The link the QR code on the computer's screen encodes: its screenshot's pixels, decoded. */
const scanCode = (page) => decodeQr(page, () => page.locator('facesign-verify [part=qr]').screenshot());

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
    // a phone silent for 5 s has left (30 s by default): a live phone's page always has a status request held
    sb = await sandbox({ handoffSilenceMs: 5000 });
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
    if (process.env.FACESIGN_SCREENSHOTS) await page.locator('facesign-verify').screenshot({ path: 'docs/screens/handoff-computer.png' });
    assert.match(link, /#fs_handoff=/);
    assert.doesNotMatch(link, /client_secret|fs_client_secret_/, 'the link is not the secret');
    // the same link as text, with a copy button, for a person who cannot scan
    assert.equal(await cover.locator('[part=link]').inputValue(), link);
    const p = await phoneOpens(phone, link);
    await p.page.getByRole('textbox').waitFor();
    await cover.getByRole('heading', { name: 'Continue on your phone' }).waitFor();
    await phoneFinishes(p.page);
    // FACESIGN_SCREENSHOTS=1: README's pictures of both screens, from this run
    if (process.env.FACESIGN_SCREENSHOTS) await p.page.screenshot({ path: 'docs/screens/handoff-phone.png' });
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

  /** The computer at the code, the phone on the flow: the handoff under way; `link`: the one the QR code encoded. */
  async function underWay() {
    const demo = await toTheCode(computer, sb.demoUrl);
    const link = await scanCode(demo.page);
    const p = await phoneOpens(phone, link);
    await p.page.getByRole('textbox').waitFor();
    await demo.cover.getByRole('heading', { name: 'Continue on your phone' }).waitFor();
    return { demo, p, link };
  }
  /** the terminal events, each with its reason (or ok) */
  const kinds = (evs) => terminal(evs).map((e) => [e.type, e.detail.reason ?? e.detail.code ?? 'ok']);

  it('a second device opening the same link is refused with a clear screen; the first phone goes on and finishes', async () => {
    const { demo, p, link } = await underWay();
    const second = await phoneOpens(phone, link);
    await second.page.getByText('This link was already opened on another device.').waitFor();
    assert.equal(await second.page.locator('body').getAttribute('data-handoff-refused'), 'handoff_already_opened');
    assert.equal(await second.page.getByRole('textbox').count(), 0);
    await phoneFinishes(p.page);
    await serverStatus(demo.page, 'complete');
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-complete', 'ok']]);
    await Promise.all([second.context.close(), p.context.close(), demo.page.close()]);
  });

  it('an expired link: the computer says so, the phone that opens it is refused, and a fresh code on request works', async () => {
    const demo = await toTheCode(computer, sb.demoUrl);
    const old = await scanCode(demo.page);
    sb.simulator.expireHandoffLinks();
    await demo.cover.getByRole('heading', { name: 'This code has expired' }).waitFor();
    const late = await phoneOpens(phone, old);
    await late.page.getByText('This link has expired.').waitFor();
    assert.equal(await late.page.locator('body').getAttribute('data-handoff-refused'), 'handoff_link_expired');
    await demo.cover.getByRole('button', { name: 'Show a new code' }).click();
    await demo.cover.getByRole('heading', { name: 'Scan this code with your phone' }).waitFor();
    const fresh = await scanCode(demo.page);
    assert.notEqual(fresh, old);
    const p = await phoneOpens(phone, fresh);
    await phoneFinishes(p.page);
    await serverStatus(demo.page, 'complete');
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-complete', 'ok']]);
    await Promise.all([late.context.close(), p.context.close(), demo.page.close()]);
  });

  it('"Show a new code" while waiting: the code shown before opens nothing', async () => {
    const demo = await toTheCode(computer, sb.demoUrl);
    const before = await scanCode(demo.page);
    await demo.cover.getByRole('button', { name: 'Show a new code' }).click();
    await demo.page.waitForFunction((b) => document.querySelector('facesign-verify').shadowRoot.querySelector('[part=link]')?.value !== b, before);
    const stale = await phoneOpens(phone, before);
    await stale.page.getByText('This link has expired.').waitFor();
    await Promise.all([stale.context.close(), demo.page.close()]);
  });

  it('cancel on the computer ends both: one facesign-cancel here, and the phone says it was canceled there', async () => {
    const { demo, p } = await underWay();
    await demo.cover.getByRole('button', { name: 'Cancel' }).click();
    await p.page.getByText('Verification canceled on your computer. You can return to your computer.').waitFor();
    assert.equal(await p.page.getByRole('textbox').count(), 0);
    await serverStatus(demo.page, 'canceled');
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-cancel', 'closed']]);
    await Promise.all([p.context.close(), demo.page.close()]);
  });

  it('cancel on the computer with a slow network: the cancel still reaches FaceSign after the relay’s frame is gone, and the phone stops', async () => {
    const { demo, p } = await underWay();
    // the computer's requests to cancel take 2.5 s: longer than the element keeps a closed frame (1 s)
    await demo.page.route(/\/v1\/client\/session\/cancel/, (route) => setTimeout(() => route.continue().catch(() => {}), 2500));
    await demo.cover.getByRole('button', { name: 'Cancel' }).click();
    await p.page.getByText('Verification canceled on your computer. You can return to your computer.').waitFor({ timeout: 20_000 });
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-cancel', 'closed']]);
    const sessionId = [...sb.simulator.sessions.keys()].at(-1);
    assert.equal(sb.simulator.sessions.get(sessionId).session.status, 'canceled');
    await Promise.all([p.context.close(), demo.page.close()]);
  });

  it('cancel on the phone ends both: the phone sends the person back, the computer hears one facesign-cancel', async () => {
    const { demo, p } = await underWay();
    await p.page.getByRole('button', { name: 'Cancel verification' }).click();
    await p.page.getByText('Verification canceled. You can return to your computer.').waitFor();
    await demo.cover.getByRole('heading', { name: 'Verification closed' }).waitFor();
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-cancel', 'user_canceled']]);
    await Promise.all([p.context.close(), demo.page.close()]);
  });

  it('the phone’s page closed: the computer says so; a new code starts it on a phone again, which finishes', async () => {
    const { demo, p } = await underWay();
    // the tab closed as a person closes it: its pagehide runs
    await p.page.close({ runBeforeUnload: true });
    await demo.cover.getByRole('heading', { name: 'Your phone’s page is not open' }).waitFor();
    await p.context.close();
    await demo.cover.getByRole('button', { name: 'Show a new code' }).click();
    await demo.cover.getByRole('heading', { name: 'Scan this code with your phone' }).waitFor();
    const again = await phoneOpens(phone, await scanCode(demo.page));
    await phoneFinishes(again.page);
    await serverStatus(demo.page, 'complete');
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-complete', 'ok']]);
    await Promise.all([again.context.close(), demo.page.close()]);
  });

  it('the phone’s page dies without a goodbye (its renderer crashed): the computer says it is not open once it is silent; a new code finishes on a phone', async () => {
    const { demo, p } = await underWay();
    const cdp = await p.context.newCDPSession(p.page);
    // no pagehide, no beacon: as a killed browser, a lost network or a frozen page (the command gets no answer
    // from a renderer it crashed: the page's crash event says it happened)
    await Promise.all([p.page.waitForEvent('crash'), void cdp.send('Page.crash').catch(() => {})]);
    await demo.cover.getByRole('heading', { name: 'Your phone’s page is not open' }).waitFor({ timeout: 30_000 });
    await p.context.close();
    await demo.cover.getByRole('button', { name: 'Show a new code' }).click();
    const again = await phoneOpens(phone, await scanCode(demo.page));
    await phoneFinishes(again.page);
    await serverStatus(demo.page, 'complete');
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-complete', 'ok']]);
    await Promise.all([again.context.close(), demo.page.close()]);
  });

  it('the computer reloaded while its code waits, then the phone opens that code: the computer’s page hands over to the phone, never an error', async () => {
    const demo = await toTheCode(computer, sb.demoUrl);
    const link = await scanCode(demo.page);
    // the reload comes back to the hosted page here, which finds no camera again and keeps its frame behind the
    // offer; the code on the phone is still valid (only a flow run here kills it)
    await demo.page.reload();
    const cover = demo.page.locator('facesign-verify [part=error]');
    await cover.getByRole('heading', { name: 'No camera found' }).waitFor();
    const p = await phoneOpens(phone, link);
    await p.page.getByRole('textbox').waitFor();
    // the computer's page learns the session is the phone's (it watches its session) before the person chooses
    await cover.getByRole('heading', { name: 'Continue on your phone' }).waitFor({ timeout: 15_000 });
    await phoneFinishes(p.page);
    await serverStatus(demo.page, 'complete');
    const evs = await events(demo.page);
    assert.deepEqual(kinds(evs), [['facesign-complete', 'ok']]);
    // the reloaded page's camera problem (recoverable, what offered the phone) and nothing else: no refused flow
    assert.deepEqual(
      evs.filter((e) => e.type === 'facesign-error').map((e) => [e.detail.code, e.detail.recoverable]),
      [['camera_not_found', true]],
    );
    await Promise.all([p.context.close(), demo.page.close()]);
  });

  it('a refresh of the computer during the handoff: the element comes back to where the phone is, and reports its end once', async () => {
    const { demo, p } = await underWay();
    const sessionId = [...sb.simulator.sessions.keys()].at(-1);
    await demo.page.reload();
    const cover = demo.page.locator('facesign-verify [part=error]');
    await cover.getByRole('heading', { name: 'Continue on your phone' }).waitFor({ timeout: 15_000 });
    await phoneFinishes(p.page);
    await serverStatus(demo.page, 'complete');
    const evs = await events(demo.page);
    assert.deepEqual(kinds(evs), [['facesign-complete', 'ok']]);
    assert.equal(evs.find((e) => e.type === 'facesign-complete').detail.sessionId, sessionId);
    await Promise.all([p.context.close(), demo.page.close()]);
  });

  it('the computer offline (asleep) while the phone finishes: on waking it reports the end, once', async () => {
    const { demo, p } = await underWay();
    await demo.page.context().setOffline(true);
    await phoneFinishes(p.page);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(kinds(await events(demo.page)), []);
    await demo.page.context().setOffline(false);
    await demo.cover.getByRole('heading', { name: 'Verification complete' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(kinds(await events(demo.page)), [['facesign-complete', 'ok']]);
    await Promise.all([p.context.close(), demo.page.close()]);
  });

  it('a flow that needs the camera, on a computer without one: the verification does not end there; the phone is offered and finishes it', async () => {
    const { page, cover } = await toTheCode(computer, sb.demoUrl, '?sim=camera-required');
    const evs = await events(page);
    // reported, recoverable: the phone can still verify
    assert.deepEqual(
      evs.filter((e) => e.type === 'facesign-error').map((e) => [e.detail.code, e.detail.recoverable]),
      [['camera_not_found', true]],
    );
    assert.deepEqual(kinds(evs), []);
    const p = await phoneOpens(phone, await scanCode(page));
    // the flow here ended before it started on the server: the phone starts it
    await p.page.getByRole('button', { name: 'Start verification' }).click();
    await phoneFinishes(p.page);
    await serverStatus(page, 'complete');
    assert.deepEqual(kinds(await events(page)), [['facesign-complete', 'ok']]);
    await cover.getByRole('heading', { name: 'Verification complete' }).waitFor();
    await Promise.all([p.context.close(), page.close()]);
  });

  it('an in-app browser: beside "open in your browser", the phone; the phone finishes and the in-app page reports complete', async () => {
    const demo = await openDemo(computer, `${sb.demoUrl}?sim=in-app`);
    const { page } = demo;
    await page.selectOption('#sample', 'greeting');
    await page.check('input[name=mode][value=inline]');
    await page.click('#start');
    const cover = page.locator('facesign-verify [part=error]');
    await cover.getByRole('heading', { name: 'Open this page in your browser' }).waitFor();
    await cover.getByRole('button', { name: 'Continue on your phone' }).click();
    await cover.getByRole('heading', { name: 'Scan this code with your phone' }).waitFor();
    const p = await phoneOpens(phone, await scanCode(page));
    await p.page.getByRole('button', { name: 'Start verification' }).click();
    await phoneFinishes(p.page);
    await serverStatus(page, 'complete');
    assert.deepEqual(kinds(await events(page)), [['facesign-complete', 'ok']]);
    await Promise.all([p.context.close(), page.close()]);
  });

  it('cross-device="force" on a computer: the phone is offered before anything loads, and staying runs the frame here', async () => {
    const demo = await openDemo(computer, `${sb.demoUrl}?cross-device=force`);
    const { page, frame } = demo;
    await page.selectOption('#sample', 'greeting');
    await page.check('input[name=mode][value=inline]');
    await page.click('#start');
    const cover = page.locator('facesign-verify [part=error]');
    await cover.getByRole('heading', { name: 'Verify with your phone' }).waitFor();
    assert.equal(await page.locator('facesign-verify iframe').count(), 0, 'nothing loads before the person chooses');
    await cover.getByRole('button', { name: 'Stay on this device' }).click();
    await frame.getByRole('button', { name: 'Start verification' }).waitFor();
    await page.close();
  });
});
