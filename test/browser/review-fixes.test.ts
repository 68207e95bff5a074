/**
 * One test per finding of the code review (issue 10). Each one failed on the element before the Lit rewrite
 * (checked by running this file against that commit); the findings are quoted in the test names.
 */
import { expect } from '@open-wc/testing';
import { FaceSignVerifyElement } from '../../src/element.js';
import { cleanup, command, endpoint, frameOf, fromFixture, hostedUrl, mount, mountReady, types, waitFor } from './helpers.js';

const errorsOf = (m: { events: { type: string; detail: unknown }[] }) =>
  m.events.filter((e) => e.type === 'facesign-error').map((e) => e.detail as { code: string; recoverable: boolean; message: string });

describe('review findings', () => {
  afterEach(cleanup);

  it('a completed before ready is not followed by load_timeout after the terminal event', async () => {
    const a = mount({ 'verify-url': hostedUrl('ready=manual'), 'load-timeout': '300' });
    await fromFixture(
      () => frameOf(a.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await command(a.el, { do: 'send', method: 'completed', args: ['fs_early'] });
    await waitFor(a, 'facesign-complete');
    // a second element started later with the same timeout: once its load_timeout fired, a's would have too (its
    // page never says hello: it times out whether loadTimeout is measured to the hello or to ready)
    const b = mount({ 'verify-url': hostedUrl('hello=manual'), 'load-timeout': '300' });
    await waitFor(b, 'facesign-error');
    expect(errorsOf(b).map((e) => e.code)).to.deep.equal(['load_timeout']);
    // nothing after the terminal event (on a loaded machine a slow page may time out before it: recoverable)
    expect(types(a).slice(types(a).indexOf('facesign-complete'))).to.deep.equal(['facesign-complete']);
    expect(a.terminal().map((e) => e.type)).to.deep.equal(['facesign-complete']);
    expect(a.el.status).to.equal('complete');
  });

  it('retry() tells the running hosted page close before the next session starts', async () => {
    const m = await mountReady();
    const oldWin = frameOf(m.el)!.contentWindow;
    const told = fromFixture(
      () => oldWin,
      (f) => f.event === 'close',
    );
    m.el.retry();
    await told;
    await waitFor(m, 'facesign-ready', 1);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-ready']);
    expect(m.events[1]!.detail).to.deep.equal({ reason: 'replaced' });
  });

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
    const m = mount({ 'verify-url': hostedUrl('secret=manual'), 'refresh-url': ep.url, 'refresh-timeout': '1500' });
    await waitFor(m, 'facesign-ready');
    // (what refreshSecret() settles with is tested in secret.test.ts)
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

  it('a listener that sets a property while the element dispatches is acted on', async () => {
    const m = mount({ mode: 'bogus' });
    m.el.addEventListener('facesign-error', () => (m.el.mode = 'inline'), { once: true });
    await waitFor(m, 'facesign-ready');
    expect(errorsOf(m).map((e) => e.code)).to.deep.equal(['invalid_option']);
    expect(m.el.status).to.equal('requiresInput');
  });

  it('define() under another tag works without CustomElementRegistry.getName (Chrome < 117, Safari < 17)', () => {
    const proto = CustomElementRegistry.prototype as { getName?: unknown };
    const had = Object.getOwnPropertyDescriptor(proto, 'getName');
    delete proto.getName;
    try {
      class Mine extends FaceSignVerifyElement {}
      Mine.define('acme-verify-a');
      Mine.define('acme-verify-b');
      expect(customElements.get('acme-verify-a')).to.equal(Mine);
      const b = customElements.get('acme-verify-b')!;
      expect(b).not.to.equal(Mine);
      expect(new b()).to.be.instanceOf(Mine);
    } finally {
      if (had) Object.defineProperty(proto, 'getName', had);
    }
  });
});

describe('per-element settings', () => {
  afterEach(cleanup);

  it('two elements keep their own loadTimeout', async () => {
    // b starts first with the default (20 s); a starts after it with 150 ms: a's load_timeout fires, b's does not
    const b = mount({ 'verify-url': hostedUrl('hello=manual') });
    const a = mount({ 'verify-url': hostedUrl('hello=manual'), 'load-timeout': '150' });
    await waitFor(a, 'facesign-error');
    expect((a.events[0]!.detail as { code: string }).code).to.equal('load_timeout');
    expect(b.events).to.deep.equal([]);
    expect([a.el.loadTimeout, b.el.loadTimeout]).to.deep.equal([150, 20_000]);
  });
});
