import { expect } from '@open-wc/testing';
import { EN as STRINGS } from '../../src/element/strings.js';
import {
  FRAME_ORIGIN,
  captureDebug,
  cleanup,
  command,
  endpoint,
  frameOf,
  fromFixture,
  hostedUrl,
  mount,
  mountReady,
  post,
  until,
  waitFor,
} from './helpers.js';
import { inPopup, realClick, recordPopups, trackTimers, types, withTiming, type Mounted } from './helpers.js';
import { commandWindow, postWindow } from './fixture.js';
import { fallbackVia } from '../../src/surfaces/fallback.js';
import { launch, leaveForHostedPage, rememberRedirect } from '../../src/surfaces/redirect.js';
import { handleRedirectResult } from '../../src/surfaces/redirect-return.js';
import { secretKey } from '../../src/base/secret-key.js';
import { SECRET } from './helpers.js';
import { timing } from '../../src/session/watch.js';
import { blockedFeatures, browserObstacle } from '../../src/surfaces/obstacles.js';
import { EN, loadLangs, textsFor } from '../../src/element/strings.js';
import { merchantPage, type MerchantPage } from './pages.js';
import { record, tick } from './helpers.js';
import type { FaceSignVerifyElement } from '../../src/index.js';

const coverOf = (el: HTMLElement) => el.shadowRoot!.querySelector('.cover');
const button = (m: Mounted) => m.el.shadowRoot!.querySelector<HTMLButtonElement>('button.retry');
const coverText = (m: Mounted) => m.el.shadowRoot!.querySelector('.cover')?.textContent ?? '';

describe('failure paths end on a cover with a way forward', () => {
  afterEach(cleanup);

  it('a refresh that fails before the page was ready shows "Try again", never the spinner, and recovers', async () => {
    const ep = await endpoint([{ status: 403 }]);
    const m = mount({ 'refresh-url': ep.url, 'refresh-retry-delay': '20', 'verify-url': hostedUrl('ready=manual') });
    await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    // the page's first request finds the secret expired, before it is ready
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    const err = await waitFor(m, 'facesign-error');
    expect((err.detail as { code: string }).code).to.equal('secret_refresh_failed');
    await m.el.updateComplete;
    expect(coverOf(m.el)?.textContent).to.contain(STRINGS.stalled);
    expect(m.el.shadowRoot!.querySelector('.spinner')).to.equal(null);
    expect(m.el.shadowRoot!.querySelector('.box')!.getAttribute('aria-busy')).to.equal('false');
    // the button retries; the endpoint answers this time and the page gets the secret
    (m.el.shadowRoot!.querySelector('button.retry') as HTMLButtonElement).click();
    await waitFor(m, 'facesign-secret-refresh');
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('.cover')?.textContent).to.contain(STRINGS.loading);
  });

  for (const code of ['invalid_client_secret', 'session_not_found', 'session_finished'])
    it(`${code} reported by the hosted page: its code, and a cover that says to start again (no useless button)`, async () => {
      const m = mount();
      await waitFor(m, 'facesign-ready');
      // post, not command: a non-recoverable error removes the frame before it could acknowledge
      post(m.el, { do: 'send', method: 'error', args: [code, 'FaceSign says no', false] });
      const err = await waitFor(m, 'facesign-error');
      expect(err.detail).to.deep.equal({ code, message: 'FaceSign says no', recoverable: false });
      await m.el.updateComplete;
      expect(coverOf(m.el)?.textContent).to.contain(STRINGS.unusable);
      expect(m.el.shadowRoot!.querySelector('button.retry')).to.equal(null);
      expect(m.terminal()).to.have.length(1);
    });

  it('any other non-recoverable error keeps the generic cover with "Try again"', async () => {
    const m = mount();
    await waitFor(m, 'facesign-ready');
    post(m.el, { do: 'send', method: 'error', args: ['network_error', 'offline', false] });
    await waitFor(m, 'facesign-error');
    await m.el.updateComplete;
    expect(coverOf(m.el)?.textContent).to.contain(STRINGS.error);
    expect(m.el.shadowRoot!.querySelector('button.retry')?.textContent).to.equal(STRINGS.tryAgain);
  });
});

