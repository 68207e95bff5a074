import { expect } from '@open-wc/testing';
import { clock } from '../../src/base/clock.js';
import { EN as STRINGS } from '../../src/element/strings.js';
import { FaceSignError } from '../../src/protocol/errors.js';
import {
  SECRET,
  captureDebug,
  cleanup,
  command,
  endpoint,
  frameOf,
  fromFixture,
  hostedUrl,
  mount as mountWith,
  mountReady,
  post,
  trackTimers,
  types,
  until,
  waitFor,
  withTiming,
  type Mounted,
} from './helpers.js';
import { FRAME_ORIGIN } from './fixture.js';

/** Every element here retries after 20 ms instead of 1 s (a per-element setting). */
const mount = (attrs: Record<string, string | boolean> = {}) => mountWith({ 'refresh-retry-delay': '20', ...attrs });
const nowSec = () => Math.floor(Date.now() / 1000);
/** The next new secret the test hosted page receives. */
const secretAt = (m: Mounted) =>
  fromFixture(
    () => frameOf(m.el)?.contentWindow,
    (f) => f.event === 'secret',
  );
const errorsOf = (m: Mounted) => m.events.filter((e) => e.type === 'facesign-error').map((e) => e.detail as { code: string; recoverable: boolean });

describe('secret lifecycle', () => {
  const realNow = clock.now;
  afterEach(() => {
    cleanup();
    clock.now = realNow;
  });

  it('refreshes proactively at the margin, sends the new secret over the channel, and keeps the same document', async () => {
    const ep = await endpoint();
    // due in 3-4 s: well after the hosted page is ready, even on a loaded machine
    const expireAt = nowSec() + 64;
    const due = (expireAt - 60) * 1000;
    const m = mount({
      'verify-url': hostedUrl('session=fs_session_42'),
      'refresh-url': ep.url,
      'refresh-margin': '60',
      'expire-at': String(expireAt),
    });
    const init = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await waitFor(m, 'facesign-ready');
    const frame = frameOf(m.el);
    const got = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'secret',
    );
    const log = await ep.log();
    expect(log).to.have.length(1);
    // not before the margin (timers never fire early, so this holds on a slow machine too)
    expect(log[0]!.at).to.be.greaterThanOrEqual(due - 20);
    expect(log[0]!.body).to.deep.equal({ clientSecret: SECRET, sessionId: 'fs_session_42' });
    expect(got.secret).to.match(/^vs_refreshed_/);
    // the same iframe element and the same document (the fixture's load id)
    expect(frameOf(m.el)).to.equal(frame);
    expect(got.loadId).to.equal(init.loadId);
    const ev = await waitFor(m, 'facesign-secret-refresh');
    expect((ev.detail as { trigger: string }).trigger).to.equal('expiring');
    expect((ev.detail as { expireAt: number }).expireAt).to.be.greaterThan(nowSec() + 3000);
    expect(JSON.stringify(ev.detail)).not.to.include('vs_refreshed');
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-secret-refresh']);
  });

  it('a hosted page that reloads after a refresh gets the new secret in init', async () => {
    const ep = await endpoint();
    const m = mount({ 'refresh-url': ep.url });
    const first = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await waitFor(m, 'facesign-ready');
    await m.el.refreshSecret();
    expect(await ep.log()).to.have.length(1);
    const again = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init' && f.loadId !== first.loadId,
    );
    post(m.el, { do: 'navigate', url: frameOf(m.el)!.src });
    expect(((await again).init as { secret: string }).secret).to.match(/^vs_refreshed_/);
  });

  it('concurrent triggers share one request', async () => {
    const ep = await endpoint([{ delay: 200, status: 200, json: { clientSecret: 'vs_concurrent_secret_1' } }]);
    const m = mount({ 'refresh-url': ep.url });
    await waitFor(m, 'facesign-ready');
    const secret = secretAt(m);
    const a = m.el.refreshSecret();
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    const b = m.el.refreshSecret();
    await Promise.all([a, b]);
    expect((await secret).secret).to.equal('vs_concurrent_secret_1');
    expect(await ep.log()).to.have.length(1);
  });

  it('the hosted page reporting secret-expired triggers a refresh', async () => {
    const ep = await endpoint();
    const m = mount({ 'refresh-url': ep.url });
    await waitFor(m, 'facesign-ready');
    const secret = secretAt(m);
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    expect((await secret).secret).to.match(/^vs_refreshed_/);
    expect(((await waitFor(m, 'facesign-secret-refresh')).detail as { trigger: string }).trigger).to.equal('expired');
  });

  it('refreshes at connection when the known secret is already expired', async () => {
    const ep = await endpoint();
    const m = mount({ 'refresh-url': ep.url, 'expire-at': String(nowSec() - 5) });
    await until(ep.log, (l) => l.length === 1, 'a refresh request');
    await waitFor(m, 'facesign-secret-refresh');
    expect(errorsOf(m)).to.deep.equal([]);
  });

  it('re-checks on visibilitychange and pageshow (timers sleep in background tabs)', async () => {
    const t0 = nowSec();
    const ep = await endpoint([
      { status: 200, json: { clientSecret: { secret: 'vs_manual_probe_0001', expireAt: t0 + 3600 } } },
      { status: 200, json: { clientSecret: { secret: 'vs_after_visibility_1', expireAt: t0 + 7200 } } },
      { status: 200, json: { clientSecret: { secret: 'vs_after_pageshow_22', expireAt: t0 + 20000 } } },
      { status: 200, json: { clientSecret: { secret: 'vs_last_manual_3333', expireAt: t0 + 30000 } } },
    ]);
    const m = mount({ 'refresh-url': ep.url, 'expire-at': String(t0 + 3600) });
    await waitFor(m, 'facesign-ready');
    const refreshes = () => m.events.filter((e) => e.type === 'facesign-secret-refresh').map((e) => (e.detail as { trigger: string }).trigger);
    // far from the margin, visibilitychange starts nothing: a manual refresh right after is a refresh of its own
    // (it would join one in flight, and report that one's trigger)
    document.dispatchEvent(new Event('visibilitychange'));
    await m.el.refreshSecret();
    await until(refreshes, (r) => r.length === 1, 'the manual refresh');
    expect(refreshes()).to.deep.equal(['manual']);
    // the clock jumps into the margin while the page slept; the timer set for then has not fired
    clock.now = () => Date.now() + 3570_000;
    document.dispatchEvent(new Event('visibilitychange'));
    await until(ep.log, (l) => l.length === 2, 'a refresh after visibilitychange');
    await until(refreshes, (r) => r.length === 2, 'its facesign-secret-refresh');
    clock.now = () => Date.now() + 7170_000;
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(ep.log, (l) => l.length === 3, 'a refresh after pageshow');
    await until(refreshes, (r) => r.length === 3, 'its facesign-secret-refresh');
    expect(refreshes()).to.deep.equal(['manual', 'expiring', 'expiring']);
    // and nothing after it: the next refresh is again the manual one
    await m.el.refreshSecret();
    await until(refreshes, (r) => r.length === 4, 'the last manual refresh');
    expect(refreshes().at(-1)).to.equal('manual');
    expect(await ep.log()).to.have.length(4);
  });

  it('a secret that arrives inside the margin does not refresh in a loop', async () => {
    const ep = await endpoint([
      { status: 200, json: { clientSecret: { secret: 'vs_short_lived_1111', expireAt: nowSec() + 30 } } },
      { status: 200, json: { clientSecret: { secret: 'vs_short_lived_2222', expireAt: nowSec() + 30 } } },
    ]);
    const m = mount({ 'refresh-url': ep.url, 'expire-at': String(nowSec() + 30) });
    await waitFor(m, 'facesign-secret-refresh');
    // a looping refresh would be in flight now, and the manual one would join it and report its trigger
    await m.el.refreshSecret();
    const triggers = () => m.events.filter((e) => e.type === 'facesign-secret-refresh').map((e) => (e.detail as { trigger: string }).trigger);
    await until(triggers, (t) => t.length === 2, 'the manual refresh');
    expect(triggers()).to.deep.equal(['expiring', 'manual']);
    expect(await ep.log()).to.have.length(2);
  });

  it('never refreshes once the session is terminal', async () => {
    const ep = await endpoint();
    // a wake-up refresh calls fetch in the same task: counting the calls needs no wait, so nothing races
    const asked: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (...a: Parameters<typeof fetch>) => (asked.push(String(a[0])), realFetch(...a));
    try {
      const m = mount({ 'refresh-url': ep.url, 'expire-at': String(nowSec() + 3600) });
      await waitFor(m, 'facesign-ready');
      // the control: while it runs, the same wake-up inside the refresh margin refreshes at once
      clock.now = () => Date.now() + 3570_000;
      document.dispatchEvent(new Event('visibilitychange'));
      expect(asked.filter((u) => u.endsWith(ep.url))).to.have.length(1);
      await waitFor(m, 'facesign-secret-refresh');
      await command(m.el, { do: 'send', method: 'completed', args: ['s1'] });
      await waitFor(m, 'facesign-complete');
      // ended: the same wake-up, past the new secret's margin too, asks nothing
      clock.now = () => Date.now() + 3 * 3600_000;
      document.dispatchEvent(new Event('visibilitychange'));
      await m.el.refreshSecret();
      expect(asked.filter((u) => u.endsWith(ep.url))).to.have.length(1);
      expect(await ep.log()).to.have.length(1);
    } finally {
      window.fetch = realFetch;
    }
  });

  describe('faults', () => {
    it('500: retried, then succeeds', async () => {
      const ep = await endpoint([{ status: 500 }, { status: 503 }]);
      const m = mount({ 'refresh-url': ep.url });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret();
      expect(await ep.log()).to.have.length(3);
      // dispatched when the hosted page acknowledges the secret, a port round trip after
      await waitFor(m, 'facesign-secret-refresh');
      expect(errorsOf(m)).to.deep.equal([]);
    });

    it('429 with Retry-After: waits as told', async () => {
      const ep = await endpoint([{ status: 429, headers: { 'retry-after': '1' } }]);
      const m = mount({ 'refresh-url': ep.url });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret();
      const log = await ep.log();
      expect(log).to.have.length(2);
      // timers never fire early: the second request cannot come before the second asked for
      expect(log[1]!.at - log[0]!.at).to.be.greaterThanOrEqual(950);
    });

    it('408 is retried; a timeout aborts the attempt and retries', async () => {
      const ep = await endpoint([{ status: 408 }, { hang: true }]);
      // the hang must time out, the answers around it must not: 1.5 s leaves a loaded CI machine room (Firefox
      // took over 200 ms to answer a plain refresh there)
      const m = mount({ 'refresh-timeout': '1500', 'refresh-url': ep.url });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret();
      const log = await ep.log();
      expect(log).to.have.length(3);
      expect(log[1]!.aborted).to.equal(true);
      expect(errorsOf(m)).to.deep.equal([]);
    });

    it('network errors: retried, then secret_refresh_failed (recoverable) with a retry cover that resumes', async () => {
      const m = mount({ 'refresh-retries': '2', 'refresh-url': 'http://127.0.0.1:9/refresh' });
      await waitFor(m, 'facesign-ready');
      await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
      const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean; message: string };
      expect([err.code, err.recoverable]).to.deep.equal(['secret_refresh_failed', true]);
      expect(err.message).to.match(/after 3 attempts .*network error/);
      await m.el.updateComplete;
      expect(m.el.status).to.equal('requiresInput');
      const button = m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]');
      expect(!!button).to.equal(true);
      // the same session goes on once the endpoint works again
      const ep = await endpoint();
      m.el.refreshUrl = ep.url;
      const secret = secretAt(m);
      button!.click();
      expect((await secret).secret).to.match(/^vs_refreshed_/);
      await waitFor(m, 'facesign-secret-refresh');
      await m.el.updateComplete;
      expect(!!m.el.shadowRoot!.querySelector('[part=retry-button]')).to.equal(false);
      expect(m.terminal()).to.deep.equal([]);
    });

    it('a failed early refresh (secret still valid) reports but does not cover the page', async () => {
      const ep = await endpoint([{ status: 500 }]);
      const m = mount({ 'refresh-retries': '0', 'refresh-url': ep.url, 'expire-at': String(nowSec() + 30) });
      const err = (await waitFor(m, 'facesign-error')).detail as { code: string };
      expect(err.code).to.equal('secret_refresh_failed');
      await waitFor(m, 'facesign-ready');
      await m.el.updateComplete;
      expect(!!m.el.shadowRoot!.querySelector('[part=error]')).to.equal(false);
    });

    const noRetry: [string, unknown, string, RegExp][] = [
      ['401', { status: 401, json: { error: 'no' } }, 'secret_refresh_failed', /answered 401/],
      ['non-JSON', { status: 200, body: '<html>oops</html>' }, 'invalid_refresh_response', /did not answer JSON/],
      ['wrong shape', { status: 200, json: { secret: 'vs_abcdefgh_1234' } }, 'invalid_refresh_response', /without "clientSecret"/],
      ['empty secret', { status: 200, json: { clientSecret: '' } }, 'invalid_refresh_response', /missing/],
      ['malformed secret', { status: 200, json: { clientSecret: { secret: 'has spaces in it' } } }, 'invalid_refresh_response', /whitespace/],
      [
        'expireAt in the past',
        { status: 200, json: { clientSecret: { secret: 'vs_new_secret_123456', expireAt: 1000 } } },
        'refreshed_secret_expired',
        /in the past/,
      ],
    ];
    for (const [name, step, code, message] of noRetry) {
      it(`${name}: ${code}, no retry, no secret sent`, async () => {
        const ep = await endpoint([step]);
        const m = mount({ 'refresh-url': ep.url });
        await waitFor(m, 'facesign-ready');
        const firstSent = secretAt(m);
        // refreshSecret() rejects with the error that facesign-error reported
        const rejected = await m.el.refreshSecret().then(
          () => 'resolved',
          (e: FaceSignError) => e,
        );
        const err = errorsOf(m)[0]!;
        expect(rejected).to.be.instanceOf(FaceSignError);
        expect((rejected as FaceSignError).toJSON()).to.deep.equal(err);
        expect([err.code, err.recoverable]).to.deep.equal([code, true]);
        expect((m.events.find((e) => e.type === 'facesign-error')!.detail as Error).message).to.match(message);
        expect(await ep.log()).to.have.length(1);
        // the next refresh works (the endpoint has no scripted step left): the first secret the page ever got
        // must be that one, not the refused answer
        await m.el.refreshSecret();
        expect((await firstSent).secret).to.match(/^vs_refreshed_/);
        expect(m.terminal()).to.deep.equal([]);
      });
    }

    // issue 19, bug 10: the handler answers why in { error: { code, message } }; a "Try again" that can never work
    // is the wrong answer to a session that is gone
    const ending: [number, string, string][] = [
      [404, 'session_not_found', 'session_not_found'],
      [409, 'session_finished', 'session_finished'],
      [403, 'forbidden', 'refresh_forbidden'],
    ];
    for (const [status, reason, code] of ending)
      it(`${status} ${reason} from the endpoint: ${code}, not recoverable, the "start again" cover, no retry`, async () => {
        const ep = await endpoint([{ status, json: { error: { code: reason, message: 'Says the merchant server' } } }]);
        const m = mount({ 'refresh-url': ep.url });
        await waitFor(m, 'facesign-ready');
        const rejected = await m.el.refreshSecret().then(
          () => undefined,
          (e: FaceSignError) => e,
        );
        const err = m.events.find((e) => e.type === 'facesign-error')!.detail as { code: string; recoverable: boolean; message: string };
        expect([err.code, err.recoverable]).to.deep.equal([code, false]);
        expect(err.message).to.include('Says the merchant server');
        expect(rejected?.code).to.equal(code);
        expect(await ep.log()).to.have.length(1);
        await m.el.updateComplete;
        expect(m.el.status).to.equal('error');
        expect(m.el.shadowRoot!.querySelector('.cover')?.textContent).to.contain(STRINGS.unusable);
        expect(m.el.shadowRoot!.querySelector('button.retry')).to.equal(null);
        expect(m.terminal()).to.have.length(1);
        expect(frameOf(m.el)).to.equal(null);
      });

    it("another refusal keeps the retry cover and says the server's reason (401 unauthorized, a 403 with no code)", async () => {
      for (const step of [
        { status: 401, json: { error: { code: 'unauthorized', message: 'Log in again' } } },
        { status: 403, body: '<html>Forbidden by the proxy</html>' },
        // a code that names a property of every object is still just an unknown code
        { status: 403, json: { error: { code: 'constructor', message: 'odd' } } },
      ]) {
        const ep = await endpoint([step]);
        const m = mount({ 'refresh-url': ep.url });
        await waitFor(m, 'facesign-ready');
        await m.el.refreshSecret().catch(() => {});
        const err = m.events.find((e) => e.type === 'facesign-error')!.detail as { code: string; recoverable: boolean; message: string };
        expect([err.code, err.recoverable]).to.deep.equal(['secret_refresh_failed', true]);
        if (step.json) expect(err.message).to.include(step.status === 401 ? 'unauthorized: Log in again' : 'constructor: odd');
        else expect(err.message).not.to.include('<html>');
        await m.el.updateComplete;
        expect(!!m.el.shadowRoot!.querySelector('[part=retry-button]')).to.equal(true);
        expect(m.terminal()).to.deep.equal([]);
        cleanup();
      }
    });

    it("retried answers carry the server's reason into the final message", async () => {
      const busy = { status: 503, json: { error: { code: 'facesign_unavailable', message: 'FaceSign is not reachable' } } };
      const ep = await endpoint([busy, busy]);
      const m = mount({ 'refresh-url': ep.url, 'refresh-retries': '1' });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret().catch(() => {});
      const err = errorsOf(m)[0] as { code: string; recoverable: boolean; message?: string };
      expect([err.code, err.recoverable]).to.deep.equal(['secret_refresh_failed', true]);
      expect(err.message).to.include('503 (facesign_unavailable: FaceSign is not reachable)');
    });

    it('a Retry-After longer than refreshTimeout waits refreshTimeout, not what was asked', async () => {
      const ep = await endpoint([{ status: 503, headers: { 'retry-after': '3600' } }]);
      const m = mount({ 'refresh-url': ep.url, 'refresh-timeout': '1500' });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret();
      const log = await ep.log();
      expect(log).to.have.length(2);
      // timers never fire early; the upper bound only tells a capped wait from an hour (or a minute)
      expect(log[1]!.at - log[0]!.at).to.be.within(1450, 9000);
    });

    it('removal aborts the request in flight', async () => {
      const ep = await endpoint([{ hang: true }]);
      const m = mount({ 'refresh-url': ep.url });
      await waitFor(m, 'facesign-ready');
      void m.el.refreshSecret();
      await until(ep.log, (l) => l.length === 1, 'the request');
      m.el.remove();
      const log = await until(ep.log, (l) => l[0]!.aborted, 'the request to be aborted');
      expect(log).to.have.length(1);
      expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close']);
    });

    it('the hosted page refusing the new secret is secret_rejected, and the session stalls behind its cover', async () => {
      const ep = await endpoint();
      const m = mount({ 'verify-url': hostedUrl('secret=reject'), 'refresh-url': ep.url });
      await waitFor(m, 'facesign-ready');
      // (what refreshSecret() settles with is its own test, below)
      void m.el.refreshSecret().catch(() => {});
      const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean; message: string };
      expect([err.code, err.recoverable]).to.deep.equal(['secret_rejected', true]);
      await m.el.updateComplete;
      expect(m.el.shadowRoot!.querySelector('[part=error]')?.textContent).to.include(STRINGS.stalled);
      expect(err.message).to.include('another session');
      expect(types(m)).not.to.include('facesign-secret-refresh');
    });
  });

  it('fetchClientSecret wins over refresh-url, gets the session id, and may return the object form', async () => {
    const ep = await endpoint();
    const m = mount({ 'verify-url': hostedUrl('session=fs_session_7'), 'refresh-url': ep.url });
    const calls: unknown[] = [];
    m.el.fetchClientSecret = async (ctx) => {
      calls.push(ctx);
      return { secret: 'vs_from_function_123', expireAt: nowSec() + 600 };
    };
    await waitFor(m, 'facesign-ready');
    const secret = secretAt(m);
    await m.el.refreshSecret();
    expect((await secret).secret).to.equal('vs_from_function_123');
    expect(calls).to.have.length(1);
    const ctx = calls[0] as { sessionId: string; signal: AbortSignal };
    expect(ctx.sessionId).to.equal('fs_session_7');
    // the signal of this attempt: not aborted, since it answered in time
    expect([ctx.signal instanceof AbortSignal, ctx.signal.aborted]).to.deep.equal([true, false]);
    expect(await ep.log()).to.have.length(0);
    expect(((await waitFor(m, 'facesign-secret-refresh')).detail as { expireAt: number }).expireAt).to.be.greaterThan(nowSec());
  });

  it('fetchClientSecret that throws or hangs is retried like a network error', async () => {
    const m = mount({ 'refresh-timeout': '100' });
    let calls = 0;
    m.el.fetchClientSecret = () => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('offline'));
      if (calls === 2) return new Promise(() => {});
      return Promise.resolve('vs_third_time_lucky');
    };
    await waitFor(m, 'facesign-ready');
    await m.el.refreshSecret();
    expect(calls).to.equal(3);
    expect(errorsOf(m)).to.deep.equal([]);
  });

  // issue 19, bug 11: a refresh endpoint on another subdomain needs the page's cookies sent (credentials: include)
  describe('refresh-credentials', () => {
    const cookie = 'fs_test_login=alice';
    beforeEach(() => (document.cookie = `${cookie}; path=/refresh; SameSite=Lax`));
    afterEach(() => (document.cookie = `${cookie}; path=/refresh; max-age=0`));

    it('same-origin by default: cookies to this origin, none across origins (an Allow-Origin * endpoint answers)', async () => {
      const same = await endpoint();
      const m = mount({ 'refresh-url': same.url });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret();
      expect((await same.log())[0]!.credentials).to.include(cookie);
      // a browser refuses an Allow-Origin * answer to a request sent with credentials: this one was not
      const other = await endpoint([], { cors: 'star' });
      m.el.refreshUrl = other.url;
      await m.el.refreshSecret();
      expect(await other.log()).to.have.length(1);
      expect(errorsOf(m)).to.deep.equal([]);
    });

    it('"omit" sends no cookie, even to this origin', async () => {
      const ep = await endpoint();
      const m = mount({ 'refresh-url': ep.url, 'refresh-credentials': 'omit' });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret();
      expect((await ep.log())[0]!.credentials).to.equal('');
    });

    it('"include" sends credentials across origins: refused by an Allow-Origin * endpoint, works with the CORS README asks for', async () => {
      const star = await endpoint([], { cors: 'star' });
      const m = mount({ 'refresh-url': star.url, 'refresh-credentials': 'include', 'refresh-retries': '0' });
      await waitFor(m, 'facesign-ready');
      const err = await m.el.refreshSecret().then(
        () => undefined,
        (e: FaceSignError) => e,
      );
      expect(err?.code).to.equal('secret_refresh_failed');
      // the browser stopped it at the preflight: an Allow-Origin * answer does not allow credentials
      expect(await star.log()).to.have.length(0);
      const exact = await endpoint([], { cors: 'exact' });
      m.el.refreshUrl = exact.url;
      const secret = secretAt(m);
      await m.el.refreshSecret();
      expect((await secret).secret).to.match(/^vs_refreshed_/);
      expect(m.terminal()).to.deep.equal([]);
    });

    it('the property reads back what was set, its default when unset; anything else is invalid_option naming the three', async () => {
      const m = mount({ 'refresh-url': '/refresh/unused' });
      expect(m.el.refreshCredentials).to.equal('same-origin');
      m.el.setAttribute('refresh-credentials', 'include');
      expect(m.el.refreshCredentials).to.equal('include');
      m.el.removeAttribute('refresh-credentials');
      expect(m.el.refreshCredentials).to.equal('same-origin');
      cleanup();
      const bad = mount({ 'refresh-credentials': 'cookies' });
      const err = (await waitFor(bad, 'facesign-error')).detail as { code: string; message: string };
      expect(err.code).to.equal('invalid_option');
      expect(err.message).to.match(/refreshCredentials must be one of same-origin, include, omit/);
      expect(frameOf(bad.el)).to.equal(null);
    });
  });

  it('without refresh configuration: facesign-secret-request, and a new client-secret continues the same session', async () => {
    const m = mount({});
    const init = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await waitFor(m, 'facesign-ready');
    const frame = frameOf(m.el);
    m.el.addEventListener('facesign-secret-request', (e) => {
      e.preventDefault();
      // e.g. after asking the merchant's server
      setTimeout(() => (m.el.clientSecret = 'vs_from_the_host_page_1'), 20);
    });
    const secret = secretAt(m);
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    const expired = await waitFor(m, 'facesign-secret-request');
    expect((expired.detail as { trigger: string }).trigger).to.equal('expired');
    const got = await secret;
    expect(got.secret).to.equal('vs_from_the_host_page_1');
    expect(got.loadId).to.equal(init.loadId);
    await waitFor(m, 'facesign-secret-refresh');
    expect(frameOf(m.el)).to.equal(frame);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-secret-request', 'facesign-secret-refresh']);
    // later, a new client-secret outside a refresh is a new session, as before
    m.el.clientSecret = 'vs_another_session_22';
    await waitFor(m, 'facesign-ready', 3);
    expect(types(m).slice(3)).to.deep.equal(['facesign-cancel', 'facesign-ready']);
  });

  it('without refresh configuration and nobody handling the event: a recoverable secret_expired', async () => {
    const m = mount({});
    await waitFor(m, 'facesign-ready');
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean; message: string };
    expect([err.code, err.recoverable]).to.deep.equal(['secret_expired', true]);
    // what to set: the development build's advice
    if (__FACESIGN_DEV__) expect(err.message).to.include('refresh-url');
    else expect(err.message).to.equal('the client secret expired and no refresh is configured');
    expect(m.terminal()).to.deep.equal([]);
  });

  it('the object form: hosted origin from url when verify-url is not set; no secret in the iframe URL', async () => {
    const el = document.createElement('facesign-verify');
    const ready = new Promise((r) => el.addEventListener('facesign-ready', r, { once: true }));
    el.clientSecret = { secret: SECRET, expireAt: nowSec() + 3600, url: `${hostedUrl()}?client_secret=${SECRET}` };
    document.body.append(el);
    await ready;
    const src = frameOf(el)!.src;
    expect(new URL(src).origin).to.equal(new URL(hostedUrl()).origin);
    expect(src).not.to.include(SECRET);
    expect(new URL(src).searchParams.has('client_secret')).to.equal(false);
    el.remove();
  });

  it('bad refresh configuration fails fast', async () => {
    for (const url of ['http://evil.test/refresh', 'javascript:alert(1)']) {
      const m = mount({ 'refresh-url': url });
      await m.el.updateComplete;
      const err = errorsOf(m)[0]!;
      expect([err.code, err.recoverable]).to.deep.equal(['invalid_option', false]);
      expect(!!frameOf(m.el)).to.equal(false);
    }
    const m = mount({});
    m.el.clientSecret = { secret: SECRET, expireAt: 'soon' } as never;
    await m.el.updateComplete;
    expect(errorsOf(m)[0]!.code).to.equal('invalid_client_secret');
  });

  it('a refresh-url changed to an invalid one mid-session is a recoverable error, not an exception', async () => {
    const m = mount({ 'refresh-url': '/refresh/unused' });
    await waitFor(m, 'facesign-ready');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);
    addEventListener('unhandledrejection', onUnhandled);
    try {
      m.el.refreshUrl = 'http://evil.test/refresh';
      await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
      const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean };
      expect([err.code, err.recoverable]).to.deep.equal(['invalid_option', true]);
      // fixed, the same session goes on
      const ep = await endpoint();
      m.el.refreshUrl = ep.url;
      const secret = secretAt(m);
      await m.el.refreshSecret();
      expect((await secret).secret).to.match(/^vs_refreshed_/);
      expect(m.terminal()).to.deep.equal([]);
      // a rejection is reported at the microtask checkpoint after it: long before this network round trip ended
      expect(unhandled).to.deep.equal([]);
    } finally {
      removeEventListener('unhandledrejection', onUnhandled);
    }
  });

  it('never puts a secret in a URL, an event or a log line, debug included', async () => {
    const debug = captureDebug();
    try {
      const ep = await endpoint([{ status: 500 }, { status: 200, json: { clientSecret: 'vs_do_not_log_me_777' } }]);
      const m = mount({ 'refresh-url': ep.url, debug: true });
      await waitFor(m, 'facesign-ready');
      await m.el.refreshSecret();
      await waitFor(m, 'facesign-secret-refresh');
      const all = JSON.stringify(m.events) + debug.lines.join('\n') + frameOf(m.el)!.src;
      expect(all).not.to.include(SECRET);
      expect(all).not.to.include('vs_do_not_log_me_777');
      expect(debug.lines.some((l) => l.includes('refreshing secret'))).to.equal(true);
    } finally {
      debug.restore();
    }
  });
});

