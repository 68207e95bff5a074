import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { verify } from '../../src/index.js';
import {
  FRAME_ORIGIN,
  cleanup,
  clickPopup,
  closeWindow,
  command,
  frameOf,
  fromFixture,
  hostedUrl,
  inPopup,
  mount,
  mountReady,
  portBarrier,
  post,
  realClick,
  record,
  recordPopups,
  SECRET,
  tick,
  types,
  until,
  waitFor,
  withTiming,
  type Mounted,
} from './helpers.js';
import { postWindow } from './fixture.js';

/**
 * After the end, more hosted-page messages must not add a second terminal event: while the page is still there,
 * a port barrier proves everything it sent before has been handled; once it is gone, nothing more can arrive.
 */
async function assertOneTerminal(m: Mounted, expected: string) {
  const frame = frameOf(m.el);
  // a closed page's iframe, kept for a moment, is not listened to any more
  if (frame && m.el.isConnected && !frame.classList.contains('lingering')) await portBarrier(m.el);
  expect(m.terminal().map((e) => e.type)).to.deep.equal([expected]);
}

async function openModal(attrs: Record<string, string | boolean> = {}) {
  const m = mount({ mode: 'modal', ...attrs });
  m.el.show();
  await waitFor(m, 'facesign-ready');
  return m;
}

/**
 * Whether the hosted page in `frame` is told `close` while its iframe is still there ('close'), or its iframe
 * goes first ('removed'): a closed session's iframe is kept (hidden) up to a second for its page to get `close`.
 */
function toldClose(frame: HTMLIFrameElement): Promise<'close' | 'removed'> {
  const win = frame.contentWindow;
  return Promise.race([
    fromFixture(
      () => win,
      (f) => f.event === 'close',
    ).then(() => 'close' as const),
    until(
      () => frame.isConnected,
      (c) => !c,
      'the iframe removed',
    ).then(() => 'removed' as const),
  ]);
}