describe('a frame that cannot verify is detected', () => {
  afterEach(cleanup);
  const codes = (m: { events: { type: string; detail: unknown }[] }) =>
    m.events.filter((e) => e.type === 'facesign-error').map((e) => (e.detail as { code: string }).code);

  it("framing refused (CSP frame-ancestors 'none'): frame_blocked after the frame's load, not load_timeout", async function () {
    this.timeout(15_000);
    const m = mount({ 'verify-url': hostedUrl('frame=deny') });
    const err = await waitFor(m, 'facesign-error');
    expect(err.detail).to.include({ code: 'frame_blocked', recoverable: true });
    expect((err.detail as { message: string }).message).to.match(
      __FACESIGN_DEV__ ? /frame-ancestors/ : /loaded in the frame but did not connect within 5 s$/,
    );
    await m.el.updateComplete;
    // fallback auto: a popup is offered, announced first
    expect(m.events.find((e) => e.type === 'facesign-fallback')?.detail).to.deep.equal({ reason: 'frame_blocked', via: 'popup' });
    expect(m.el.shadowRoot!.querySelector('button.retry')?.textContent).to.equal(STRINGS.popup);
    expect(codes(m)).to.deep.equal(['frame_blocked']);
  });

  it('a hosted page that cannot be reached (nothing listens at verify-url): hosted_page_unreachable, no other path offered; Try again loads it again; coming back online tries by itself', async function () {
    this.timeout(30_000);
    // a loopback port nothing listens on (the test server is on another): a refused connection, as with FaceSign down
    const nowhere = 'http://127.0.0.1:65531/verify';
    const m = await withTiming({ helloAfterLoad: 500 }, async () => {
      const m = mount({ 'verify-url': nowhere, 'load-timeout': '5000' });
      await waitFor(m, 'facesign-error');
      return m;
    });
    expect(codes(m)).to.deep.equal(['hosted_page_unreachable']);
    expect(types(m)).to.deep.equal(['facesign-error']);
    await m.el.updateComplete;
    // no frame left showing the browser's error page; Try again, never a popup
    expect(frameOf(m.el)).to.equal(null);
    expect(m.el.shadowRoot!.querySelector('button.retry')?.textContent).to.equal(STRINGS.tryAgain);
    expect(m.el.status).to.equal('error');
    dispatchEvent(new Event('online'));
    await m.el.updateComplete;
    expect(frameOf(m.el), 'a new frame once online').to.not.equal(null);
    expect(m.el.status).to.equal('loading');
  });

  it('fallback="none": frame_blocked with the Try again cover and no fallback event', async function () {
    this.timeout(15_000);
    const m = mount({ 'verify-url': hostedUrl('frame=deny'), fallback: 'none' });
    await waitFor(m, 'facesign-error');
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('button.retry')?.textContent).to.equal(STRINGS.tryAgain);
    expect(types(m)).to.deep.equal(['facesign-error']);
  });

  it('a page at verify-url that loads but never says hello: frame_blocked; a late hello still connects', async function () {
    this.timeout(15_000);
    const m = mount({ 'verify-url': hostedUrl('hello=manual') });
    await waitFor(m, 'facesign-error');
    expect(codes(m)).to.deep.equal(['frame_blocked']);
    await command(m.el, { do: 'connect' });
    await waitFor(m, 'facesign-ready');
    expect(m.el.status).to.equal('requiresInput');
  });

  it('the hosted page navigated away after the handshake: hosted_page_lost; the new document gets nothing; retry() continues the session with the secret it has now', async () => {
    const ep = await endpoint();
    const m = await mountReady({ debug: true, 'refresh-url': ep.url });
    // a refresh first: the secret the element was given is dead now, and a retry must not send it
    const sent = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'secret',
    );
    await m.el.refreshSecret().catch(() => {});
    const refreshed = (await sent).secret;
    await waitFor(m, 'facesign-secret-refresh');
    const debug = captureDebug();
    try {
      // a link in the page, a redirect, a script: another document in the frame, here on the host's own origin
      const away = frameOf(m.el)!.src.replace(FRAME_ORIGIN, location.origin);
      post(m.el, { do: 'navigate', url: away });
      const err = await waitFor(m, 'facesign-error');
      expect(err.detail).to.include({ code: 'hosted_page_lost', recoverable: true });
      // that document said hello with the right channel, from the wrong origin: dropped, no init
      await until(
        () => debug.lines.some((l) => l.includes('dropped window message: origin')),
        (v) => v,
        'the foreign hello dropped',
      );
      expect(m.el.status).to.equal('error');
    } finally {
      debug.restore();
    }
    // retry() ("Try again") continues the same session: a new frame with the secret it has now, and no second
    // ready (once per session)
    const before = m.events.length;
    const init = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    m.el.retry();
    expect(((await init).init as { secret: string }).secret).to.equal(refreshed);
    await until(
      () => m.el.status,
      (s) => s === 'requiresInput',
      'the page ready again',
    );
    expect(m.events.slice(before)).to.deep.equal([]);
  });

  it('after the terminal event the heartbeat stops: its interval is gone, and nothing of the watch is pending', async () => {
    const timers = trackTimers();
    try {
      const m = await mountReady();
      // the control: while it runs, the heartbeat is an interval
      expect(timers.live('interval', timing.pingEvery)).to.equal(1);
      await command(m.el, { do: 'send', method: 'completed', args: ['fs_session_done'] });
      await waitFor(m, 'facesign-complete');
      expect(timers.live('interval')).to.equal(0);
      expect(timers.live('timeout', timing.helloAfterLoad)).to.equal(0);
      expect(codes(m)).to.deep.equal([]);
    } finally {
      timers.restore();
    }
  });

  it('the hosted page stops answering the heartbeat: hosted_page_lost after the stretch of silence, not before', async function () {
    // the real timings (10 s of silence)
    this.timeout(30_000);
    const m = await mountReady();
    await new Promise((r) => setTimeout(r, 2500));
    await command(m.el, { do: 'silence' });
    const t0 = performance.now();
    const err = await waitFor(m, 'facesign-error');
    const waited = performance.now() - t0;
    expect(err.detail).to.include({ code: 'hosted_page_lost', recoverable: true });
    expect((err.detail as { message: string }).message).to.match(/stopped answering/);
    // never before the silence (less the last ping period it may have fallen in); well within two more periods
    expect(waited).to.be.at.least(timing.silence - timing.pingEvery);
    expect(waited).to.be.below(timing.silence + 4 * timing.pingEvery + 5000);
  });
});