describe('fetchClientSecret alone (no clientSecret)', () => {
  afterEach(cleanup);

  it('gets the first secret to start, then again on expiry; the page gets each over the port', async () => {
    const calls: { sessionId?: string; signal: AbortSignal }[] = [];
    const m = mountWith({ 'client-secret': false });
    m.el.fetchClientSecret = async (ctx) => {
      calls.push(ctx);
      return calls.length === 1 ? { secret: 'vs_first_from_fetch_1', expireAt: nowSec() + 3600 } : 'vs_second_from_fetch_2';
    };
    const init = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    expect((init.init as { secret: string }).secret).to.equal('vs_first_from_fetch_1');
    await waitFor(m, 'facesign-ready');
    expect(calls[0]!.sessionId).to.equal(undefined);
    const next = secretAt(m);
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    expect((await next).secret).to.equal('vs_second_from_fetch_2');
    expect(calls).to.have.length(2);
    expect(m.terminal()).to.deep.equal([]);
  });

  it('a first fetch that keeps failing: retried, then a recoverable error with the Try again cover; retry() starts over', async () => {
    let n = 0;
    const m = mountWith({ 'client-secret': false, 'refresh-retries': '1', 'refresh-retry-delay': '10' });
    m.el.fetchClientSecret = async () => {
      if (++n <= 2) throw new Error('backend down');
      return SECRET;
    };
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean; message: string };
    expect([err.code, err.recoverable]).to.deep.equal(['secret_refresh_failed', true]);
    expect(err.message).to.include('backend down');
    expect(n).to.equal(2);
    expect(frameOf(m.el)).to.equal(null);
    await m.el.updateComplete;
    m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]')!.click();
    await waitFor(m, 'facesign-ready');
    expect(n).to.equal(3);
  });

  it('removal while the first fetch runs aborts its signal, and nothing follows but facesign-close', async () => {
    let signal: AbortSignal | undefined;
    const m = mountWith({ 'client-secret': false });
    m.el.fetchClientSecret = ({ signal: s }) => ((signal = s), new Promise(() => {}));
    await until(
      () => signal,
      (s) => !!s,
      'the first fetch',
    );
    m.el.remove();
    expect(signal!.aborted).to.equal(true);
    expect(types(m)).to.deep.equal(['facesign-cancel', 'facesign-close']);
    expect(frameOf(m.el)).to.equal(null);
  });

  it('without fetchClientSecret a missing secret is no error: the element waits, idle, until one is set', async () => {
    const m = mountWith({ 'client-secret': false });
    await m.el.updateComplete;
    expect(m.events).to.deep.equal([]);
    expect(m.el.status).to.equal('idle');
  });
});