describe('close paths: exactly one terminal event', () => {
  afterEach(cleanup);

  it('hosted page cancel', async () => {
    const m = await mountReady();
    await command(m.el, { do: 'send', method: 'canceled', args: ['user_canceled'] });
    await waitFor(m, 'facesign-cancel');
    await command(m.el, { do: 'send', method: 'completed', args: ['s1'] });
    await command(m.el, { do: 'send', method: 'canceled', args: ['again'] });
    expect(m.events.find((e) => e.type === 'facesign-cancel')!.detail).to.deep.equal({ reason: 'user_canceled' });
    expect(m.el.status).to.equal('canceled');
    await assertOneTerminal(m, 'facesign-cancel');
  });

  it('hosted page completion, then cancel and remove', async () => {
    const m = await mountReady();
    await command(m.el, { do: 'send', method: 'completed', args: ['s1'] });
    await waitFor(m, 'facesign-complete');
    await command(m.el, { do: 'send', method: 'completed', args: ['s1'] });
    await command(m.el, { do: 'send', method: 'canceled', args: ['late'] });
    await portBarrier(m.el);
    m.el.remove();
    await assertOneTerminal(m, 'facesign-complete');
  });

  it('hosted page fatal error', async () => {
    const m = await mountReady();
    post(m.el, { do: 'send', method: 'error', args: ['session_finished', 'already done', false] });
    await waitFor(m, 'facesign-error');
    m.el.remove();
    await assertOneTerminal(m, 'facesign-error');
    expect(m.el.status).to.equal('error');
  });

  it('hosted page close-request (inline): close-request, cancel, close', async () => {
    const m = await mountReady();
    post(m.el, { do: 'send', method: 'closeRequest', args: [] });
    await waitFor(m, 'facesign-close');
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-close-request', 'facesign-cancel', 'facesign-close']);
    expect(m.events[1]!.detail).to.deep.equal({ source: 'hosted_page' });
    expect(m.events[2]!.detail).to.deep.equal({ reason: 'hosted_page' });
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('[part=retry-button]')!.textContent).to.equal('Start again');
    // the closed page is kept up to 1 s so it can act on `close`, then removed
    for (let i = 0; i < 150 && frameOf(m.el); i++) await tick(10);
    expect(!!frameOf(m.el)).to.equal(false);
    await assertOneTerminal(m, 'facesign-cancel');
  });

  it('a closed page gets `close`, and its canceled reply removes it at once without a second terminal event', async () => {
    const m = await mountReady();
    const win = frameOf(m.el)!.contentWindow;
    const gotClose = fromFixture(
      () => win,
      (f) => f.event === 'close',
    );
    m.el.close();
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close']);
    await gotClose;
    // still there: nothing told the element the page is done yet
    expect(!!frameOf(m.el)).to.equal(true);
    win!.postMessage({ cmd: { do: 'send', method: 'canceled', args: ['closed_by_host'] }, id: -1 }, FRAME_ORIGIN);
    for (let i = 0; i < 50 && frameOf(m.el); i++) await tick(10);
    expect(!!frameOf(m.el)).to.equal(false);
    await assertOneTerminal(m, 'facesign-cancel');
    expect(m.events[1]!.detail).to.deep.equal({ reason: 'closed' });
  });

  it('a prevented close-request keeps the session', async () => {
    const m = await mountReady();
    m.el.addEventListener('facesign-close-request', (e) => e.preventDefault());
    await command(m.el, { do: 'send', method: 'closeRequest', args: [] });
    await waitFor(m, 'facesign-close-request');
    await command(m.el, { do: 'send', method: 'step', args: ['n', 'conversation'] });
    await waitFor(m, 'facesign-step');
    expect(m.terminal()).to.deep.equal([]);
    expect(m.el.status).to.equal('requiresInput');
  });

  it('close() ends a running session once; calling it again does nothing', async () => {
    const m = await mountReady();
    const closed = new Promise((r) => m.el.addEventListener('facesign-close', r));
    m.el.close();
    m.el.close();
    await closed;
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close']);
    expect(m.events[1]!.detail).to.deep.equal({ reason: 'closed' });
    await assertOneTerminal(m, 'facesign-cancel');
  });

  for (const [what, change] of [
    ['a lang change', (m: Mounted) => (m.el.lang = 'fr')],
    ['a verifyUrl change', (m: Mounted) => (m.el.verifyUrl = hostedUrl('moved=1'))],
  ] as const)
    it(`close() right after ${what} (in the same task): it stays closed, no new session starts behind it`, async () => {
      const m = await mountReady();
      change(m);
      m.el.close();
      await m.el.updateComplete;
      await tick(100);
      await m.el.updateComplete;
      expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close']);
      expect(m.el.status).to.equal('canceled');
      expect(m.el.shadowRoot!.querySelector('iframe:not(.lingering)')).to.equal(null);
    });

  it('close() with a facesign-cancel listener that sets a new clientSecret: the new verification starts', async () => {
    const m = await mountReady();
    m.el.addEventListener('facesign-cancel', () => (m.el.clientSecret = `${SECRET}_next`), { once: true });
    m.el.close();
    await waitFor(m, 'facesign-ready', 3);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close', 'facesign-ready']);
  });

  it('the page being hidden (pagehide)', async () => {
    const m = await mountReady();
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(m.events.find((e) => e.type === 'facesign-cancel')!.detail).to.deep.equal({ reason: 'page_hidden' });
    await assertOneTerminal(m, 'facesign-cancel');
  });

  it('element removed', async () => {
    const m = await mountReady();
    m.el.remove();
    await assertOneTerminal(m, 'facesign-cancel');
  });

  it('modal: Escape', async () => {
    const m = await openModal();
    await sendKeys({ press: 'Escape' });
    await waitFor(m, 'facesign-close');
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-close-request', 'facesign-cancel', 'facesign-close']);
    expect(m.events[1]!.detail).to.deep.equal({ source: 'escape' });
    expect(m.el.open).to.equal(false);
    await assertOneTerminal(m, 'facesign-cancel');
  });

  it('modal: close button', async () => {
    const m = await openModal();
    const btn = m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=close-button]')!;
    expect(btn.getAttribute('aria-label')).to.match(/close/i);
    await realClick(btn);
    await waitFor(m, 'facesign-close');
    expect(m.events[1]!.detail).to.deep.equal({ source: 'close_button' });
    await assertOneTerminal(m, 'facesign-cancel');
  });

  it('modal: backdrop click', async () => {
    const m = await openModal();
    const d = m.el.shadowRoot!.querySelector('dialog')!.getBoundingClientRect();
    expect(d.left).to.be.greaterThan(10);
    await sendMouse({ type: 'click', position: [5, 5] });
    await waitFor(m, 'facesign-close');
    expect(m.events[1]!.detail).to.deep.equal({ source: 'backdrop' });
    await assertOneTerminal(m, 'facesign-cancel');
  });

  it('modal: hosted page close-request after completion closes with nothing but facesign-close after the terminal event', async () => {
    const m = await openModal();
    await command(m.el, { do: 'send', method: 'completed', args: ['s9'] });
    await waitFor(m, 'facesign-complete');
    post(m.el, { do: 'send', method: 'closeRequest', args: [] });
    await waitFor(m, 'facesign-close');
    // nothing but facesign-close after the terminal event (README, Events): no facesign-close-request either
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-complete', 'facesign-close']);
    expect(m.events.at(-1)!.detail).to.deep.equal({ reason: 'complete' });
    await assertOneTerminal(m, 'facesign-complete');
  });

  it('modal: open=false mid-flow', async () => {
    const m = await openModal();
    const told = toldClose(frameOf(m.el)!);
    m.el.open = false;
    // the hosted page is told, as for close(): its iframe must not go before `close` reached it
    expect(await told).to.equal('close');
    await waitFor(m, 'facesign-close');
    expect(m.events[1]!.detail).to.deep.equal({ reason: 'closed' });
    await assertOneTerminal(m, 'facesign-cancel');
  });
});