describe('fallbacks: popup, redirect, the user’s own browser', () => {
  const realOpen = window.open;
  let opened: (Window | null)[] = [];
  beforeEach(() => {
    opened = [];
    window.open = (...a: Parameters<typeof window.open>) => {
      const w = realOpen.apply(window, a);
      opened.push(w);
      return w;
    };
  });
  afterEach(() => {
    window.open = realOpen;
    for (const w of opened) w?.close();
    cleanup();
  });

  const offeredButton = (m: { el: HTMLElement }) => m.el.shadowRoot!.querySelector('button.retry')!;

  /** An element whose frame is refused, with the popup offered; the popup's hosted page connects. */
  async function offered(attrs: Record<string, string> = {}) {
    const m = mount({ 'verify-url': hostedUrl('frame=deny'), ...attrs });
    await waitFor(m, 'facesign-fallback');
    await m.el.updateComplete;
    return m;
  }

  it('popup: the same handshake over window.opener, every event on the element, then complete closes it', async function () {
    this.timeout(20_000);
    const m = await offered();
    await realClick(offeredButton(m));
    await until(
      () => opened.length,
      (n) => n > 0,
      'window.open',
    );
    expect(opened).to.have.length(1);
    const popup = opened[0]!;
    await waitFor(m, 'facesign-ready');
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('.cover')?.textContent).to.contain(STRINGS.popupOpen);
    expect(frameOf(m.el)).to.equal(null);
    await commandWindow(() => popup, { do: 'send', method: 'started', args: [] });
    await waitFor(m, 'facesign-start');
    postWindow(popup, { do: 'send', method: 'completed', args: ['fs_session_popup'] });
    const done = await waitFor(m, 'facesign-complete');
    expect(done.detail).to.deep.equal({ sessionId: 'fs_session_popup' });
    await until(
      () => popup.closed,
      (v) => v,
      'the popup closed',
    );
    expect(types(m).filter((t) => t !== 'facesign-error')).to.deep.equal([
      'facesign-fallback',
      'facesign-ready',
      'facesign-start',
      'facesign-complete',
    ]);
    expect(m.terminal()).to.have.length(1);
  });

  it('popup: a secret refresh reaches the popup and continues the same session there', async function () {
    this.timeout(20_000);
    const ep = await endpoint();
    const m = await offered({ 'refresh-url': ep.url });
    await realClick(offeredButton(m));
    await waitFor(m, 'facesign-ready');
    const got = fromFixture(
      () => opened[0],
      (f) => f.event === 'secret',
    );
    await m.el.refreshSecret();
    expect(((await got) as { secret: string }).secret).to.match(/^vs_refreshed_/);
    // the popup's page accepts it: the same event as with the iframe
    expect((await waitFor(m, 'facesign-secret-refresh')).detail).to.include({ trigger: 'manual' });
    expect(m.terminal()).to.have.length(0);
  });

  it('popup closed by the user: one facesign-cancel (popup_closed)', async function () {
    this.timeout(20_000);
    const m = await offered();
    await realClick(offeredButton(m));
    await waitFor(m, 'facesign-ready');
    opened[0]!.close();
    const c = await waitFor(m, 'facesign-cancel');
    expect(c.detail).to.deep.equal({ reason: 'popup_closed' });
    expect(m.terminal()).to.have.length(1);
    expect(m.el.status).to.equal('canceled');
  });

  it('popup blocked: recoverable popup_blocked, and the redirect is offered', async function () {
    this.timeout(15_000);
    const m = await offered();
    window.open = () => null;
    m.el.continueIn('popup');
    const err = m.events.filter((e) => e.type === 'facesign-error').at(-1)!;
    expect(err.detail).to.include({ code: 'popup_blocked', recoverable: true });
    expect(m.events.filter((e) => e.type === 'facesign-fallback').at(-1)!.detail).to.deep.equal({ reason: 'popup_blocked', via: 'redirect' });
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('button.retry')?.textContent).to.equal(STRINGS.redirect);
  });

  it('facesign-fallback prevented: no cover of ours; continueIn() from the merchant’s own UI', async function () {
    this.timeout(20_000);
    const m = mount({ 'verify-url': hostedUrl('frame=deny') });
    m.el.addEventListener('facesign-fallback', (e) => e.preventDefault());
    await waitFor(m, 'facesign-fallback');
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('.cover')?.textContent).to.contain(STRINGS.error);
    // the merchant's own button
    const mine = document.createElement('button');
    mine.textContent = 'Verify in a new window';
    mine.onclick = () => m.el.continueIn('popup');
    document.body.prepend(mine);
    try {
      await realClick(mine);
      await waitFor(m, 'facesign-ready');
    } finally {
      mine.remove();
    }
    expect(opened).to.have.length(1);
  });

  /** Puts a redirect's result in this page's URL, as the hosted page returns; undone by the returned function. */
  function returnWith(params: Record<string, string>): () => void {
    const before = location.href;
    const url = new URL(location.href);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    history.replaceState(history.state, '', url.href);
    return () => history.replaceState(history.state, '', before);
  }

  it('the return page of a redirect this tab started: one terminal event from the URL, which is cleaned; nothing loads', async () => {
    const before = location.href;
    const state = rememberRedirect([secretKey(SECRET)], 'fs_session_back');
    const undo = returnWith({ fs_state: state, fs_session: 'fs_session_back', fs_result: 'complete' });
    try {
      const m = mount();
      const done = await waitFor(m, 'facesign-complete');
      expect(done.detail).to.deep.equal({ sessionId: 'fs_session_back' });
      expect(location.href).to.equal(before);
      expect(frameOf(m.el)).to.equal(null);
      expect(m.el.status).to.equal('complete');
      // once: the state is spent
      undo();
      const again = returnWith({ fs_state: state, fs_session: 'fs_session_back', fs_result: 'complete' });
      expect(handleRedirectResult()).to.equal(undefined);
      again();
    } finally {
      undo();
    }
  });

  it('a return URL whose parameter names are percent-encoded (fs%5Fresult) still counts: the quick look before parsing misses none', () => {
    const before = location.href;
    const state = rememberRedirect([secretKey(SECRET)], 'fs_session_enc');
    history.replaceState(history.state, '', `${location.pathname}?fs%5Fstate=${state}&fs%5Fsession=fs_session_enc&fs%5Fresult=complete`);
    try {
      expect(handleRedirectResult({ clientSecret: SECRET })).to.deep.equal({ sessionId: 'fs_session_enc', status: 'complete' });
      expect(location.search).to.not.match(/fs%5Fresult/i);
    } finally {
      history.replaceState(history.state, '', before);
    }
  });

  it('a forged return link (no state, an unknown state, a bad reason) is ignored: the element verifies as usual', async () => {
    const forged: Record<string, string>[] = [
      { fs_session: 'fs_session_x', fs_result: 'complete' },
      { fs_state: 'f'.repeat(32), fs_session: 'fs_session_x', fs_result: 'complete' },
    ];
    for (const params of forged) {
      const undo = returnWith(params);
      try {
        const m = mount({ debug: true });
        const debug = captureDebug();
        try {
          await waitFor(m, 'facesign-ready');
        } finally {
          debug.restore();
        }
        expect(types(m)).to.deep.equal(['facesign-ready']);
        expect(m.el.status).to.equal('requiresInput');
        cleanup();
      } finally {
        undo();
      }
    }
    // a real state whose reason is not a cancel reason: refused, and the state stays for the right page
    const state = rememberRedirect([secretKey(SECRET)]);
    const undo = returnWith({
      fs_state: state,
      fs_session: 's1',
      fs_result: 'canceled',
      fs_reason: '<img src=x>'.repeat(50),
      fs_key: secretKey(SECRET),
    });
    try {
      expect(handleRedirectResult()).to.equal(undefined);
    } finally {
      undo();
    }
  });

  it('a return bound to another session is left for it: a modal opened with a new secret does not take it', async () => {
    const state = rememberRedirect([secretKey('vs_other_session_secret_1')], 'fs_session_old');
    const undo = returnWith({ fs_state: state, fs_session: 'fs_session_old', fs_result: 'complete' });
    try {
      const m = mount({ mode: 'modal', open: true });
      await waitFor(m, 'facesign-ready');
      expect(types(m)).to.deep.equal(['facesign-ready']);
      // the element that is that session takes it, once
      expect(handleRedirectResult({ clientSecret: 'vs_other_session_secret_1' })).to.deep.equal({ sessionId: 'fs_session_old', status: 'complete' });
    } finally {
      undo();
    }
  });

  it('an element in the page before its scripts: the returned outcome is dispatched once the document is parsed', async () => {
    // a fresh document, as a return page loads: the element in its HTML, the listener in a later script
    const state = rememberRedirect([secretKey(SECRET)]);
    const frame = document.createElement('iframe');
    const params = new URLSearchParams({ fs_state: state, fs_session: 'fs_session_static', fs_result: 'complete', fs_key: secretKey(SECRET) });
    frame.src = `/test/fixtures/return-page.html?${params}`;
    const heard = new Promise<unknown>((resolve) => addEventListener('message', (e) => e.data?.returnPage && resolve(e.data.returnPage)));
    document.body.append(frame);
    try {
      expect(await heard).to.deep.equal({ events: ['facesign-complete'], status: 'complete', search: '' });
    } finally {
      frame.remove();
    }
  });

  it('launch: the hosted page’s address carries neither the secret nor the way back; the form’s body does', () => {
    const { action, fields } = launch(
      'https://verify.example/?fs_channel=abc&fs_v=1&fs_origin=https%3A%2F%2Fshop.example&lang=de#x',
      'vs_secret_1234',
      'https://shop.example/pay?x=1&fs_result=complete',
      'st4te',
    );
    expect(action).to.equal('https://verify.example/?lang=de');
    expect(fields).to.deep.equal({ client_secret: 'vs_secret_1234', return_url: 'https://shop.example/pay?x=1&fs_state=st4te' });
    const state = rememberRedirect(['k']);
    const undo = returnWith({ a: '1', fs_state: state, fs_session: 's1', fs_result: 'canceled', fs_reason: 'user_canceled', fs_key: 'k' });
    try {
      expect(handleRedirectResult()).to.deep.equal({ sessionId: 's1', status: 'canceled', reason: 'user_canceled' });
      expect(new URL(location.href).searchParams.get('a')).to.equal('1');
      expect(location.search).to.not.contain('fs_');
    } finally {
      undo();
    }
  });

  it('leaving: a top-level POST whose body has the secret; the form is gone at once, and a DOM recorder saw no secret', () => {
    const SECRETISH = 'vs_leaving_secret_Q7xK9pLm';
    const submitted: { method: string; action: string; target: string; body: string; connected: boolean }[] = [];
    const real = HTMLFormElement.prototype.submit;
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      const body = new URLSearchParams([...new FormData(this)] as [string, string][]).toString();
      submitted.push({ method: this.method, action: this.action, target: this.target, body, connected: this.isConnected });
    };
    const seen: string[] = [];
    const mo = new MutationObserver((records) => {
      for (const r of records) {
        seen.push(`${r.attributeName}: ${r.oldValue}`);
        for (const n of r.addedNodes) if (n instanceof Element) seen.push(n.outerHTML, ...[...n.querySelectorAll('input')].map((i) => i.value));
      }
    });
    mo.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeOldValue: true });
    const ctl = new AbortController();
    try {
      leaveForHostedPage(
        { base: `${FRAME_ORIGIN}/verify?fs_channel=c`, secret: SECRETISH, returnUrl: `${location.origin}/back`, keys: ['k'] },
        () => {},
        ctl.signal,
      );
    } finally {
      HTMLFormElement.prototype.submit = real;
      seen.push(...mo.takeRecords().map((r) => `${r.attributeName}: ${r.oldValue}`));
      mo.disconnect();
      ctl.abort();
    }
    expect(submitted).to.have.length(1);
    const [form] = submitted;
    expect(form).to.include({ method: 'post', action: `${FRAME_ORIGIN}/verify`, target: '_self', connected: true });
    const body = new URLSearchParams(form!.body);
    expect(body.get('client_secret')).to.equal(SECRETISH);
    expect(new URL(body.get('return_url')!).pathname).to.equal('/back');
    expect(document.querySelector('form')).to.equal(null);
    expect(seen.join('\n')).not.to.include(SECRETISH);
  });

  it('a return for a redirect that left before its session id was known counts only with fs_key, the tag of that session’s secret', async () => {
    const cases: [Record<string, string>, boolean][] = [
      // no key: the session id could be anyone's
      [{}, false],
      // the key of another secret
      [{ fs_key: secretKey('vs_someone_elses_secret_1') }, false],
      // the key of the secret that left: the page that returned held it
      [{ fs_key: secretKey(SECRET) }, true],
    ];
    for (const [extra, counts] of cases) {
      const state = rememberRedirect([secretKey(SECRET)]);
      const undo = returnWith({ fs_state: state, fs_session: 'fs_session_named', fs_result: 'complete', ...extra });
      const debug = captureDebug();
      try {
        const m = mount({ debug: true, 'verify-url': hostedUrl('hello=manual') });
        if (counts) {
          expect((await waitFor(m, 'facesign-complete')).detail).to.deep.equal({ sessionId: 'fs_session_named' });
          expect(location.search).to.not.contain('fs_');
        } else {
          await m.el.updateComplete;
          expect(types(m)).to.deep.equal([]);
          expect(debug.lines.some((l) => l.includes('redirect result ignored: no fs_key binds its session id'))).to.equal(true);
        }
      } finally {
        debug.restore();
        undo();
        cleanup();
      }
    }
  });
});

