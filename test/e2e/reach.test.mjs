// End to end, where a frame cannot verify (real Chromium, the sandbox on two origins): the conditions the demo page
// simulates (?sim=…), each to the server-confirmed result where there is one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { events, layoutSettled, openDemo, serverStatus, terminal, useSandbox } from './helpers.mjs';

/** The demo with a simulated condition and a fallback; Start pressed. */
async function start(ctx, query, { mode = 'inline' } = {}) {
  const demo = await openDemo(ctx.browser, `${ctx.sb.demoUrl}?${query}`);
  await demo.page.check(`input[name=mode][value=${mode}]`);
  await demo.page.click('#start');
  return demo;
}
const errorCodes = async (page) => (await events(page)).filter((e) => e.type === 'facesign-error').map((e) => e.detail.code);
/** Polls the recorded events until `pred` holds; by the clock, so a slow evaluation on a loaded machine does not shorten it. */
const until = async (page, pred, what, ms = 20_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred(await events(page))) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting ${ms} ms for ${what}`);
};
const el = (page) => page.locator('facesign-verify');

/** The greeting flow in a hosted page (a frame, a popup or the whole tab). */
async function runFlow(target) {
  await target.getByRole('button', { name: 'Start verification' }).click();
  await target.getByRole('textbox').fill('Grace Hopper');
  await target.getByRole('button', { name: 'Send' }).click();
}

describe('reach end to end: fallbacks and failure paths', () => {
  const ctx = useSandbox();

  it('popup complete: framing refused → frame_blocked, the popup runs the session, the server confirms', async () => {
    const { page } = await openDemo(ctx.browser, `${ctx.sb.demoUrl}?sim=frame-blocked`);
    // the refused frame still loads (the browser's error page): the 5 s count from there
    const [loaded] = await Promise.all([
      page.waitForEvent('framenavigated', { predicate: (f) => f !== page.mainFrame() }).then(() => Date.now()),
      page.click('#start'),
    ]);
    await page.getByRole('button', { name: 'Continue in a new window' }).waitFor({ timeout: 20_000 });
    // the figure is printed, not judged tightly (a shared machine): 5 s by design, and far from the 20 s load_timeout
    const after = Date.now() - loaded;
    console.log(`frame_blocked ${after} ms after the frame's load`);
    assert.ok(after < 15_000, `${after} ms`);
    assert.deepEqual(await errorCodes(page), ['frame_blocked']);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue in a new window' }).click()]);
    const closed = popup.waitForEvent('close');
    await runFlow(popup);
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    // the element closes its popup at the end: the user is back on the merchant page
    await closed;
    const evs = await events(page);
    assert.deepEqual(
      evs.map((e) => e.type).filter((t) => t !== 'facesign-step'),
      ['facesign-error', 'facesign-fallback', 'facesign-ready', 'facesign-start', 'facesign-complete'],
    );
    assert.deepEqual(evs[1].detail, { reason: 'frame_blocked', via: 'popup' });
    assert.equal(terminal(evs).length, 1);
    await page.close();
  });

  it('popup closed by the user: one facesign-cancel (popup_closed); the session stays open on the server, and Start again continues it', async () => {
    const { page } = await start(ctx, 'sim=frame-blocked');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue in a new window' }).click()]);
    await popup.getByRole('button', { name: 'Start verification' }).click();
    await popup.getByRole('textbox').waitFor();
    const sessionId = [...ctx.sb.simulator.sessions.keys()].at(-1);
    await popup.close({ runBeforeUnload: true });
    await until(page, (evs) => evs.some((e) => e.type === 'facesign-cancel'), 'the cancel');
    const evs = await events(page);
    assert.deepEqual(evs.find((e) => e.type === 'facesign-cancel').detail, { reason: 'popup_closed' });
    assert.equal(terminal(evs).length, 1);
    // a closed window is a person leaving, not a cancel: the server session is where the person left it
    await page.waitForTimeout(500);
    assert.equal(ctx.sb.simulator.sessions.get(sessionId).session.status, 'processing');
    await page.getByRole('button', { name: 'Start again' }).click();
    const [next] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue in a new window' }).click()]);
    // the question again, not the start: the same session, continued
    await next.getByRole('textbox').fill('Grace Hopper');
    await next.getByRole('button', { name: 'Send' }).click();
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    assert.equal((await events(page)).find((e) => e.type === 'facesign-complete').detail.sessionId, sessionId);
    await page.close();
  });

  it('popup blocked: recoverable popup_blocked, and the redirect is offered', async () => {
    const demo = await openDemo(ctx.browser, `${ctx.sb.demoUrl}?sim=frame-blocked`);
    const { page } = demo;
    // a popup blocker: window.open answers null
    await page.evaluate(() => (window.open = () => null));
    await page.click('#start');
    await page.getByRole('button', { name: 'Continue in a new window' }).click();
    await page.getByRole('button', { name: 'Continue', exact: true }).waitFor();
    assert.deepEqual(await errorCodes(page), ['frame_blocked', 'popup_blocked']);
    const fallbacks = (await events(page)).filter((e) => e.type === 'facesign-fallback').map((e) => e.detail);
    assert.deepEqual(fallbacks, [
      { reason: 'frame_blocked', via: 'popup' },
      { reason: 'popup_blocked', via: 'redirect' },
    ]);
    await page.close();
  });

  for (const outcome of ['complete', 'canceled'])
    it(`redirect round trip, ${outcome}: to the hosted page and back; the secret is in no URL, timing entry, history entry or Referer`, async () => {
      // the merchant page's address carries a query and a token in its fragment: neither is any other server's
      const { page } = await openDemo(ctx.browser, `${ctx.sb.demoUrl}?sim=frame-blocked&fallback=redirect#access_token=tok_e2e_fragment`);
      const [created] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/verifications') && r.request().method() === 'POST'),
        page.click('#start'),
      ]);
      const { clientSecret } = await created.json();
      const secret = clientSecret.secret;
      const verifyOrigin = new URL(ctx.sb.verifyUrl).origin;
      // every request of the round trip (the hosted page's own included), with its Referer and body
      const requests = [];
      page.on('request', (r) =>
        requests.push({
          url: r.url(),
          method: r.method(),
          referer: r.headers().referer ?? '',
          body: r.postData() ?? '',
          top: r.isNavigationRequest() && r.frame() === page.mainFrame(),
        }),
      );
      // every top-level navigation of the round trip, with the hosted page's response headers
      const navigations = [];
      page.on(
        'response',
        (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && navigations.push({ url: r.url(), headers: r.headers() }),
      );
      // what the page had dispatched when it left, kept in this tab's storage for the way back: leaving for the
      // hosted page is not an end (no cancel, no close as the tab goes)
      await page.evaluate(() =>
        addEventListener('pagehide', () => sessionStorage.setItem('e2e-left-with', JSON.stringify(window.__events.map((e) => e.type)))),
      );
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await page.waitForURL((u) => u.origin === verifyOrigin);
      await page.getByRole('button', { name: 'Start verification' }).waitFor();
      // the launch: a top-level POST to the hosted page, the secret and the way back in its body, in no URL
      const launch = requests.find((r) => r.top && new URL(r.url).origin === verifyOrigin);
      assert.equal(launch.method, 'POST');
      const form = new URLSearchParams(launch.body);
      assert.equal(form.get('client_secret'), secret);
      const back = new URL(form.get('return_url'));
      const state = back.searchParams.get('fs_state');
      assert.match(state, /^[0-9a-f]{32}$/);
      // the default way back is the page's origin and path: its query and fragment stayed there
      assert.equal(`${back.origin}${back.pathname}?fs_state=${state}`, back.href);
      assert.equal(back.origin + back.pathname, ctx.sb.demoUrl);
      // everything a script on the hosted page can read once it runs: the secret and the state in none of it
      const traces = await page.evaluate(() => ({
        href: location.href,
        historyState: history.state,
        timing: performance.getEntries().map((e) => e.name),
        dom: document.documentElement.outerHTML,
        referrer: document.referrer,
      }));
      for (const [what, seen] of Object.entries(traces))
        for (const trace of [secret, state, 'tok_e2e_fragment', 'fallback=redirect'])
          assert.ok(!JSON.stringify(seen ?? '').includes(trace), `${what} holds ${trace}: ${JSON.stringify(seen).slice(0, 300)}`);
      // the tab's history entries (Chromium's own list, as the browser keeps it)
      const cdp = await page.context().newCDPSession(page);
      const { entries } = await cdp.send('Page.getNavigationHistory');
      for (const e of entries) assert.ok(!e.url.includes(secret) && !e.url.includes(state), e.url);
      await cdp.detach();
      if (outcome === 'complete') await runFlow(page);
      else await page.getByRole('button', { name: 'Cancel' }).click();
      await page.waitForURL((u) => u.origin === new URL(ctx.sb.demoUrl).origin);
      await page.locator('#browser-result', { hasText: outcome }).waitFor();
      assert.equal(await serverStatus(page, outcome), outcome === 'complete' ? 'complete (verified)' : 'canceled');
      // the demo read the result and removed it from the address bar
      assert.ok(!/fs_session|fs_result|fs_state|fs_key/.test(page.url()), page.url());
      const leftWith = JSON.parse(await page.evaluate(() => sessionStorage.getItem('e2e-left-with')));
      assert.deepEqual(
        leftWith.filter((t) => ['facesign-cancel', 'facesign-complete', 'facesign-close'].includes(t)),
        [],
        `dispatched before leaving: ${leftWith}`,
      );
      // README's Security: the secret is in no URL and no Referer of the whole round trip; the hosted page is
      // served with no referrer, and the way back carries the outcome and the state only
      const leaks = requests.filter((r) => [r.url, r.referer].some((v) => v.includes(secret) || v.includes(encodeURIComponent(secret))));
      assert.deepEqual(leaks, []);
      assert.deepEqual(
        requests.filter((r) => r.body.includes(secret)).map((r) => `${r.method} ${new URL(r.url).origin}`),
        [`POST ${verifyOrigin}`],
      );
      const hosted = navigations.find((n) => new URL(n.url).origin === verifyOrigin);
      assert.equal(hosted.headers['referrer-policy'], 'no-referrer');
      assert.match(hosted.headers['cache-control'] ?? '', /no-store/);
      const returned = navigations.at(-1);
      assert.equal(new URL(returned.url).origin, new URL(ctx.sb.demoUrl).origin);
      assert.equal(new URL(returned.url).searchParams.get('fs_state'), state);
      await page.close();
    });

  it('the hosted page returns only to an origin the merchant allowed: an error page, never a navigation, for any other', async () => {
    const { page } = await openDemo(ctx.browser, `${ctx.sb.demoUrl}?sim=frame-blocked&fallback=redirect`);
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/verifications') && r.request().method() === 'POST'),
      page.click('#start'),
    ]);
    const { clientSecret } = await created.json();
    // a link an attacker made: the user's own secret, the attacker's return address (another loopback origin)
    const evil = `${new URL(ctx.sb.apiUrl).origin}/steal`;
    await page.goto(`${ctx.sb.verifyUrl}?client_secret=${encodeURIComponent(clientSecret.secret)}&return_url=${encodeURIComponent(evil)}`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('This return address is not allowed.').waitFor();
    assert.equal(new URL(page.url()).origin, new URL(ctx.sb.verifyUrl).origin);
    assert.equal(await page.evaluate(() => document.body.dataset.returnRefused), new URL(evil).origin);
    await page.close();
  });

  const AWAY = [
    {
      by: 'a link in it',
      sim: 'sim=navigate',
      // the click counts once the frame has navigated: one computed while the frame still grew could miss the link
      go: async ({ page, frame }) => {
        await Promise.all([
          page.waitForEvent('framenavigated', { predicate: (f) => f.url().endsWith('/privacy.html') }),
          frame.getByRole('link', { name: 'Privacy policy' }).click(),
        ]);
      },
    },
    {
      by: 'a merchant-page script',
      sim: '',
      go: ({ page }, url) => el(page).evaluate((e, u) => (e.shadowRoot.querySelector('iframe').src = u), url),
    },
  ];
  for (const { by, sim, go } of AWAY)
    it(`hosted page navigated away by ${by}: hosted_page_lost once the new document said no hello 5 s after its load, never sooner; retry() completes the same session`, async () => {
      const demo = await start(ctx, sim);
      const { page, frame } = demo;
      await frame.getByRole('button', { name: 'Start verification' }).click();
      await frame.getByRole('textbox').waitFor();
      await layoutSettled(page);
      const t0 = Date.now();
      await go(demo, `${ctx.sb.verifyUrl}privacy.html`);
      await until(page, (evs) => evs.some((e) => e.detail?.code === 'hosted_page_lost'), 'hosted_page_lost');
      const took = Date.now() - t0;
      // the new document gets the first load's grace (docs/fallbacks.md): a slow reload of our own page must be
      // able to reconnect, so the loss is never told sooner. The upper side is only printed: a shared machine
      // delays the document's load by as much as it likes
      console.log(`hosted_page_lost ${took} ms after the navigation began (${by}; 5,000 ms after the new document's load by design)`);
      assert.ok(took >= 4900, `told ${took} ms after the navigation began, before the new document's 5 s`);
      await page.getByRole('button', { name: 'Try again' }).click();
      // the lost page's iframe goes; the new one continues where the server says the session is
      await page.waitForFunction(() => document.querySelector('facesign-verify').shadowRoot.querySelectorAll('iframe').length === 1);
      // the new page grows as it renders the conversation so far: a click computed before that ends can miss Send
      await frame.getByRole('textbox').waitFor();
      await layoutSettled(page);
      await frame.getByRole('textbox').fill('Grace Hopper');
      await frame.getByRole('button', { name: 'Send' }).click();
      assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
      const evs = await events(page);
      const sessionId = evs.find((e) => e.type === 'facesign-complete').detail.sessionId;
      // the same session on the server: its transcript goes on after the loss
      const report = ctx.sb.simulator.sessions.get(sessionId).session.report;
      assert.ok(report.transcript.some((t) => t.text === 'Grace Hopper'));
      // Try again continued the same verification in place: no end for the lost page, one terminal event in all
      assert.deepEqual(
        terminal(evs).map((e) => [e.type, e.detail.reason]),
        [['facesign-complete', undefined]],
      );
      assert.equal(ctx.sb.simulator.sessions.get(sessionId).session.status, 'complete');
      await page.close();
    });

  it('camera blocked by this page’s policy: detected before the hosted page loads; the popup completes', async () => {
    const demo = await openDemo(ctx.browser, `${ctx.sb.demoUrl}?sim=camera-blocked`);
    const { page } = demo;
    // documents committed in frames of this page: the hosted page must never have run in one
    const committed = [];
    page.on('framenavigated', (f) => f !== page.mainFrame() && committed.push(f.url()));
    await page.click('#start');
    await page.getByRole('button', { name: 'Continue in a new window' }).waitFor();
    assert.deepEqual(await errorCodes(page), ['camera_blocked']);
    assert.deepEqual(committed, [], 'found before the hosted page loaded in the frame');
    assert.equal(await el(page).evaluate((e) => e.shadowRoot.querySelector('iframe')), null, 'no frame left');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue in a new window' }).click()]);
    await popup.getByRole('button', { name: 'Start verification' }).click();
    // in its own window the camera works
    await popup.locator('video[data-live]').waitFor();
    await popup.getByRole('textbox').fill('Grace Hopper');
    await popup.getByRole('button', { name: 'Send' }).click();
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    await page.close();
  });

  it('an invalid secret: invalid_client_secret with a message that says what happened, and a screen that says what the person can do, with no Try again', async () => {
    const { page } = await start(ctx, 'sim=invalid-secret');
    await until(page, (evs) => evs.some((e) => e.type === 'facesign-error'), 'the error');
    const err = (await events(page)).find((e) => e.type === 'facesign-error').detail;
    assert.equal(err.code, 'invalid_client_secret');
    assert.equal(err.recoverable, false);
    assert.match(err.message, /never issued|another environment/);
    await page.getByText('This verification can’t continue').waitFor();
    await page.getByText('Start again from this site, or contact support with the reference below.').waitFor();
    // a retry cannot mend a secret FaceSign never issued: no button offers one; the reference names the code
    assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
    await page.getByText('invalid_client_secret', { exact: false }).first().waitFor();
    assert.deepEqual(
      (await events(page)).map((e) => e.type),
      ['facesign-error'],
      'no secret request for a secret that cannot be renewed',
    );
    await page.close();
  });

  it('an in-app browser: unsupported_browser, and the "open in your browser" cover with the link', async () => {
    const { page } = await start(ctx, 'sim=in-app');
    await page.getByText('Open this page in your browser').waitFor();
    assert.deepEqual(await errorCodes(page), ['unsupported_browser']);
    assert.equal(await el(page).evaluate((e) => e.shadowRoot.querySelector('input[part=link]').value), page.url());
    await page.close();
  });
});

