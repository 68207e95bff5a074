// End to end, secret lifecycle: the sandbox with a 3-second client secret TTL. A run that outlives its secret
// continues in the same hosted document, through the demo backend's refresh endpoint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { events, openDemo, useSandbox, serverStatus, startRun, terminal } from './helpers.mjs';

const TTL = 3;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

describe('secret lifecycle end to end (secret TTL 3 s)', () => {
  const ctx = useSandbox({ secretTtl: TTL });

  /** Runs the greeting flow, pausing past the secret's expiry before answering. */
  async function pausedRun(query) {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl + query);
    const { page, frame } = demo;
    const created = page.waitForResponse((r) => r.url().endsWith('/api/verifications') && r.request().method() === 'POST');
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    const first = (await (await created).json()).clientSecret.secret;
    const loadId = await frame.locator('html').getAttribute('data-load-id');
    await frame.getByRole('textbox').waitFor();
    // the user pauses; the secret expires meanwhile
    await pause((TTL + 1) * 1000);
    await frame.getByRole('textbox').fill('Katherine Johnson');
    await frame.getByRole('button', { name: 'Send' }).click();
    await frame.getByText('Verification complete.').waitFor({ timeout: 30_000 });
    await serverStatus(page, 'complete');
    return { demo, page, frame, first, loadId };
  }

  it('a run paused past expiry continues to complete in the same document, with the whole transcript', async () => {
    const { page, frame, first, loadId } = await pausedRun('?secret=string');
    assert.equal(await frame.locator('html').getAttribute('data-load-id'), loadId, 'the hosted page was not reloaded');
    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type),
      ['facesign-ready', 'facesign-start', 'facesign-step', 'facesign-secret-refresh', 'facesign-step', 'facesign-complete'],
    );
    assert.equal(evs[3].detail.trigger, 'expired');
    assert.equal(terminal(evs).length, 1);
    assert.ok(!JSON.stringify(evs).includes('fs_client_secret_'), 'no secret in any event');
    const sessionId = evs.at(-1).detail.sessionId;
    const report = ctx.sb.simulator.sessions.get(sessionId).session.report;
    assert.deepEqual(
      report.transcript.map((t) => t.text),
      [
        "Hi, I'm Sofia. I will guide you through a short identity check.",
        "Hello! What's your name?",
        'Katherine Johnson',
        'Thank you, you are all done.',
      ],
    );
    // the first secret is dead for good
    const old = await fetch(`${ctx.sb.apiUrl}/v1/client/session`, { headers: { authorization: `Bearer ${first}` } });
    assert.equal(old.status, 401);
    assert.match((await old.json()).error.message, /replaced|expired/);
    await page.close();
  });

  it('the merchant endpoint failing 3 times, then recovering: the run still completes', async () => {
    const faults = await fetch(`${ctx.sb.demoUrl}api/test/refresh-faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fail: 3, status: 503 }),
    });
    assert.equal(faults.status, 200);
    const { page, frame, loadId } = await pausedRun('?secret=string');
    assert.equal(await frame.locator('html').getAttribute('data-load-id'), loadId);
    const evs = await events(page);
    assert.deepEqual(
      evs.filter((e) => e.type === 'facesign-error').map((e) => e.detail),
      [],
      'retries hid the failures',
    );
    assert.equal(evs.filter((e) => e.type === 'facesign-secret-refresh').length, 1);
    assert.equal(terminal(evs).length, 1);
    assert.equal(ctx.sb.backend.faults.fail, 0, 'all three failures were used');
    await page.close();
  });

  it('with the clientSecret object, the element refreshes before expiry (no failed request on the way)', async () => {
    const { page, frame, loadId } = await pausedRun('?margin=2');
    assert.equal(await frame.locator('html').getAttribute('data-load-id'), loadId);
    const evs = await events(page);
    const refreshes = evs.filter((e) => e.type === 'facesign-secret-refresh');
    assert.ok(refreshes.length >= 1);
    assert.equal(refreshes[0].detail.trigger, 'expiring');
    assert.equal(typeof refreshes[0].detail.expireAt, 'number');
    assert.deepEqual(
      evs.filter((e) => e.type === 'facesign-error').map((e) => e.detail),
      [],
    );
    assert.equal(terminal(evs).length, 1);
    await page.close();
  });
});