describe('two elements, two popups', () => {
  let popups: ReturnType<typeof recordPopups>;
  beforeEach(() => (popups = recordPopups()));
  afterEach(() => (popups.restore(), cleanup()));

  it('each popup has its own window; B finishing and closing its popup sends A nothing', async function () {
    this.timeout(30_000);
    const a = await inPopup(popups);
    await waitFor(a.m, 'facesign-ready');
    const b = await inPopup(popups);
    await waitFor(b.m, 'facesign-ready');
    expect(popups.opened[0]!.name).to.not.equal(popups.opened[1]!.name);
    expect(a.popup).to.not.equal(b.popup);
    postWindow(b.popup, { do: 'send', method: 'completed', args: ['fs_session_b'] });
    await waitFor(b.m, 'facesign-complete');
    await until(
      () => b.popup.closed,
      (v) => v,
      'B’s popup closed',
    );
    // longer than the popup poll
    await tick(600);
    expect(a.popup.closed).to.equal(false);
    expect(a.m.terminal()).to.deep.equal([]);
    expect(a.m.el.status).to.equal('requiresInput');
    await commandWindow(() => a.popup, { do: 'send', method: 'started', args: [] });
    await waitFor(a.m, 'facesign-start');
  });
});

/** Runs `f` with this page taken for an insecure one (http), then puts the real answer back on every engine. */
async function asInsecure<T>(f: () => Promise<T>): Promise<T> {
  const real = isSecureContext;
  // Chromium: an own accessor of the window; WebKit: none (and delete cannot remove what we define)
  const own = Object.getOwnPropertyDescriptor(window, 'isSecureContext');
  Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
  try {
    return await f();
  } finally {
    Object.defineProperty(window, 'isSecureContext', own ?? { value: real, configurable: true });
    expect(isSecureContext).to.equal(real);
  }
}