describe('a closed modal’s hosted page is told `close`', () => {
  afterEach(cleanup);

  it('a mode change of an open modal: the page gets `close` before its iframe goes', async () => {
    const m = await openModal();
    const told = toldClose(frameOf(m.el)!);
    m.el.mode = 'inline';
    expect(await told).to.equal('close');
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'replaced' }]);
  });
});

describe('the hosted page is told which goodbye `close` is', () => {
  afterEach(cleanup);

  const goodbye = async (m: Mounted, act: () => void) => {
    const win = frameOf(m.el)!.contentWindow;
    const told = fromFixture(
      () => win,
      (f) => f.event === 'close',
    );
    act();
    return (await told).goodbye;
  };

  it('close(): a cancel, the page ends the FaceSign session', async () => {
    const m = await mountReady();
    expect(await goodbye(m, () => m.el.close())).to.equal('cancel');
  });

  it('a modal closed with open = false: a cancel', async () => {
    const m = await openModal();
    expect(await goodbye(m, () => (m.el.open = false))).to.equal('cancel');
  });

  for (const [what, act] of [
    ['a lang change', (m: Mounted) => (m.el.lang = 'fr')],
    ['retry() of a running session', (m: Mounted) => m.el.retry()],
    ['a new clientSecret', (m: Mounted) => (m.el.clientSecret = `${SECRET}_next`)],
  ] as const)
    it(`${what}: only this page leaves, the session stays open to be continued`, async () => {
      const m = await mountReady();
      expect(await goodbye(m, () => act(m))).to.equal('leave');
    });
});

describe('a session closed before its hosted page said hello', () => {
  afterEach(cleanup);

  const ends: [string, (m: Mounted) => void][] = [
    ['close()', (m) => m.el.close()],
    ['a new clientSecret', (m) => (m.el.clientSecret = 'vs_another_session_secret_7')],
  ];
  for (const [what, end] of ends)
    it(`${what}: its page, saying hello late, is never handed the secret`, async () => {
      const m = mount({ 'verify-url': hostedUrl('hello=manual') });
      const loaded = fromFixture(
        () => frameOf(m.el)?.contentWindow,
        (f) => f.event === 'loaded',
      );
      await loaded;
      const frame = frameOf(m.el)!;
      const win = frame.contentWindow;
      end(m);
      await waitFor(m, 'facesign-cancel');
      // the closed session's iframe, kept hidden for a moment, says hello now: it gets nothing, or `close` (which
      // connectToHost drops before an init), until it goes
      const outcome = Promise.race([
        fromFixture(
          () => win,
          (f) => f.event === 'init',
        ).then((f) => ((f.init as { secret: string }).secret === SECRET ? 'init with the secret' : 'init')),
        until(
          () => frame.isConnected,
          (c) => !c,
          'the iframe removed',
        ).then(() => 'removed'),
      ]);
      // (an iframe removed at once is as good: nothing reaches it)
      if (frame.isConnected) postWindow(win!, { do: 'connect' });
      expect(await outcome).to.equal('removed');
    });
});