describe('refreshSecret() settles with what the hosted page answered', () => {
  afterEach(cleanup);

  const outcome = (m: Mounted) =>
    m.el.refreshSecret().then(
      () => 'resolved',
      (e: unknown) => e,
    );

  it('refused (secret-rejected): it rejects with the secret_rejected that facesign-error reported', async () => {
    const ep = await endpoint();
    const m = mount({ 'verify-url': hostedUrl('secret=reject'), 'refresh-url': ep.url });
    await waitFor(m, 'facesign-ready');
    const r = await outcome(m);
    expect(r).to.be.instanceOf(FaceSignError);
    expect((r as FaceSignError).toJSON()).to.deep.equal(errorsOf(m)[0]);
    expect((r as FaceSignError).code).to.equal('secret_rejected');
  });

  it('never confirmed within refreshTimeout: it rejects with secret_refresh_failed', async () => {
    const ep = await endpoint();
    // the fetch answers well within the timeout; the confirmation never comes
    const m = mount({ 'verify-url': hostedUrl('secret=manual'), 'refresh-url': ep.url, 'refresh-timeout': '1500' });
    await waitFor(m, 'facesign-ready');
    const r = await outcome(m);
    expect(r).to.be.instanceOf(FaceSignError);
    expect((r as FaceSignError).code).to.equal('secret_refresh_failed');
    expect((r as FaceSignError).toJSON()).to.deep.equal(errorsOf(m).at(-1));
  });
});