describe('continueIn() from a facesign-fallback listener, for what is found before anything loads', () => {
  afterEach(cleanup);

  it('an insecure page: the listener’s continueIn reaches the session, and status is not idle during it', async function () {
    this.timeout(20_000);
    const popups = recordPopups();
    try {
      await asInsecure(async () => {
        const m = mount({ 'client-secret': false });
        let status = '';
        m.el.addEventListener('facesign-fallback', (e) => {
          status = m.el.status;
          e.preventDefault();
          m.el.continueIn('popup');
        });
        m.el.clientSecret = SECRET;
        // the session acted on it: a popup opened (and connects), or the browser blocked a popup that no click
        // opened (WebKit) and said so
        await until(
          () => popups.opened.length > 0 || m.events.some((e) => (e.detail as { code?: string })?.code === 'popup_blocked'),
          (v) => v,
          'continueIn to reach the session',
        );
        expect(status).to.not.equal('idle');
        expect(status).to.not.equal('');
        if (popups.opened[0]?.win) {
          await waitFor(m, 'facesign-ready');
          expect(m.el.status).to.equal('requiresInput');
        }
      });
    } finally {
      popups.restore();
      cleanup();
    }
  });

  it('a listener that always calls continueIn("popup") where popups are blocked: one event, the redirect offered, no loop', async () => {
    const real = window.open;
    window.open = () => null;
    try {
      const m = mount({ 'verify-url': hostedUrl() });
      await waitFor(m, 'facesign-ready');
      m.el.addEventListener('facesign-fallback', (e) => {
        e.preventDefault();
        m.el.continueIn('popup');
      });
      post(m.el, { do: 'send', method: 'error', args: ['camera_blocked', 'blocked here', true] });
      await until(
        () => m.events.filter((e) => (e.detail as { code?: string })?.code === 'popup_blocked').length,
        (n) => n > 0,
        'popup_blocked',
      );
      await m.el.updateComplete;
      expect(types(m).filter((t) => t === 'facesign-fallback')).to.have.length(1);
      expect(button(m)?.textContent).to.equal(EN.redirect);
      expect(m.terminal()).to.deep.equal([]);
    } finally {
      window.open = real;
    }
  });
});

describe('in-app browsers and other obstacles, from real user agents', () => {
  afterEach(cleanup);
  const UAS: [string, string | undefined][] = [
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.3.17.90 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00; 1170x2532; 594221402)',
      'in_app',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/452.0.0.39.110;FBBV/574931419;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/17.3;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]',
      'in_app',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.106 Mobile Safari/537.36 [FB_IAB/Orca-Android;FBAV/449.0.0.35.108;]',
      'in_app',
    ],
    [
      'Mozilla/5.0 (Linux; Android 13; SM-S918B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/121.0.6167.178 Mobile Safari/537.36 trill_330604 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/33.6.4 ByteLocale/en ByteFullLocale/en Region/US BytedanceWebview/d8a21c6',
      'in_app',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.71.0.41 (like Safari/8617.1.17.10.6, panda)',
      'in_app',
    ],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.1', 'in_app'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Twitter for iPhone/10.30',
      'in_app',
    ],
    [
      'Mozilla/5.0 (Linux; Android 12; M2012K11AG Build/SKQ1.211006.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4313 MMWEBSDK/20220805 Mobile Safari/537.36 MMWEBID/8813 MicroMessenger/8.0.27.2220(0x28001B53) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
      'in_app',
    ],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/13.14.0', 'in_app'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      undefined,
    ],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36', undefined],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', undefined],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0',
      undefined,
    ],
  ];
  for (const [ua, want] of UAS)
    it(`${want ?? 'a browser'}: ${ua.slice(0, 60)}…`, () => {
      expect(browserObstacle(ua)).to.equal(want);
    });

  it('an in-app browser: unsupported_browser before anything loads, and the "open in your browser" cover', async () => {
    const desc = Object.getOwnPropertyDescriptor(navigator, 'userAgent');
    Object.defineProperty(navigator, 'userAgent', { value: UAS[2]![0], configurable: true });
    try {
      const m = mount();
      const err = await waitFor(m, 'facesign-error');
      expect(err.detail).to.include({ code: 'unsupported_browser', recoverable: true });
      expect(m.events.find((e) => e.type === 'facesign-fallback')?.detail).to.deep.equal({ reason: 'in_app', via: 'browser' });
      await m.el.updateComplete;
      expect(frameOf(m.el)).to.equal(null);
      const root = m.el.shadowRoot!;
      expect(root.querySelector('.cover')?.textContent).to.contain(STRINGS.inApp);
      expect((root.querySelector('input[part=link]') as HTMLInputElement).value).to.equal(location.href);
      // Android: an intent link to the default browser
      expect(root.querySelector('a[part=open-link]')?.getAttribute('href')).to.match(/^intent:\/\/.*;scheme=http;S\.browser_fallback_url=/);
    } finally {
      if (desc) Object.defineProperty(navigator, 'userAgent', desc);
      else delete (navigator as { userAgent?: string }).userAgent;
    }
  });

  it('the hosted page reports camera_blocked from its own document: the frame goes, the popup is offered', async () => {
    const m = await mountReady();
    post(m.el, { do: 'send', method: 'error', args: ['camera_blocked', 'blocked by the host page policy', true] });
    const fb = await waitFor(m, 'facesign-fallback');
    expect(fb.detail).to.deep.equal({ reason: 'camera_blocked', via: 'popup' });
    await m.el.updateComplete;
    expect(frameOf(m.el)).to.equal(null);
    expect(m.el.shadowRoot!.querySelector('button.retry')?.textContent).to.equal(STRINGS.popup);
    expect(m.terminal()).to.have.length(0);
  });

  it('blockedFeatures reads the iframe’s own policy (Chromium), and nothing where the browser cannot tell', () => {
    const f = document.createElement('iframe') as HTMLIFrameElement & { featurePolicy?: unknown };
    Object.defineProperty(f, 'featurePolicy', { value: { allowsFeature: (x: string) => x !== 'camera' } });
    expect(blockedFeatures(f, 'https://verify.example')).to.deep.equal(['camera']);
    const g = document.createElement('iframe');
    Object.defineProperty(g, 'featurePolicy', { value: undefined });
    expect(blockedFeatures(g, 'https://verify.example')).to.deep.equal([]);
  });
});

