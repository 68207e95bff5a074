import { expect } from '@open-wc/testing';
import { FaceSignVerifyElement } from '../../src/element.js';
import { DEFAULT_VERIFY_URL } from '../../src/element/options.js';
import {
  SECRET,
  captureDebug,
  cleanup,
  command,
  errorsOf,
  frameOf,
  fromFixture,
  hostedUrl,
  mount,
  mountReady,
  post,
  tick,
  types,
  waitFor,
} from './helpers.js';

describe('element: invalid input gives its code, no iframe and no request', () => {
  afterEach(cleanup);
  const cases: [string, Record<string, string | boolean>, string, RegExp][] = [
    ['whitespace', { 'client-secret': `${SECRET}\n` }, 'invalid_client_secret', /whitespace/],
    ['API key', { 'client-secret': 'sk_test_abcdefghijkl' }, 'invalid_client_secret', /API key/],
    ['URL', { 'client-secret': 'https://verify.facesign.ai/?client_secret=x' }, 'invalid_client_secret', /URL/],
    ['too short', { 'client-secret': 'abc' }, 'invalid_client_secret', /8 to 512/],
    ['too long', { 'client-secret': 'a'.repeat(513) }, 'invalid_client_secret', /8 to 512/],
    ['bad characters', { 'client-secret': 'abc<script>def' }, 'invalid_client_secret', /characters/],
    ['http on a public host', { 'verify-url': 'http://verify.facesign.ai/' }, 'invalid_verify_url', /https/],
    ['javascript: URL', { 'verify-url': 'javascript:alert(1)' }, 'invalid_verify_url', /https/],
    ['relative URL', { 'verify-url': '/verify' }, 'invalid_verify_url', /absolute/],
    ['credentials in URL', { 'verify-url': 'https://user:pw@verify.facesign.ai/' }, 'invalid_verify_url', /credentials/],
    ['unknown mode', { mode: 'popup' }, 'invalid_option', /^mode must be one of inline, modal, got a string of 5 characters$/],
    ['bad lang', { lang: 'not a tag!' }, 'invalid_option', /BCP 47/],
  ];
  for (const [name, attrs, code, msg] of cases) {
    it(name, async () => {
      const before = performance.getEntriesByType('resource').length;
      const m = mount(attrs);
      await m.el.updateComplete;
      expect(m.events.map((e) => e.type)).to.deep.equal(['facesign-error']);
      const err = m.events[0]!.detail as { code: string; message: string; recoverable: boolean };
      expect(err.code).to.equal(code);
      expect(err.message).to.match(msg);
      expect(err.recoverable).to.equal(false);
      expect(err.message).not.to.include(SECRET);
      expect(!!frameOf(m.el)).to.equal(false);
      expect(m.el.status).to.equal('error');
      expect(!!m.el.shadowRoot!.querySelector('[part=error]')).to.equal(true);
      expect(performance.getEntriesByType('resource').length).to.equal(before);
    });
  }

  it('never logs the secret, even in debug', async () => {
    const debug = captureDebug();
    try {
      const m = await mountReady({ debug: true });
      await command(m.el, { do: 'send', method: 'completed', args: ['s1'] });
      await waitFor(m, 'facesign-complete');
      expect(debug.lines.length).to.be.greaterThan(2);
      expect(debug.lines.join('\n')).not.to.include(SECRET);
    } finally {
      debug.restore();
    }
  });

  it('a valid input after an invalid one starts the session', async () => {
    const m = mount({ 'client-secret': 'bad secret' });
    await m.el.updateComplete;
    m.el.clientSecret = SECRET;
    await waitFor(m, 'facesign-ready');
    expect(types(m)).to.deep.equal(['facesign-error', 'facesign-ready']);
  });

  it('a listener that sets a property while the element dispatches is acted on', async () => {
    const m = mount({ mode: 'bogus' });
    m.el.addEventListener('facesign-error', () => (m.el.mode = 'inline'), { once: true });
    await waitFor(m, 'facesign-ready');
    expect(errorsOf(m).map((e) => e.code)).to.deep.equal(['invalid_option']);
    expect(m.el.status).to.equal('requiresInput');
  });
});