describe('after the terminal event only facesign-close follows', () => {
  afterEach(cleanup);

  async function completed() {
    const m = await openModal();
    await command(m.el, { do: 'send', method: 'completed', args: ['fs_session_done'] });
    await waitFor(m, 'facesign-complete');
    return m;
  }

  it('a completed modal closed with Escape: facesign-close alone, no facesign-close-request', async () => {
    const m = await completed();
    await sendKeys({ press: 'Escape' });
    await waitFor(m, 'facesign-close');
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-complete', 'facesign-close']);
    expect(m.events.at(-1)!.detail).to.deep.equal({ reason: 'complete' });
    expect(m.el.open).to.equal(false);
  });

  it('a completed modal closed with its close button: facesign-close alone', async () => {
    const m = await completed();
    await realClick(m.el.shadowRoot!.querySelector('[part=close-button]')!);
    await waitFor(m, 'facesign-close');
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-complete', 'facesign-close']);
  });
});

describe('an element removed from the DOM', () => {
  afterEach(cleanup);

  for (const mode of ['inline', 'modal'])
    it(`${mode}: facesign-cancel (removed), then facesign-close (removed)`, async () => {
      const m = mode === 'modal' ? await openModal() : await mountReady();
      m.el.remove();
      await until(
        () => types(m).includes('facesign-close'),
        (v) => v,
        'facesign-close after the cancel',
      );
      expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close']);
      expect(m.events.map((e) => e.detail).slice(1)).to.deep.equal([{ reason: 'removed' }, { reason: 'removed' }]);
    });
});

describe('close(), open = false, pagehide and an abort reach the session on every surface', () => {
  let popups: ReturnType<typeof recordPopups>;
  beforeEach(() => (popups = recordPopups()));
  afterEach(() => (popups.restore(), cleanup()));

  it('close() on a popup session closes the popup: one facesign-cancel, then facesign-close', async function () {
    this.timeout(20_000);
    const { m, popup } = await inPopup(popups);
    await waitFor(m, 'facesign-ready');
    m.el.close();
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'closed' }]);
    expect(types(m).slice(-2)).to.deep.equal(['facesign-cancel', 'facesign-close']);
    await until(
      () => popup.closed,
      (v) => v,
      'the popup closed',
    );
    expect(m.el.status).to.equal('canceled');
  });

  it('pagehide ends a popup session (page_hidden) and closes the popup', async function () {
    this.timeout(20_000);
    const { m, popup } = await inPopup(popups);
    await waitFor(m, 'facesign-ready');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'page_hidden' }]);
    await until(
      () => popup.closed,
      (v) => v,
      'the popup closed',
    );
  });

  it('a modal set to open = false while its session runs in a popup: canceled, popup closed', async function () {
    this.timeout(20_000);
    const { m, popup } = await inPopup(popups, { mode: 'modal', open: true });
    await waitFor(m, 'facesign-ready');
    m.el.open = false;
    await waitFor(m, 'facesign-close');
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'closed' }]);
    await until(
      () => popup.closed,
      (v) => v,
      'the popup closed',
    );
  });

  it('verify({ mode: inline, signal }) aborted mid-popup closes the popup', async function () {
    this.timeout(20_000);
    // framing refused is found 1 s after the load instead of 5 (WebKit, on a loaded machine, ran past 20 s)
    await withTiming({ helloAfterLoad: 1000 }, async () => {
      const ctl = new AbortController();
      const box = document.createElement('div');
      document.body.append(box);
      const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl('frame=deny'), mode: 'inline', container: box, signal: ctl.signal });
      // recorded from the start: the popup's ready can come before realClick returns (WebKit, a loaded machine),
      // and a listener added after it waited forever
      const m = record(box.querySelector('facesign-verify')!);
      await waitFor(m, 'facesign-fallback');
      const popup = await clickPopup(m, popups);
      await waitFor(m, 'facesign-ready');
      ctl.abort();
      const err = await p.then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.name).to.equal('AbortError');
      await until(
        () => popup.closed,
        (v) => v,
        'the popup closed',
      );
      box.remove();
    });
  });

  it('close() while the first fetchClientSecret is pending: canceled, and nothing loads when it answers', async () => {
    let answer!: (s: string) => void;
    const el = document.createElement('facesign-verify');
    el.verifyUrl = hostedUrl();
    el.fetchClientSecret = () => new Promise<string>((r) => (answer = r));
    const events: string[] = [];
    for (const n of ['facesign-ready', 'facesign-cancel', 'facesign-close', 'facesign-error']) el.addEventListener(n, () => events.push(n));
    document.body.append(el);
    try {
      await until(
        () => answer,
        (v) => !!v,
        'the fetch to start',
      );
      el.close();
      expect(events).to.deep.equal(['facesign-cancel', 'facesign-close']);
      answer(SECRET);
      await tick(50);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
      expect(events).to.deep.equal(['facesign-cancel', 'facesign-close']);
      expect(el.status).to.equal('canceled');
    } finally {
      el.remove();
    }
  });

  it('close() on the cover after camera_blocked ends the session: one facesign-cancel', async () => {
    const m = await mountReady();
    post(m.el, { do: 'send', method: 'error', args: ['camera_blocked', 'blocked by the host page policy', true] });
    await waitFor(m, 'facesign-fallback');
    expect(frameOf(m.el)).to.equal(null);
    m.el.close();
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'closed' }]);
    expect(types(m).at(-1)).to.equal('facesign-close');
  });
});