describe('a verify-url on IPv6 loopback', () => {
  afterEach(cleanup);

  it('Chromium: camera_blocked says what is wrong (and, in development, what to use instead); allow is never widened', async function () {
    if (!('featurePolicy' in HTMLIFrameElement.prototype)) this.skip();
    const m = mount({ 'verify-url': `http://[::1]:${location.port}/test/fixtures/hosted.html` });
    const err = await waitFor(m, 'facesign-error');
    expect(err.detail).to.include({ code: 'camera_blocked', recoverable: true });
    const message = (err.detail as { message: string }).message;
    expect(message).to.match(/IPv6 loopback/);
    // what to use instead: the development build's explanation
    if (__FACESIGN_DEV__) expect(message).to.match(/127\.0\.0\.1 or http:\/\/localhost/);
    else expect(message).to.equal(`verify-url is on IPv6 loopback (http://[::1]:${location.port})`);
    expect(message).to.not.match(/Permissions-Policy does not allow/);
  });

  it('the frame’s allow list names no wildcard', async () => {
    const m = mount();
    const f = await until(
      () => frameOf(m.el),
      (v) => !!v,
      'the frame',
    );
    expect(f!.allow).to.not.contain('*');
  });
});

describe('the fallback setting', () => {
  afterEach(cleanup);
  it('which path each reason gets under each setting', () => {
    expect(fallbackVia('auto', 'frame_blocked')).to.equal('popup');
    expect(fallbackVia('auto', 'camera_blocked')).to.equal('popup');
    expect(fallbackVia('auto', 'insecure')).to.equal('popup');
    expect(fallbackVia('auto', 'popup_blocked')).to.equal('redirect');
    expect(fallbackVia('popup', 'popup_blocked')).to.equal('redirect');
    expect(fallbackVia('redirect', 'frame_blocked')).to.equal('redirect');
    expect(fallbackVia('auto', 'in_app')).to.equal('browser');
    expect(fallbackVia('redirect', 'no_camera')).to.equal('browser');
    expect(fallbackVia('none', 'frame_blocked')).to.equal(undefined);
  });
  it('a value that is not one of the four is invalid_option naming them; no iframe', async () => {
    const m = mount({ fallback: 'sideways' });
    const err = await waitFor(m, 'facesign-error');
    expect(err.detail).to.deep.equal({
      code: 'invalid_option',
      message: 'fallback must be one of auto, popup, redirect, none, got a string of 8 characters',
      recoverable: false,
    });
    expect(frameOf(m.el)).to.equal(null);
  });
});

describe('the fallback setting changed during a session', () => {
  afterEach(cleanup);
  /** the session has started (read its inputs) and its frame is loading */
  const started = (m: Mounted) =>
    until(
      () => m.el.shadowRoot!.querySelector('iframe'),
      (f) => !!f,
      'the frame',
    );

  it('the setting when the frame turns out refused is the one followed: "none" offers nothing', async () =>
    withTiming({ helloAfterLoad: 300 }, async () => {
      const m = mount({ 'verify-url': hostedUrl('frame=deny') });
      await started(m);
      m.el.fallback = 'none';
      const e = await waitFor(m, 'facesign-error');
      expect((e.detail as { code: string }).code).to.equal('frame_blocked');
      await m.el.updateComplete;
      expect(types(m)).to.not.include('facesign-fallback');
      expect(m.el.shadowRoot!.querySelector('.retry')?.textContent).to.equal('Try again');
    }));

  it('"redirect" set after the start: the redirect is offered, not the popup', async () =>
    withTiming({ helloAfterLoad: 300 }, async () => {
      const m = mount({ 'verify-url': hostedUrl('frame=deny') });
      await started(m);
      m.el.fallback = 'redirect';
      const f = await waitFor(m, 'facesign-fallback');
      expect(f.detail).to.deep.equal({ reason: 'frame_blocked', via: 'redirect' });
    }));

  it('changed to something invalid: invalid_option naming the property, the one terminal event', async () =>
    withTiming({ helloAfterLoad: 300 }, async () => {
      const m = mount({ 'verify-url': hostedUrl('frame=deny') });
      await started(m);
      (m.el as unknown as { fallback: string }).fallback = 'sideways';
      const e = await until(
        () => m.events.filter((x) => x.type === 'facesign-error'),
        (l) => l.length > 0,
        'an error',
      );
      expect(e[0]!.detail).to.include({ code: 'invalid_option', recoverable: false });
      expect((e[0]!.detail as { message: string }).message).to.contain('fallback');
      expect(m.terminal()).to.have.length(1);
      expect(m.el.status).to.equal('error');
    }));
});