describe('element: attributes, properties, rendering', () => {
  afterEach(cleanup);

  it('maps attributes to properties and has the documented defaults', async () => {
    const el = document.createElement('facesign-verify');
    expect([el.mode, el.open, el.verifyUrl, el.lang, el.debug, el.status]).to.deep.equal([
      'inline',
      false,
      'https://verify.facesign.ai/',
      '',
      false,
      'idle',
    ]);
    el.setAttribute('client-secret', SECRET);
    el.setAttribute('verify-url', 'http://127.0.0.1:1/');
    el.setAttribute('mode', 'modal');
    el.setAttribute('lang', 'fr');
    el.toggleAttribute('debug', true);
    expect([el.clientSecret, el.verifyUrl, el.mode, el.lang, el.debug]).to.deep.equal([SECRET, 'http://127.0.0.1:1/', 'modal', 'fr', true]);
    el.open = true;
    document.body.append(el);
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(true);
    el.remove();
  });

  it('styles are adopted once per page: every element shares one constructed style sheet, none parses its own', async () => {
    const a = mount({ 'client-secret': false });
    const b = mount({ 'client-secret': false, mode: 'modal' });
    await Promise.all([a.el.updateComplete, b.el.updateComplete]);
    const [sa, sb] = [a.el.shadowRoot!.adoptedStyleSheets, b.el.shadowRoot!.adoptedStyleSheets];
    expect(sa).to.have.length(1);
    expect(sa[0]).to.equal(sb[0]);
    expect(a.el.shadowRoot!.querySelector('style')).to.equal(null);
  });

  it('a screen the person acts on is never busy: cross-device "force" offers the phone first, while the status is still loading', async () => {
    const m = mount({ 'verify-url': hostedUrl('ready=manual'), 'cross-device': 'force' });
    await m.el.updateComplete;
    const box = m.el.shadowRoot!.querySelector('[part=box]')!;
    // the offer's words come with the handoff's module, loaded on demand
    for (let i = 0; i < 100 && !box.querySelector('button'); i++) await new Promise((r) => setTimeout(r, 20));
    await m.el.updateComplete;
    expect(box.querySelector('button')?.textContent).to.contain('Continue on your phone');
    expect(m.el.status).to.equal('loading');
    expect(box.getAttribute('aria-busy')).to.equal('false');
  });

  it('shows a busy loading state until the hosted page is ready', async () => {
    const m = mount({ 'verify-url': hostedUrl('ready=manual') });
    await m.el.updateComplete;
    expect(m.el.status).to.equal('loading');
    const box = m.el.shadowRoot!.querySelector('[part=box]')!;
    expect(box.getAttribute('aria-busy')).to.equal('true');
    expect(!!m.el.shadowRoot!.querySelector('[part=loading]')).to.equal(true);
    await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await command(m.el, { do: 'send', method: 'ready', args: [] });
    await waitFor(m, 'facesign-ready');
    await m.el.updateComplete;
    expect(box.getAttribute('aria-busy')).to.equal('false');
    expect(!!m.el.shadowRoot!.querySelector('[part=loading]')).to.equal(false);
  });

  it('inline height follows resize messages, clamped to the host min/max', async () => {
    const m = await mountReady();
    m.el.style.setProperty('--facesign-max-height', '1000px');
    const box = m.el.shadowRoot!.querySelector<HTMLElement>('[part=box]')!;
    const heightAfter = async (px: number) => {
      await command(m.el, { do: 'height', px });
      // the ResizeObserver report travels over the port; poll the layout until it settles
      for (let i = 0; i < 100 && Math.round(box.getBoundingClientRect().height) !== Math.max(480, Math.min(1000, px)); i++) await tick(10);
      return Math.round(box.getBoundingClientRect().height);
    };
    expect(Math.round(box.getBoundingClientRect().height)).to.be.greaterThanOrEqual(480);
    expect(await heightAfter(900)).to.equal(900);
    expect(await heightAfter(5000)).to.equal(1000);
    expect(await heightAfter(10)).to.equal(480);
  });

  it('load_timeout is recoverable and a late hosted page still connects', async () => {
    {
      // a per-element setting: another element on the page keeps its own
      const m = mount({ 'verify-url': hostedUrl('hello=manual'), 'load-timeout': '100' });
      await fromFixture(
        () => frameOf(m.el)?.contentWindow,
        (f) => f.event === 'loaded',
      );
      const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean };
      expect([err.code, err.recoverable]).to.deep.equal(['load_timeout', true]);
      await m.el.updateComplete;
      expect(m.el.status).to.equal('error');
      expect(!!m.el.shadowRoot!.querySelector('[part=retry-button]')).to.equal(true);
      await command(m.el, { do: 'connect' });
      await waitFor(m, 'facesign-ready');
      await m.el.updateComplete;
      expect(m.el.status).to.equal('requiresInput');
      expect(!!m.el.shadowRoot!.querySelector('[part=error]')).to.equal(false);
    }
  });

  it('Try again after a recoverable load_timeout continues the same session: a fresh frame, no terminal event', async () => {
    // a per-element setting: another element on the page keeps its own
    const m = mount({ 'verify-url': hostedUrl('hello=manual'), 'load-timeout': '100' });
    await waitFor(m, 'facesign-error');
    await m.el.updateComplete;
    const first = frameOf(m.el);
    m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]')!.click();
    await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'loaded',
    );
    expect(frameOf(m.el)).to.not.equal(first);
    expect(first!.isConnected).to.equal(false);
    // (the new frame may time out too: another recoverable error, never a terminal event)
    expect(types(m).every((t) => t === 'facesign-error')).to.equal(true);
    expect(m.terminal().length).to.equal(0);
  });

  it('the retry button loads a fresh iframe after a fatal error', async () => {
    const m = await mountReady();
    post(m.el, { do: 'send', method: 'error', args: ['network_error', 'offline', false] });
    await waitFor(m, 'facesign-error');
    await m.el.updateComplete;
    expect(!!frameOf(m.el)).to.equal(false);
    m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]')!.click();
    await waitFor(m, 'facesign-ready', 2);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-error', 'facesign-ready']);
  });
});