describe('the user closing the popup before its hello', () => {
  let popups: ReturnType<typeof recordPopups>;
  beforeEach(() => (popups = recordPopups()));
  afterEach(() => (popups.restore(), cleanup()));

  it('is the user canceling, not a severed popup: no navigation of this tab, one popup_closed', async function () {
    this.timeout(20_000);
    const here = location.href;
    const { m, popup } = await inPopup(popups, {}, 'hello=manual');
    // longer than a severed popup's handle takes to close
    await tick(1800);
    popup.close();
    const c = await waitFor(m, 'facesign-cancel');
    expect(c.detail).to.deep.equal({ reason: 'popup_closed' });
    expect(location.href).to.equal(here);
    expect(m.terminal()).to.have.length(1);
  });

  it('a popup closed at once with fallback="none": popup_blocked, no redirect offered, the tab stays', async function () {
    this.timeout(20_000);
    const here = location.href;
    const m = mount({ 'verify-url': hostedUrl('frame=deny&hello=manual'), fallback: 'none' });
    await waitFor(m, 'facesign-error');
    await m.el.updateComplete;
    // the merchant's own button
    const mine = document.createElement('button');
    mine.textContent = 'open';
    mine.onclick = () => m.el.continueIn('popup');
    document.body.prepend(mine);
    try {
      await realClick(mine);
      await until(
        () => popups.opened.length,
        (n) => n > 0,
        'window.open',
      );
      // (for good: Chromium loses a close() that lands while the popup's navigation commits)
      await closeWindow(popups.opened[0]!.win!);
      await until(
        () => m.events.filter((e) => e.type === 'facesign-error').length,
        (n) => n > 1,
        'the second error',
      );
    } finally {
      mine.remove();
    }
    expect((m.events.at(-1)!.detail as { code: string }).code).to.equal('popup_blocked');
    expect(types(m)).to.not.include('facesign-fallback');
    await tick(100);
    expect(location.href).to.equal(here);
  });
});

describe('a popup the session closes while its page loads', () => {
  afterEach(cleanup);

  it('a popup closed while its page is still loading stays closed (Chromium loses that close() as the window changes process)', async function () {
    this.timeout(60_000);
    const popups = recordPopups();
    try {
      const m = mount();
      let from = 0;
      // the close lands at a different moment of the popup's navigation each time
      for (const delay of [0, 5, 10, 15, 20, 25, 30, 40]) {
        await waitFor(m, 'facesign-ready', from);
        postWindow(frameOf(m.el)!.contentWindow!, { do: 'send', method: 'error', args: ['camera_blocked', 'blocked here', true] });
        await waitFor(m, 'facesign-fallback', m.events.length);
        const win = await clickPopup(m, popups);
        await tick(delay);
        // a new secret: the session in the popup ends, and its popup with it
        m.el.clientSecret = `${SECRET}_${delay}`;
        from = m.events.length;
        await until(
          () => win.closed,
          (c) => c,
          'the popup closed',
        );
        // and it stays closed: a lost close reads closed, then open again within tens of ms, until the SDK closes
        // it again (it checks every 100 ms); then closed for good (without that, it stays open)
        const seen: boolean[] = [];
        for (let i = 0; i < 80; i++) {
          await tick(10);
          seen.push(win.closed);
        }
        expect(seen.slice(40).every(Boolean), `closed for good, closed ${delay} ms after opening: ${seen.map(Number).join('')}`).to.equal(true);
      }
    } finally {
      popups.restore();
    }
  });
});