describe('the element’s own texts in the user’s language', () => {
  afterEach(() => {
    cleanup();
    document.documentElement.lang = 'en';
  });
  const loadingText = async (attrs: Record<string, string>) => {
    const m = mount({ 'verify-url': hostedUrl('hello=manual'), ...attrs });
    // the translations load on first need (on-demand.test.ts): then it renders again
    await m.el.updateComplete;
    await loadLangs();
    await m.el.updateComplete;
    return { m, text: m.el.shadowRoot!.querySelector('[part=loading]')!.textContent!.trim() };
  };
  const LOADING: Record<string, string> = {
    en: 'Loading verification…',
    es: 'Cargando la verificación…',
    fr: 'Chargement de la vérification…',
    de: 'Prüfung wird geladen…',
    it: 'Caricamento della verifica…',
    pt: 'Carregando a verificação…',
    zh: '正在加载验证…',
    ja: '本人確認を読み込んでいます…',
  };
  for (const [lang, text] of Object.entries(LOADING))
    it(`${lang}: its texts, every key translated`, async () => {
      expect((await loadingText({ lang })).text).to.equal(text);
      const all = textsFor(lang, undefined).t;
      expect(Object.keys(all)).to.deep.equal(Object.keys(STRINGS));
      if (lang !== 'en') for (const k of ['tryAgain', 'close', 'popup', 'inApp'] as const) expect(all[k], k).to.not.equal(STRINGS[k]);
    });

  it('a region tag uses its language; an unknown language falls back to English; <html lang> when lang is unset', async () => {
    expect((await loadingText({ lang: 'es-MX' })).text).to.equal(LOADING.es);
    expect((await loadingText({ lang: 'nl' })).text).to.equal(LOADING.en);
    document.documentElement.lang = 'de-AT';
    expect((await loadingText({})).text).to.equal(LOADING.de);
  });

  it('strings replaces any text and adds a language; the dialog and close labels follow', async () => {
    const m = mount({ 'verify-url': hostedUrl('hello=manual'), lang: 'nl', mode: 'modal' });
    m.el.strings = { nl: { loading: 'Verificatie laden…', dialog: 'Identiteitscontrole', close: 'Sluiten' }, es: { tryAgain: 'Otra vez' } };
    m.el.open = true;
    await m.el.updateComplete;
    const root = m.el.shadowRoot!;
    expect(root.querySelector('[part=loading]')!.textContent!.trim()).to.equal('Verificatie laden…');
    expect(root.querySelector('dialog')!.getAttribute('aria-label')).to.equal('Identiteitscontrole');
    expect(root.querySelector('[part=close-button]')!.getAttribute('aria-label')).to.equal('Sluiten');
    expect(textsFor('es-MX', m.el.strings).t.tryAgain).to.equal('Otra vez');
  });

  it('a right-to-left language sets dir="rtl", with the merchant’s texts or the English fallback', async () => {
    const { m } = await loadingText({ lang: 'ar' });
    expect(m.el.shadowRoot!.querySelector('.box')!.getAttribute('dir')).to.equal('rtl');
    expect(m.el.shadowRoot!.querySelector('[part=loading]')!.textContent!.trim()).to.equal(LOADING.en);
    m.el.strings = { he: { loading: 'טוען…' } };
    m.el.lang = 'he';
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('.box')!.getAttribute('dir')).to.equal('rtl');
    expect((await loadingText({ lang: 'fr' })).m.el.shadowRoot!.querySelector('.box')!.getAttribute('dir')).to.equal('ltr');
  });
});

describe('one cover text per reason, in every language', () => {
  afterEach(cleanup);

  it('framing refused is not a camera problem', async function () {
    this.timeout(15_000);
    const m = mount({ 'verify-url': hostedUrl('frame=deny') });
    await waitFor(m, 'facesign-fallback');
    await m.el.updateComplete;
    expect(coverText(m)).to.contain(EN.frameBlocked);
    expect(coverText(m)).to.not.contain(EN.cantHere);
  });

  it('each reason’s text exists, apart from the others, in all eight languages', async () => {
    await loadLangs();
    const keys = ['cantHere', 'frameBlocked', 'pageLost', 'popupBlocked', 'insecure'] as const;
    for (const lang of ['en', 'es', 'fr', 'de', 'it', 'pt', 'zh', 'ja']) {
      const t = textsFor(lang, undefined).t;
      const texts = keys.map((k) => t[k]);
      expect(new Set(texts).size, lang).to.equal(keys.length);
      if (lang !== 'en') for (const k of keys) expect(t[k], `${lang} ${k}`).to.not.equal(EN[k]);
    }
  });
});

/** The Navigation API's part these tests use (Chromium; not in every engine, nor in TypeScript's DOM types yet). */
type Navigation = EventTarget & {};
type NavigateEvent = Event & { destination: { url: string } };
const navigationOf = (win: Window) => (win as unknown as { navigation?: Navigation }).navigation;

/**
 * Records every navigation `win` starts, and stops it (the page stays, so the test can look at it). Undefined
 * where the browser has no Navigation API.
 */
function holdNavigations(win: Window, only: (url: string) => boolean = () => true): { urls: string[]; stop(): void } | undefined {
  const nav = navigationOf(win);
  if (!nav) return undefined;
  const urls: string[] = [];
  const on = (e: Event) => {
    const url = (e as NavigateEvent).destination.url;
    if (!only(url)) return;
    urls.push(url);
    e.preventDefault();
  };
  nav.addEventListener('navigate', on);
  return { urls, stop: () => nav.removeEventListener('navigate', on) };
}