describe('element: properties', () => {
  it('keeps property values set before the element was defined, defaults included, and converts attributes by type', async () => {
    const el = document.createElement('late-verify') as FaceSignVerifyElement;
    // a framework that renders before the script loads sets properties on the plain HTMLElement
    Object.assign(el, {
      clientSecret: 'vs_set_before_upgrade',
      mode: 'modal',
      open: true,
      verifyUrl: 'http://127.0.0.1:9/early',
      lang: 'fr',
      refreshMargin: 5,
    });
    el.setAttribute('expire-at', '1700000000');
    el.setAttribute('debug', '');
    FaceSignVerifyElement.define('late-verify');
    customElements.upgrade(el);
    expect(el).to.be.instanceOf(FaceSignVerifyElement);
    // Lit restores them at the first update, which the element's connection starts
    document.body.append(el);
    await el.updateComplete;
    expect([el.clientSecret, el.expireAt, el.refreshMargin, el.debug, el.mode, el.open, el.verifyUrl, el.lang]).to.deep.equal([
      'vs_set_before_upgrade',
      1700000000,
      5,
      true,
      'modal',
      true,
      'http://127.0.0.1:9/early',
      'fr',
    ]);
    el.removeAttribute('debug');
    el.removeAttribute('expire-at');
    expect([el.debug, el.expireAt]).to.deep.equal([false, undefined]);
    el.remove();
  });

  it('removing an attribute, or setting undefined or null, gives the default back, not a fatal error', async () => {
    const el = document.createElement('facesign-verify');
    el.setAttribute('mode', 'modal');
    el.setAttribute('verify-url', 'http://127.0.0.1:9/x');
    el.setAttribute('lang', 'de');
    el.setAttribute('refresh-margin', '30');
    expect([el.mode, el.verifyUrl, el.lang, el.refreshMargin]).to.deep.equal(['modal', 'http://127.0.0.1:9/x', 'de', 30]);
    el.removeAttribute('mode');
    el.removeAttribute('verify-url');
    el.removeAttribute('lang');
    el.removeAttribute('refresh-margin');
    expect([el.mode, el.verifyUrl, el.lang, el.refreshMargin]).to.deep.equal(['inline', DEFAULT_VERIFY_URL, '', 60]);
    Object.assign(el, { mode: undefined, verifyUrl: null, open: undefined, debug: null });
    expect([el.mode, el.verifyUrl, el.open, el.debug]).to.deep.equal(['inline', DEFAULT_VERIFY_URL, false, false]);
  });

  it('lang is its own property: setting it writes no attribute (the native HTMLElement.lang would)', async () => {
    const el = document.createElement('facesign-verify');
    el.lang = 'fr';
    expect(el.lang).to.equal('fr');
    expect(el.hasAttribute('lang')).to.equal(false);
    // and the attribute still sets the property
    el.setAttribute('lang', 'de');
    expect(el.lang).to.equal('de');
    const plain = document.createElement('div');
    plain.lang = 'fr';
    expect(plain.getAttribute('lang')).to.equal('fr');
  });

  it('reflects open, batches updates, and updateComplete waits for them', async () => {
    const el = document.createElement('facesign-verify');
    el.mode = 'modal';
    el.clientSecret = 'vs_test123_secret_abcDEF456';
    el.verifyUrl = 'http://127.0.0.1:9/';
    document.body.append(el);
    el.open = true;
    el.open = false;
    el.open = true;
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.equal(true);
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    el.removeAttribute('open');
    expect(el.open).to.equal(false);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    el.remove();
  });
});