describe('a refresh never waits forever', () => {
  afterEach(cleanup);

  it('a listener that prevents facesign-secret-request but never sets a secret does not leave the session waiting forever', async () => {
    const m = await mountReady({ 'refresh-timeout': '300' });
    let asked = 0;
    m.el.addEventListener('facesign-secret-request', (e) => (asked++, e.preventDefault()));
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean; message: string };
    expect([err.code, err.recoverable]).to.deep.equal(['secret_refresh_failed', true]);
    expect(err.message).to.include('facesign-secret-request');
    await m.el.updateComplete;
    // the user is not left on a spinner: a cover whose button asks again
    const button = m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]')!;
    expect(button.textContent).to.equal('Try again');
    const secret = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'secret',
    );
    m.el.addEventListener('facesign-secret-request', () => (m.el.clientSecret = 'vs_supplied_late_1234'), { once: true });
    button.click();
    expect((await secret).secret).to.equal('vs_supplied_late_1234');
    expect(asked).to.equal(2);
    await waitFor(m, 'facesign-secret-refresh');
    expect(m.terminal()).to.deep.equal([]);
  });

  it('a hosted page that never acknowledges a new secret gives a recoverable error, not an endless wait', async () => {
    const ep = await endpoint();
    // the fetch must answer within the timeout and the confirmation must not: 1.5 s is room for a loaded machine
    const m = mountWith({ 'verify-url': hostedUrl('secret=manual'), 'refresh-url': ep.url, 'refresh-timeout': '1500' });
    await waitFor(m, 'facesign-ready');
    // (what refreshSecret() settles with is tested above)
    void m.el.refreshSecret().catch(() => {});
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean; message: string };
    expect([err.code, err.recoverable]).to.deep.equal(['secret_refresh_failed', true]);
    expect(err.message).to.match(/did not confirm/);
    expect(types(m)).not.to.include('facesign-secret-refresh');
    expect(m.terminal()).to.deep.equal([]);
  });

  it('fetchClientSecret gets an AbortSignal that aborts when its attempt times out', async () => {
    const m = await mountReady({ 'refresh-timeout': '200', 'refresh-retries': '1', 'refresh-retry-delay': '10' });
    const signals: AbortSignal[] = [];
    m.el.fetchClientSecret = ({ signal }) => {
      signals.push(signal);
      // the first call hangs until it is aborted, as a fetch given the signal would
      if (signals.length === 1) return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      return Promise.resolve('vs_second_attempt_9876');
    };
    const secret = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'secret',
    );
    await m.el.refreshSecret();
    expect((await secret).secret).to.equal('vs_second_attempt_9876');
    expect(signals.map((s) => s.aborted)).to.deep.equal([true, false]);
  });
});

