// End to end, a page that comes back: a reload, Back after a navigation, and a frozen tab reloaded as a discarded
// one is restored (Chromium's page lifecycle over the DevTools protocol). Each continues the same FaceSign session
// where the person was: the element remembers the session id for this tab, the demo page mounts the element again
// with fetchClientSecret, and the demo backend answers with a secret of that session (demo/app/main.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { events, layoutSettled, openDemo, serverStatus, startRun, useSandbox } from './helpers.mjs';

describe('a page that comes back continues the same session', () => {
  const ctx = useSandbox();

  /** A run to the question, then `away(page)`; the page that comes back finishes it. */
  async function cameBack(away) {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    const sessionId = [...ctx.sb.simulator.sessions.keys()].at(-1);
    await away(page);
    // the element again, on its own: the question, not the start button
    await frame.getByRole('textbox').waitFor({ timeout: 15_000 });
    assert.equal(ctx.sb.simulator.sessions.get(sessionId).session.status, 'processing');
    await layoutSettled(page);
    await frame.getByRole('textbox').fill('Ada Lovelace');
    await frame.getByRole('textbox').press('Enter');
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    const evs = await events(page);
    assert.equal(evs.find((e) => e.type === 'facesign-complete').detail.sessionId, sessionId);
    // done: nothing left to continue, a reload is a new start
    await page.reload();
    await page.locator('#sample option').first().waitFor({ state: 'attached' });
    assert.equal(await page.locator('facesign-verify').count(), 0);
    await page.close();
    return evs;
  }

  it('a reload mid-flow: the same session, facesign-ready says it resumed', async () => {
    const evs = await cameBack((page) => page.reload());
    assert.deepEqual(evs.find((e) => e.type === 'facesign-ready').detail, { resumed: true });
  });

  it('Back after leaving the page mid-flow: the same session', async () => {
    await cameBack(async (page) => {
      await page.goto('about:blank');
      await page.goBack();
    });
  });

  it('a tab frozen, then reloaded as a discarded tab is restored: the same session', async () => {
    await cameBack(async (page) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
      await cdp.detach();
      await page.reload();
    });
  });
});
