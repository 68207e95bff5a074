import { expect } from '@open-wc/testing';
import { STRINGS } from '../../src/element/strings.js';
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
  portBarrier,
  post,
  until,
  waitFor,
} from './helpers.js';

const coverOf = (el: HTMLElement) => el.shadowRoot!.querySelector('.cover');

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
    expect((err.detail as { message: string }).message).to.match(/frame-ancestors/);
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('button.retry')?.textContent).to.equal(STRINGS.tryAgain);
    expect(codes(m)).to.deep.equal(['frame_blocked']);
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

  it('the hosted page navigated away after the handshake: hosted_page_lost; the new document gets nothing', async () => {
    const m = await mountReady({ debug: true });
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
    // retry() loads the hosted page again with the same secret
    m.el.retry();
    await waitFor(m, 'facesign-ready', m.events.length);
    expect(m.el.status).to.equal('requiresInput');
  });

  it('our hosted page reloading itself reconnects (its new document completes the handshake): no error', async () => {
    const m = mount();
    const first = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await waitFor(m, 'facesign-ready');
    const again = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init' && f.loadId !== first.loadId,
    );
    post(m.el, { do: 'navigate', url: frameOf(m.el)!.src });
    await again;
    // past the reconnect grace: the port barrier runs over the new document's port
    await new Promise((r) => setTimeout(r, 1200));
    await portBarrier(m.el);
    expect(codes(m)).to.deep.equal([]);
  });

  it('the hosted page stops answering the heartbeat: hosted_page_lost within 5 s', async function () {
    this.timeout(15_000);
    const m = await mountReady();
    // it answers a ping first: the heartbeat judges only pages that take part in it
    await new Promise((r) => setTimeout(r, 2500));
    await command(m.el, { do: 'silence' });
    const t0 = performance.now();
    const err = await waitFor(m, 'facesign-error');
    expect(err.detail).to.include({ code: 'hosted_page_lost', recoverable: true });
    expect((err.detail as { message: string }).message).to.match(/stopped answering/);
    console.log(`hosted_page_lost after ${Math.round(performance.now() - t0)} ms of silence`);
  });
});