describe('refreshSecret() after the first fetchClientSecret failed', () => {
  afterEach(cleanup);

  it('asks fetchClientSecret again, and the session starts', async () => {
    let n = 0;
    let down = true;
    const m = mountWith({ 'client-secret': false, 'refresh-retries': '0' });
    m.el.fetchClientSecret = async () => {
      n++;
      if (down) throw new Error('backend down');
      return SECRET;
    };
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean };
    expect([err.code, err.recoverable]).to.deep.equal(['secret_refresh_failed', true]);
    expect(n).to.equal(1);
    down = false;
    const init = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    void m.el.refreshSecret().catch(() => {});
    await until(
      () => n,
      (v) => v === 2,
      'fetchClientSecret to be asked again',
    );
    expect(((await init).init as { secret: string }).secret).to.equal(SECRET);
    await waitFor(m, 'facesign-ready');
    expect(m.terminal()).to.deep.equal([]);
  });
});

describe('a stalled refresh, then the session ends: the ended cover replaces the stall', () => {
  afterEach(cleanup);
  const coverOf = (m: Mounted) => m.el.shadowRoot!.querySelector('.cover')?.textContent ?? '';
  const button = (m: Mounted) => m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]');

  /** A session whose manual refresh the endpoint refused (401): the "could not be renewed / Try again" cover. */
  async function stalled(after: unknown[] = []) {
    const ep = await endpoint([{ status: 401, json: { error: { code: 'unauthorized', message: 'Log in again' } } }, ...after]);
    const m = mount({ 'refresh-url': ep.url });
    await waitFor(m, 'facesign-ready');
    await m.el.refreshSecret().catch(() => {});
    await m.el.updateComplete;
    expect(coverOf(m)).to.contain(STRINGS.stalled);
    return m;
  }

  it('the hosted page ends it (session_finished): the start-again cover, no Try again', async () => {
    const m = await stalled();
    post(m.el, { do: 'send', method: 'error', args: ['session_finished', 'already done', false] });
    await until(
      () => m.terminal().length,
      (n) => n === 1,
      'the terminal error',
    );
    await m.el.updateComplete;
    expect(coverOf(m)).to.not.contain(STRINGS.stalled);
    expect(coverOf(m)).to.contain(STRINGS.unusable);
    expect(button(m)).to.equal(null);
  });

  it('the refresh endpoint ends it (refresh_forbidden, asked by the stall cover’s Try again): the start-again cover', async () => {
    const m = await stalled([{ status: 403, json: { error: { code: 'forbidden', message: 'Not yours' } } }]);
    button(m)!.click();
    await until(
      () => m.terminal().map((e) => (e.detail as { code: string }).code),
      (c) => c.length === 1,
      'the terminal error',
    );
    expect((m.terminal()[0]!.detail as { code: string }).code).to.equal('refresh_forbidden');
    await m.el.updateComplete;
    expect(coverOf(m)).to.not.contain(STRINGS.stalled);
    expect(coverOf(m)).to.contain(STRINGS.unusable);
    expect(button(m)).to.equal(null);
  });

  it('close(): the closed cover with "Start again"', async () => {
    const m = await stalled();
    m.el.close();
    await m.el.updateComplete;
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'closed' }]);
    expect(coverOf(m)).to.not.contain(STRINGS.stalled);
    expect(coverOf(m)).to.contain(STRINGS.canceled);
    expect(button(m)?.textContent).to.equal(STRINGS.startAgain);
  });
});

