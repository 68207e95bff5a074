import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  FRAME_ORIGIN,
  cleanup,
  command,
  frameOf,
  fromFixture,
  mount,
  mountReady,
  portBarrier,
  post,
  realClick,
  tick,
  types,
  waitFor,
  type Mounted,
} from './helpers.js';

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
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-complete', 'facesign-close']);
    expect(m.events.at(-1)!.detail).to.deep.equal({ reason: 'complete' });
    await assertOneTerminal(m, 'facesign-complete');
  });

  it('modal: open=false mid-flow', async () => {
    const m = await openModal();
    m.el.open = false;
    await waitFor(m, 'facesign-close');
    expect(m.events[1]!.detail).to.deep.equal({ reason: 'closed' });
    await assertOneTerminal(m, 'facesign-cancel');
  });
});
