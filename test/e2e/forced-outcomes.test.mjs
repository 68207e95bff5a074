// Forced outcomes end to end: the demo page runs <facesign-verify> against the sandbox, a test forces the session's
// outcome through the simulator's test helper, and the hosted page shows the screen a real run ends on while the
// element dispatches the event a real run gives. The sandbox also delivers the webhooks to a target of the test's own
// (startSandbox's `webhookUrl`), signed as every delivery is.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { listenOn } from '../../demo/api/simulator.mjs';
import { events, launch, openDemo, sandbox, serverStatus, startRun, terminal } from './helpers.mjs';

describe('forced outcomes in the demo page', () => {
  const ctx = { got: [] };
  before(async () => {
    ctx.hook = createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      ctx.got.push({ path: req.url, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200).end();
    });
    await listenOn(ctx.hook, 0, '127.0.0.1');
    ctx.sb = await sandbox({ webhookUrl: `http://127.0.0.1:${ctx.hook.address().port}/api/webhooks/facesign` });
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.sb?.stop();
    await new Promise((r) => ctx.hook?.close(r));
  });

  const force = async (sessionId, outcome) => {
    const res = await fetch(`${ctx.sb.apiUrl}/v1/test_helpers/sessions/${sessionId}/outcome`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.sb.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()).session;
  };
  /** The test's own webhook target's deliveries for the session, verified with the sandbox's secret. */
  const delivered = async (sessionId, count) => {
    const mine = () => ctx.got.map((g) => ({ g, e: JSON.parse(g.body) })).filter(({ e }) => e.data.session.id === sessionId);
    for (let i = 0; i < 300 && mine().length < count; i++) await new Promise((r) => setTimeout(r, 10));
    return mine().map(({ g }) => {
      assert.equal(g.path, '/api/webhooks/facesign');
      return new Webhook(ctx.sb.webhookSecret).verify(g.body, g.headers);
    });
  };
  /** Opens the demo, starts an inline run, and forces `outcome` mid-conversation (or on the first screen: `early`). */
  async function forcedRun(outcome, { early = false } = {}) {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const known = new Set(ctx.sb.simulator.sessions.keys());
    if (early) {
      await demo.page.selectOption('#sample', 'greeting');
      await demo.page.check('input[name=mode][value=inline]');
      await demo.page.click('#start');
      await demo.frame.getByRole('button', { name: 'Start verification' }).waitFor();
    } else await startRun(demo, { sample: 'greeting', mode: 'inline' });
    // the session the demo backend created for this run (the element's events name it only when it ends)
    const [sessionId] = [...ctx.sb.simulator.sessions.keys()].filter((k) => !known.has(k));
    assert.match(sessionId, /^fs_session_/);
    const forcedAt = Date.now();
    await force(sessionId, outcome);
    await demo.page.waitForFunction(
      () =>
        window.__events.some(
          (e) => ['facesign-complete', 'facesign-cancel'].includes(e.type) || (e.type === 'facesign-error' && !e.detail.recoverable),
        ),
      undefined,
      { timeout: 15_000 },
    );
    // the page asks once a second: the end shows within about that. Printed, and judged only against what no
    // polling page misses (a shared machine delays timers as it likes)
    const took = Date.now() - forcedAt;
    console.log(`the element learned the forced ${outcome} ${took} ms after it was forced`);
    assert.ok(took < 10_000, `the element learned the outcome after ${took} ms`);
    const evs = await events(demo.page);
    assert.equal(terminal(evs).length, 1);
    return { ...demo, sessionId, end: terminal(evs)[0] };
  }

  it('verified mid-run: facesign-complete, "Verification complete.", session.started + session.completed (isVerified true) to webhookUrl', async () => {
    const { page, frame, sessionId, end, errors } = await forcedRun('verified');
    assert.equal(end.type, 'facesign-complete');
    assert.equal(end.detail.sessionId, sessionId);
    await frame.getByText('Verification complete.').waitFor();
    assert.equal(await frame.getByRole('textbox').count(), 0);
    const hooks = await delivered(sessionId, 2);
    assert.deepEqual(
      hooks.map((e) => e.type),
      ['session.started', 'session.completed'],
    );
    assert.equal(hooks[1].data.session.report.isVerified, true);
    // the demo backend got them as well: its page shows the server-confirmed result
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('not_verified mid-run: facesign-complete, the same end screen, session.completed with isVerified false', async () => {
    const { page, frame, sessionId, end } = await forcedRun('not_verified');
    assert.equal(end.type, 'facesign-complete');
    await frame.getByText('Verification complete.').waitFor();
    await frame.getByText('Thank you, you are all done.').waitFor();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/forced-not-verified.png' });
    const hooks = await delivered(sessionId, 2);
    assert.equal(hooks.at(-1).type, 'session.completed');
    assert.equal(hooks.at(-1).data.session.report.isVerified, false);
    assert.equal(await serverStatus(page, 'complete'), 'complete (not verified)');
    await page.close();
  });

  it('canceled on the first screen: facesign-cancel user_canceled, "Verification canceled.", one session.canceled', async () => {
    const { page, frame, sessionId, end } = await forcedRun('canceled', { early: true });
    assert.equal(end.type, 'facesign-cancel');
    assert.equal(end.detail.reason, 'user_canceled');
    await frame.getByText('Verification canceled.').waitFor();
    assert.equal(await frame.getByRole('button', { name: 'Start verification' }).count(), 0);
    const hooks = await delivered(sessionId, 1);
    assert.deepEqual(
      hooks.map((e) => e.type),
      ['session.canceled'],
    );
    assert.equal(await serverStatus(page, 'canceled'), 'canceled');
    await page.close();
  });

  it('expired mid-run: facesign-cancel with reason expired, "This verification has expired.", session.canceled', async () => {
    const { page, frame, sessionId, end } = await forcedRun('expired');
    assert.equal(end.type, 'facesign-cancel');
    assert.equal(end.detail.reason, 'expired');
    await frame.getByText('This verification has expired.').waitFor();
    await frame.getByText('Go back to the page you came from and start again.').waitFor();
    const hooks = await delivered(sessionId, 2);
    assert.equal(hooks.at(-1).type, 'session.canceled');
    assert.equal(hooks.at(-1).data.session.status, 'canceled');
    await page.close();
  });

  it("error mid-run: facesign-error hosted_page_error (not recoverable), the element's error screen, no webhook; Try again continues", async () => {
    const { page, frame, sessionId, end } = await forcedRun('error');
    assert.equal(end.type, 'facesign-error');
    assert.equal(end.detail.code, 'hosted_page_error');
    assert.equal(end.detail.recoverable, false);
    assert.match(end.detail.message, /forced the outcome "error"/);
    // the element's cover for a hosted page that failed, as when the service fails a real run
    const cover = page.locator('facesign-verify [part=error]');
    await cover.getByText('Something went wrong').waitFor();
    assert.match(await cover.locator('[part=reference]').innerText(), new RegExp(`hosted_page_error · ${sessionId}`));
    // only the session.started of the run itself
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      (await delivered(sessionId, 1)).map((e) => e.type),
      ['session.started'],
    );
    assert.equal(ctx.sb.simulator.sessions.get(sessionId).session.status, 'processing');
    // the failure was once: Try again continues the same session where it was
    await cover.getByRole('button', { name: 'Try again' }).click();
    await frame.getByRole('textbox').waitFor();
    await frame.getByText("Hello! What's your name?").first().waitFor();
    assert.equal(ctx.sb.simulator.sessions.get(sessionId).session.status, 'processing');
    await page.close();
  });

  it('opened top-level from clientSecret.url: not_verified ends on the complete screen; error stops the camera and says the run stopped', async () => {
    const auth = { authorization: `Bearer ${ctx.sb.apiKey}`, 'content-type': 'application/json' };
    for (const outcome of ['not_verified', 'error']) {
      const created = await fetch(`${ctx.sb.apiUrl}/v1/sessions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ clientReferenceId: 'u', modules: [{ type: 'identityVerification' }] }),
      });
      const { session, clientSecret } = await created.json();
      const page = await ctx.browser.newPage({ viewport: { width: 390, height: 760 } });
      await page.goto(clientSecret.url);
      await page.getByRole('button', { name: 'Start verification' }).click();
      await page.locator('video[data-live]').waitFor();
      await force(session.id, outcome);
      if (outcome === 'not_verified') await page.getByText('Verification complete. You can close this window.').waitFor({ timeout: 3000 });
      else {
        await page.getByText(/forced the outcome "error"/).waitFor({ timeout: 3000 });
        assert.equal(await page.locator('#status').innerText(), 'The verification stopped.');
        await page.getByRole('button', { name: 'Try again' }).waitFor();
      }
      // no camera left running under an ended or failed run
      assert.equal(await page.locator('video[data-live]').count(), 0);
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: `test-results/forced-${outcome}-top-level.png` });
      await page.close();
    }
  });

  it('forced before the page opens: the page shows the ended session as a real ended one (complete: facesign-complete)', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    // the demo backend creates the session when Start is pressed; force it as soon as it exists, before the page loads it
    const known = new Set(ctx.sb.simulator.sessions.keys());
    await demo.page.route('**/v1/client/session', async (route) => {
      const id = [...ctx.sb.simulator.sessions.keys()].find((k) => !known.has(k));
      if (id && ctx.sb.simulator.sessions.get(id).session.status === 'requiresInput') await force(id, 'verified');
      await route.continue();
    });
    await demo.page.selectOption('#sample', 'greeting');
    await demo.page.check('input[name=mode][value=inline]');
    await demo.page.click('#start');
    await demo.frame.getByText('This verification has already ended.').waitFor();
    const evs = await events(demo.page);
    assert.deepEqual(
      terminal(evs).map((e) => e.type),
      ['facesign-complete'],
    );
    await demo.page.close();
  });
});