describe('a secret whose lifetime is shorter than refreshMargin', () => {
  const realNow = clock.now;
  afterEach(() => {
    cleanup();
    clock.now = realNow;
  });

  it('is refreshed about once per lifetime, not every 10 s, and never lapses', async () => {
    // lives 300 s, refreshed 600 s before it expires: every secret arrives inside the margin
    const LIFE = 300;
    let offset = 0;
    clock.now = () => Date.now() + offset;
    const simSec = () => Math.floor(clock.now() / 1000);
    const calls: number[] = [];
    const m = mountWith({ 'client-secret': false, 'refresh-margin': '600' });
    m.el.fetchClientSecret = async () => {
      calls.push(simSec());
      return { secret: `vs_short_lived_${calls.length}_abcdef`, expireAt: simSec() + LIFE };
    };
    m.el.clientSecret = { secret: SECRET, expireAt: simSec() + LIFE };
    await waitFor(m, 'facesign-ready');
    const refreshes = () => m.events.filter((e) => e.type === 'facesign-secret-refresh');
    // each refresh done (the page has the secret) before the clock moves on
    const settle = () =>
      until(
        () => refreshes().length,
        (n) => n === calls.length,
        'the refresh to reach the page',
      );
    await settle();
    // the expiry of the secret the page holds: the last one it got, or the one it started with
    const expiry = () => (refreshes().at(-1)?.detail as { expireAt?: number } | undefined)?.expireAt;
    let held = expiry() ?? simSec() + LIFE;
    const t0 = simSec();
    // 330 s of simulated time, looked at every 11 s (as the tab waking up would): past one whole lifetime
    for (let i = 0; i < 30; i++) {
      offset += 11_000;
      document.dispatchEvent(new Event('visibilitychange'));
      await settle();
      held = expiry() ?? held;
    }
    expect(simSec() - t0).to.be.at.least(330);
    // about once per lifetime: 330 s is a little over one; the loop refreshes at every look
    expect(calls.length, `refreshes at simulated seconds ${calls.map((t) => t - t0).join(', ')}`).to.be.at.most(3);
    expect(held, 'the secret the page holds is still valid').to.be.greaterThan(simSec());
    expect(errorsOf(m)).to.deep.equal([]);
  });
});

