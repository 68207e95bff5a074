// End to end on the real sandbox: demo merchant page (localhost) -> <facesign-verify> -> hosted verify page
// (127.0.0.1) -> API simulator -> signed webhook -> demo backend -> server-confirmed result on the page.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { events, layoutSettled, openDemo, useSandbox, serverStatus, startRun, terminal, types } from './helpers.mjs';
import { newSession } from './strict-page.mjs';

describe('sandbox end to end', () => {
  const ctx = useSandbox();

  it('inline: a full run reaches the server-confirmed complete', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    // the fake camera gives a live preview
    await frame.locator('video[data-live]').waitFor();
    await frame.getByRole('textbox').fill('Ada Lovelace');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/sandbox-inline.png' });
    await frame.getByRole('button', { name: 'Send' }).click();
    await frame.getByText('Verification complete.').waitFor();
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');

    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-step', 'facesign-complete'],
    );
    assert.deepEqual(evs[2].detail, { nodeId: 'greeting', nodeType: 'conversation' });
    assert.deepEqual(evs[3].detail, { nodeId: 'end', nodeType: 'end' });
    assert.equal(terminal(evs).length, 1);
    const sessionId = evs[4].detail.sessionId;
    assert.match(sessionId, /^fs_session_/);
    // what the merchant server stored came from the signed webhook, and it has the whole transcript
    const rec = ctx.sb.backend.store.get(sessionId);
    assert.equal(rec.status, 'complete');
    assert.deepEqual(
      rec.events.map((e) => e.type),
      ['session.started', 'session.completed'],
    );
    const report = ctx.sb.simulator.sessions.get(sessionId).session.report;
    assert.equal(report.livenessDetected, true);
    assert.deepEqual(report.transcript.map((t) => t.text).slice(1, 3), ["Hello! What's your name?", 'Ada Lovelace']);
    assert.deepEqual(demo.errors, []);
    // the event log scrolls, so it must be reachable by keyboard (axe: scrollable-region-focusable)
    await page.locator('#log').focus();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'log');
    await page.close();
  });

  it('modal: a branching flow with choices and free text, to the server-confirmed complete', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    await startRun(demo, { sample: 'onboarding', mode: 'modal' });
    assert.equal(await page.locator('facesign-verify').evaluate((el) => el.shadowRoot.querySelector('dialog').matches(':modal')), true);
    await frame.getByRole('button', { name: 'business banking' }).click();
    await frame.getByText('What is the name of your company?').waitFor();
    await frame.getByRole('textbox').fill('Analytical Engines Ltd');
    await frame.getByRole('button', { name: 'Send' }).click();
    await frame.getByRole('button', { name: 'yes, 18 or older' }).click();
    await frame.getByText('Verification complete.').waitFor();
    await serverStatus(page, 'complete');

    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => (e.type === 'facesign-step' ? `step:${e.detail.nodeId}` : e.type)),
      ['facesign-ready', 'facesign-start', 'step:purpose', 'step:company', 'step:age', 'step:end', 'facesign-complete'],
    );
    assert.equal(terminal(evs).length, 1);
    // the modal stays open on completion until the user closes it; closing then adds no second terminal event
    await page.locator('facesign-verify').evaluate((el) => el.close());
    assert.deepEqual((await types(page)).slice(-2), ['facesign-complete', 'facesign-close']);
    assert.equal(terminal(await events(page)).length, 1);
    await page.close();
  });

  it('cancel: the user cancels in the hosted page; canceled in the browser and on the server', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    await frame.getByRole('button', { name: 'Cancel verification' }).click();
    assert.equal(await serverStatus(page, 'canceled'), 'canceled');
    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-cancel'],
    );
    assert.deepEqual(evs[3].detail, { reason: 'user_canceled' });
    assert.equal(terminal(evs).length, 1);
    await page.close();
  });

  it('modal closed with Escape mid-flow: one cancel in the browser, canceled on the server', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    await startRun(demo, { sample: 'greeting', mode: 'modal' });
    await frame.getByRole('textbox').waitFor();
    // Escape pressed on the host page (focus on the dialog's close button), not inside the iframe
    await page.locator('facesign-verify').evaluate((el) => el.shadowRoot.querySelector('[part=close-button]').focus());
    await page.keyboard.press('Escape');
    assert.equal(await serverStatus(page, 'canceled'), 'canceled');
    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-close-request', 'facesign-cancel', 'facesign-close'],
    );
    assert.deepEqual(evs[4].detail, { reason: 'escape' });
    assert.equal(terminal(evs).length, 1);
    await page.close();
  });

  it('a restart mid-flow (the page switches the language) continues the same session: leaving is not cancelling', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    // the session this run created (the newest on the simulator)
    const sessionId = [...ctx.sb.simulator.sessions.keys()].at(-1);
    assert.match(sessionId, /^fs_session_/);
    await page.locator('facesign-verify').evaluate((el) => (el.lang = 'fr'));
    // the new frame goes on where the server says the person was: the question, not the start button
    await page.waitForFunction(() => {
      const frames = document.querySelector('facesign-verify').shadowRoot.querySelectorAll('iframe');
      return frames.length === 1 && frames[0].src.includes('lang=fr');
    });
    await frame.getByRole('textbox').waitFor();
    assert.equal(ctx.sb.simulator.sessions.get(sessionId).session.status, 'processing');
    await layoutSettled(page);
    await frame.getByRole('textbox').fill('Ada Lovelace');
    await frame.getByRole('textbox').press('Enter');
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    const evs = await events(page);
    assert.equal(evs.find((e) => e.type === 'facesign-complete').detail.sessionId, sessionId);
    await page.close();
  });

  it('a valid secret of another session handed to the hosted page is refused: refreshSecret() rejects with secret_rejected', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page } = demo;
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    // another session's secret, as a confused (or hostile) backend would answer a refresh with it
    const other = await page.evaluate(
      async () =>
        (
          await (
            await fetch('/api/verifications', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sample":"greeting"}' })
          ).json()
        ).clientSecret.secret,
    );
    const outcome = await page.locator('facesign-verify').evaluate(async (el, secret) => {
      el.refreshUrl = undefined;
      el.fetchClientSecret = async () => secret;
      return el.refreshSecret().then(
        () => 'resolved',
        (e) => e.code,
      );
    }, other);
    assert.equal(outcome, 'secret_rejected');
    await page.close();
  });

  it('legacy modules: the email code is checked, a wrong one is refused', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    await startRun(demo, { sample: 'modules', mode: 'inline' });
    await frame.getByRole('button', { name: 'user said their full name' }).click();
    const hint = await frame.getByText(/sandbox: the code is \d{6}/).textContent();
    const code = hint.match(/\d{6}/)[0];
    // submitted with Enter, not a click on Send: the frame grows with each answer, and a click computed while the
    // element follows its resize can land on what moved there (Cancel verification)
    await frame.getByRole('textbox').fill(code === '000000' ? '111111' : '000000');
    await frame.getByRole('textbox').press('Enter');
    await frame.getByText('That code is not right.').waitFor();
    await layoutSettled(page);
    await frame.getByRole('textbox').fill(code);
    await frame.getByRole('textbox').press('Enter');
    await frame.getByText('Verification complete.').waitFor();
    await serverStatus(page, 'complete');
    assert.equal(terminal(await events(page)).length, 1);
    await page.close();
  });
});

describe('sandbox end to end, hosted page opened top-level from clientSecret.url', () => {
  const ctx = useSandbox();

  it('runs without a parent, takes the secret from its URL and removes it from the address bar', async () => {
    const { sessionId, clientSecret } = await newSession(ctx.sb.demoUrl, 'greeting');
    const page = await ctx.browser.newPage();
    await page.goto(clientSecret.url);
    await page.getByRole('button', { name: 'Start verification' }).click();
    assert.ok(!page.url().includes(clientSecret.secret), 'the secret is gone from the address bar');
    await page.getByRole('textbox').fill('Mary Jackson');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Verification complete. You can close this window.').waitFor();
    for (let i = 0; i < 100 && ctx.sb.backend.store.get(sessionId).status !== 'complete'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(ctx.sb.backend.store.get(sessionId).status, 'complete');
    await page.close();
  });

  it('without a client secret it says what is wrong instead of hanging', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.sb.verifyUrl);
    await page.getByText('No verification session.').waitFor();
    await page.getByText(/Open this page from the link/).waitFor();
    await page.close();
  });
});
