import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  FRAME_ORIGIN,
  cleanup,
  command,
  frameOf,
  fromFixture,
  hostedUrl,
  mount,
  mountReady,
  portBarrier,
  post,
  realClick,
  SECRET,
  tick,
  types,
  until,
  waitFor,
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