describe('the wait for secret-accepted after a reconnect', () => {
  afterEach(cleanup);

  it('a page that reloads after a refresh gets the new secret in init: no secret_refresh_failed, no stall', async () => {
    const ep = await endpoint();
    // the page never answers a `secret` message (it reloads before it could)
    const m = mount({ 'verify-url': hostedUrl('secret=manual'), 'refresh-url': ep.url, 'refresh-timeout': '1500' });
    const first = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await waitFor(m, 'facesign-ready');
    const timers = trackTimers();
    try {
      const sent = secretAt(m);
      void m.el.refreshSecret().catch(() => {});
      const secret = (await sent).secret;
      const again = fromFixture(
        () => frameOf(m.el)?.contentWindow,
        (f) => f.event === 'init' && f.loadId !== first.loadId,
      );
      post(m.el, { do: 'navigate', url: frameOf(m.el)!.src });
      expect(((await again).init as { secret: string }).secret).to.equal(secret);
      // every wait of refreshTimeout made since (the attempt's, the confirmation's) has run or was cleared
      await until(
        () => timers.made('timeout', 1500) > 0 && timers.live('timeout', 1500) === 0,
        (v) => v,
        'the refresh timeouts to pass',
      );
      await m.el.updateComplete;
      expect(errorsOf(m).map((e) => e.code)).to.deep.equal([]);
      expect(m.el.shadowRoot!.querySelector('.cover')?.textContent ?? '').to.not.contain(STRINGS.stalled);
      expect(m.el.status).to.equal('requiresInput');
    } finally {
      timers.restore();
    }
  });
});