/** An element made in a merchant page (its own realm), recorded, with these properties, appended to its body. */
function elementIn(page: MerchantPage, props: Record<string, unknown>) {
  const el = page.win.document.createElement('facesign-verify') as FaceSignVerifyElement;
  Object.assign(el, props);
  const m = record(el);
  return { m, el, append: () => page.win.document.body.append(el) };
}

/** Takes the page for an insecure one (http): a frame cannot verify there, found before anything loads. */
const insecure = (win: Window) => Object.defineProperty(win, 'isSecureContext', { value: false, configurable: true });

describe('the redirect is taken only where README allows it', () => {
  afterEach(cleanup);

  it('fallback="none" with a working frame: continueIn("redirect") does not navigate; the session goes on in the frame', async function () {
    // the Navigation API tells (and stops) a navigation as it starts
    if (!navigationOf(window)) this.skip();
    // a page of its own, so that a redirect moves only it; without top navigation (sandbox), whatever the SDK tries
    const page = await merchantPage({ sandbox: 'allow-scripts allow-same-origin' });
    const held = holdNavigations(page.win)!;
    try {
      const { m, el, append } = elementIn(page, { clientSecret: SECRET, verifyUrl: hostedUrl(), fallback: 'none' });
      append();
      await waitFor(m, 'facesign-ready');
      el.continueIn('redirect');
      // the redirect's module, loaded by that page: once it is there, a redirect would have started
      await page.load('/src/surfaces/redirect.ts');
      await tick();
      expect(held.urls, 'navigations of the page').to.deep.equal([]);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('iframe'), 'the frame').to.not.equal(null);
      expect(m.terminal()).to.deep.equal([]);
      expect(el.status).to.equal('requiresInput');
    } finally {
      held.stop();
      page.remove();
    }
  });

  it('an element in a framed page: the redirect is neither offered nor taken (it would navigate the frame, not the tab)', async function () {
    // the Navigation API tells (and stops) a navigation as it starts
    if (!navigationOf(window)) this.skip();
    // framed, and allowed no top-level navigation: a redirect that went top level would be stopped by the browser here
    const page = await merchantPage({ sandbox: 'allow-scripts allow-same-origin' });
    const held = holdNavigations(page.win)!;
    try {
      insecure(page.win);
      const { m, el, append } = elementIn(page, { clientSecret: SECRET, verifyUrl: hostedUrl(), fallback: 'redirect' });
      const reported = new Promise<unknown>((r) => el.addEventListener('facesign-error', (e) => r((e as CustomEvent).detail), { once: true }));
      append();
      expect(await reported).to.include({ code: 'unsupported_browser', recoverable: true });
      el.continueIn('redirect');
      await page.load('/src/surfaces/redirect.ts');
      await tick();
      expect(held.urls, 'navigations of the framed page').to.deep.equal([]);
      // reported, with the error's cover: no path offered, no end
      expect(m.events.map((e) => e.type)).to.deep.equal(['facesign-error']);
      expect(m.terminal()).to.deep.equal([]);
    } finally {
      held.stop();
      page.remove();
    }
  });
});

describe(`continueIn() that cannot act: ${__FACESIGN_DEV__ ? 'the development build says why' : 'the production build says nothing'}`, () => {
  afterEach(cleanup);

  /** console.warn of `win` captured, the lines about continueIn kept */
  function warnings(win: Window) {
    const c = (win as Window & typeof globalThis).console;
    const orig = c.warn;
    const lines: string[] = [];
    c.warn = (...a: unknown[]) => void lines.push(a.map(String).join(' '));
    return { lines: () => lines.filter((l) => l.includes('continueIn')), restore: () => void (c.warn = orig) };
  }

  it('with no session, before the first secret, and while leaving for the redirect: one warning each, saying why', async () => {
    const found: Record<string, string[]> = {};
    // each in a page of its own: a warning is once per page
    {
      const page = await merchantPage();
      const w = warnings(page.win);
      try {
        // no secret yet: idle, no session
        const { el, append } = elementIn(page, {});
        append();
        await el.updateComplete;
        el.continueIn('popup');
        found['no session'] = w.lines();
      } finally {
        w.restore();
        page.remove();
      }
    }
    {
      const page = await merchantPage();
      const w = warnings(page.win);
      try {
        let asked = false;
        const { el, append } = elementIn(page, { fetchClientSecret: () => ((asked = true), new Promise(() => {})) });
        append();
        await until(
          () => asked,
          (v) => v,
          'the first fetch',
        );
        el.continueIn('redirect');
        found['before the first secret'] = w.lines();
      } finally {
        w.restore();
        page.remove();
      }
    }
    // leaving: this page itself (top level, where a redirect is always allowed), its navigation stopped (where the
    // browser has the Navigation API to stop it with)
    const held = holdNavigations(window, (url) => new URL(url).origin === FRAME_ORIGIN);
    if (held) {
      const real = isSecureContext;
      // Chromium: an own accessor of the window; WebKit: none (and delete cannot remove what we define)
      const own = Object.getOwnPropertyDescriptor(window, 'isSecureContext');
      const w = warnings(window);
      try {
        insecure(window);
        const m = mount({ fallback: 'redirect' });
        await new Promise((r) => m.el.addEventListener('facesign-fallback', (e) => (e.preventDefault(), r(e)), { once: true }));
        m.el.continueIn('redirect');
        m.el.continueIn('popup');
        found['while leaving'] = w.lines();
        // the redirect was under way: it reached the navigation, which is stopped here
        await until(
          () => held.urls.length,
          (n) => n === 1,
          'the redirect’s navigation',
        );
      } finally {
        w.restore();
        held.stop();
        Object.defineProperty(window, 'isSecureContext', own ?? { value: real, configurable: true });
      }
    }
    expect(Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.length])), JSON.stringify(found)).to.deep.equal(
      Object.fromEntries(Object.keys(found).map((k) => [k, __FACESIGN_DEV__ ? 1 : 0])),
    );
    // each says why: three different explanations
    if (__FACESIGN_DEV__) expect(new Set(Object.values(found).flat()).size).to.equal(Object.keys(found).length);
  });
});