describe('element: lifecycle', () => {
  afterEach(cleanup);

  it('removal mid-flow ends with one cancel, then facesign-close, and then nothing: listeners and port are gone', async () => {
    const debug = captureDebug();
    try {
      const m = await mountReady({ debug: true });
      await command(m.el, { do: 'send', method: 'started', args: [] });
      await waitFor(m, 'facesign-start');
      m.el.remove();
      // framework state kept in sync through facesign-close hears of the removal too
      expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-start', 'facesign-cancel', 'facesign-close']);
      expect(m.events[2]!.detail).to.deep.equal({ reason: 'removed' });
      expect(m.events[3]!.detail).to.deep.equal({ reason: 'removed' });
      expect(!!frameOf(m.el)).to.equal(false);
      // the window listener is gone: a message that would be logged as dropped is not seen
      const seen = debug.lines.length;
      window.postMessage({ anything: true }, '*');
      await tick(20);
      expect(debug.lines.length).to.equal(seen);
      expect(types(m)).to.have.length(4);
    } finally {
      debug.restore();
    }
  });

  it('re-inserting starts a clean new session', async () => {
    const m = await mountReady();
    const first = frameOf(m.el)!.src;
    m.el.remove();
    document.body.append(m.el);
    await waitFor(m, 'facesign-ready', 3);
    expect(frameOf(m.el)!.src).not.to.equal(first);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close', 'facesign-ready']);
  });

  it('changing client-secret mid-session cancels the old one and starts a new channel', async () => {
    const m = await mountReady();
    const oldFrame = frameOf(m.el)!;
    const oldWin = oldFrame.contentWindow;
    const next = 'vs_second_secret_0987654321';
    const init = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    // the replaced page is told, so its server-side session does not stay open
    const told = fromFixture(
      () => oldWin,
      (f) => f.event === 'close',
    );
    m.el.clientSecret = next;
    expect(((await init).init as { secret: string }).secret).to.equal(next);
    await waitFor(m, 'facesign-ready', 2);
    await told;
    // hidden meanwhile, and gone within the second it is given
    expect(oldFrame.isConnected ? getComputedStyle(oldFrame).display : 'removed').to.be.oneOf(['none', 'removed']);
    for (let i = 0; i < 150 && oldFrame.isConnected; i++) await tick(10);
    expect(oldFrame.isConnected).to.equal(false);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-ready']);
    expect(m.events[1]!.detail).to.deep.equal({ reason: 'replaced' });
  });

  it('an inline element removed, then appended again later, starts a new session', async () => {
    const m = await mountReady();
    m.el.remove();
    await tick(20);
    document.body.append(m.el);
    await waitFor(m, 'facesign-ready', m.events.length);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close', 'facesign-ready']);
    expect(m.el.status).to.equal('requiresInput');
  });
});

describe('element: markup first, the secret after', () => {
  afterEach(cleanup);

  it('an element with no secret yet is idle and waiting, not failed; set, it starts one session', async () => {
    const m = mount({ 'client-secret': false });
    await m.el.updateComplete;
    await tick(50);
    expect(m.events).to.deep.equal([]);
    expect(m.el.status).to.equal('idle');
    expect(frameOf(m.el)).to.equal(null);
    m.el.clientSecret = SECRET;
    await waitFor(m, 'facesign-ready');
    await command(m.el, { do: 'send', method: 'completed', args: ['fs_session_11'] });
    await waitFor(m, 'facesign-complete');
    expect(m.terminal()).to.have.length(1);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-complete']);
  });
});