describe('a refresh while no hosted page is connected', () => {
  afterEach(cleanup);

  it('after hosted_page_lost, refreshSecret() says nothing until a page has the secret: the page Try again loads gets it in init, then facesign-secret-refresh, then it resolves', async () => {
    const ep = await endpoint();
    const m = await mountReady({ 'refresh-url': ep.url, debug: true });
    // another document in the frame (here on the host's own origin): lost 300 ms after its load
    await withTiming({ helloAfterLoad: 300 }, async () => {
      post(m.el, { do: 'navigate', url: frameOf(m.el)!.src.replace(FRAME_ORIGIN, location.origin) });
      const err = await waitFor(m, 'facesign-error');
      expect(err.detail).to.include({ code: 'hosted_page_lost', recoverable: true });
    });
    const debug = captureDebug();
    let settled = '';
    try {
      const refreshed = m.el.refreshSecret().then(
        () => (settled = 'resolved'),
        (e: FaceSignError) => (settled = e.code),
      );
      // the new secret is here, and no page to hand it to
      await until(
        () => debug.lines.some((l) => l.includes('new secret for the hosted page: manual')),
        (v) => v,
        'the new secret',
      );
      expect(await ep.log()).to.have.length(1);
      await m.el.updateComplete;
      expect(types(m).filter((t) => t === 'facesign-secret-refresh')).to.deep.equal([]);
      expect(settled).to.equal('');
      expect(m.el.status).to.equal('error');
      // Try again: the page it loads gets the new secret in its init; only then does the host page hear of it
      const init = fromFixture(
        () => frameOf(m.el)?.contentWindow,
        (f) => f.event === 'init',
      );
      m.el.retry();
      const secret = ((await init).init as { secret: string }).secret;
      expect(secret).to.match(/^vs_refreshed_/);
      expect(((await waitFor(m, 'facesign-secret-refresh')).detail as { trigger: string }).trigger).to.equal('manual');
      await refreshed;
      expect(settled).to.equal('resolved');
      expect(errorsOf(m).map((e) => e.code)).to.deep.equal(['hosted_page_lost']);
    } finally {
      debug.restore();
    }
  });
});