describe('reach end to end: a refresh that fails, then recovers (secret TTL 3 s)', () => {
  const ctx = useSandbox({ secretTtl: 3 });

  it('the "Try again" cover after secret_refresh_failed, then the run recovers and completes', async () => {
    // more failures than the element's retries: the refresh fails for good
    await fetch(`${ctx.sb.demoUrl}api/test/refresh-faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fail: 4, status: 503 }),
    });
    const { page, frame } = await start(ctx, 'secret=string');
    await frame.getByRole('button', { name: 'Start verification' }).click();
    await frame.getByRole('textbox').fill('Grace Hopper');
    await page.waitForTimeout(4000);
    await frame.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('button', { name: 'Try again' }).waitFor({ timeout: 30_000 });
    assert.ok((await errorCodes(page)).includes('secret_refresh_failed'));
    await page.getByRole('button', { name: 'Try again' }).click();
    await frame.getByText('Verification complete.').waitFor({ timeout: 15_000 });
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    await page.close();
  });
});

describe('reach end to end: a page whose Cross-Origin-Opener-Policy severs popups', () => {
  const ctx = useSandbox();

  it('the severed popup is detected (popup_blocked), the redirect is offered behind a button, then completes', async () => {
    const { page } = await start(ctx, 'sim=frame-blocked,coop');
    const here = page.url();
    await page.getByRole('button', { name: 'Continue in a new window' }).click();
    // never a navigation without a click: the redirect waits behind its button
    await until(page, (evs) => evs.some((e) => e.type === 'facesign-error' && e.detail.code === 'popup_blocked'), 'popup_blocked');
    assert.equal(page.url(), here);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.waitForURL((u) => u.origin === new URL(ctx.sb.verifyUrl).origin, { timeout: 10_000 });
    await runFlow(page);
    await page.waitForURL((u) => u.origin === new URL(ctx.sb.demoUrl).origin);
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    await page.close();
  });
});
