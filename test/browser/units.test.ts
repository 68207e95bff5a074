import { expect } from '@open-wc/testing';
import { rejectHello } from '../../src/session/host-channel.js';
import { defineFaceSignVerify } from '../../src/define.js';
import { FaceSignVerifyElement } from '../../src/element.js';
import { ERROR_CODES, FaceSignError } from '../../src/protocol/errors.js';
import { connectToHost } from '../../src/frame.js';
import { DEFAULT_VERIFY_URL, checkClientSecret, checkLang, verifyOrigin } from '../../src/element/options.js';
import { message, parseFrameMessage } from '../../src/protocol/messages.js';
import { VERSION } from '../../src/version.js';
import { cleanup, fromFixture, hostedUrl, trackListeners, trackTimers } from './helpers.js';

describe('origin matching is exact', () => {
  const source = window; // any WindowProxy stands in for the iframe here
  const want = { source, origin: 'https://verify.facesign.ai', channel: 'c1' };
  const ev = (origin: string, over: Partial<MessageEvent> = {}) =>
    ({ source, origin, isTrusted: true, data: message('hello', { channel: 'c1' }), ...over }) as MessageEvent;

  it('accepts only the exact origin', () => {
    expect(rejectHello(ev('https://verify.facesign.ai'), want)).to.deep.equal(message('hello', { channel: 'c1' }));
  });
  for (const origin of [
    'https://verify.facesign.ai.evil.test',
    'https://evil-verify.facesign.ai',
    'https://sub.verify.facesign.ai',
    'http://verify.facesign.ai',
    'https://verify.facesign.ai:8443',
    'https://verify.facesign.ai.',
    'https://VERIFY.FACESIGN.AI',
    'https://evil.test',
    'null',
    '',
  ]) {
    it(`rejects look-alike origin "${origin}"`, () => {
      expect(rejectHello(ev(origin), want)).to.equal('origin');
    });
  }
  it('checks source before anything else and refuses untrusted events', () => {
    expect(rejectHello(ev('https://evil.test', { source: null, data: 'junk' }), want)).to.equal('source');
    expect(rejectHello(ev('https://verify.facesign.ai', { isTrusted: false }), want)).to.equal('untrusted');
    expect(rejectHello(ev('https://verify.facesign.ai'), { ...want, source: undefined })).to.equal('source');
  });
});

describe('options', () => {
  it('accepts loopback http and any https verify-url, returning the exact origin', () => {
    expect(verifyOrigin('http://localhost:5174/verify?x=1')).to.equal('http://localhost:5174');
    expect(verifyOrigin('http://127.0.0.5/')).to.equal('http://127.0.0.5');
    expect(verifyOrigin('http://[::1]:8080/')).to.equal('http://[::1]:8080');
    expect(verifyOrigin('https://verify.facesign.ai/')).to.equal('https://verify.facesign.ai');
    expect(() => verifyOrigin('http://localhost.evil.test/')).to.throw(FaceSignError);
    expect(() => verifyOrigin('http://128.0.0.1/')).to.throw(FaceSignError);
    expect(() => verifyOrigin('ftp://verify.facesign.ai/')).to.throw(FaceSignError);
  });
  it('accepts the seeds-style secret and canonicalises lang', () => {
    expect(checkClientSecret('vs_1a2b3c4d5e6f_secret_abc123def456')).to.equal('vs_1a2b3c4d5e6f_secret_abc123def456');
    expect(checkLang('en-us')).to.equal('en-US');
    expect(checkLang('')).to.equal('');
  });
  it('parses messages into fresh objects without unknown keys', () => {
    const m = parseFrameMessage({ ...message('step', { nodeId: 'a', nodeType: 'b' }), extra: { deep: 1 } });
    expect(m).to.deep.equal({ ns: 'facesign', v: 1, type: 'step', nodeId: 'a', nodeType: 'b' });
  });
  it('lists every error code once', () => {
    expect(new Set(ERROR_CODES).size).to.equal(ERROR_CODES.length);
    const e = new FaceSignError('load_timeout', 'x', true);
    expect([e instanceof Error, e.name, e.code, e.recoverable]).to.deep.equal([true, 'FaceSignError', 'load_timeout', true]);
  });
});

describe('registration', () => {
  it('is defined once under facesign-verify; defining again does not throw', () => {
    expect(customElements.get('facesign-verify')).to.equal(FaceSignVerifyElement);
    expect(() => defineFaceSignVerify()).not.to.throw();
    expect(customElements.get('facesign-verify')).to.equal(FaceSignVerifyElement);
  });
  it('warns once (in development) when another version got there first', () => {
    const tag = 'facesign-verify-other';
    customElements.define(
      tag,
      class extends HTMLElement {
        static version = '0.0.1';
      },
    );
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (...a: unknown[]) => warnings.push(a.join(' '));
    try {
      defineFaceSignVerify(tag);
      defineFaceSignVerify(tag);
    } finally {
      console.warn = orig;
    }
    expect(warnings).to.have.length(__FACESIGN_DEV__ ? 1 : 0);
    if (__FACESIGN_DEV__) expect(warnings[0]).to.include('0.0.1').and.include(VERSION);
  });
  it('can register under another tag name (a subclass, since one class backs one tag)', () => {
    defineFaceSignVerify('acme-verify');
    const Ctor = customElements.get('acme-verify')!;
    expect(new Ctor()).to.be.instanceOf(FaceSignVerifyElement);
  });
});

describe('element properties', () => {
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

describe('frame side: connectToHost', () => {
  afterEach(cleanup);

  it('rejects with not_embedded in a top-level page', async () => {
    const err = await connectToHost().catch((e: FaceSignError) => e);
    expect((err as FaceSignError).code).to.equal('not_embedded');
  });

  it('rejects with handshake_timeout when no host answers', async () => {
    const f = document.createElement('iframe');
    // valid parameters, but no <facesign-verify> on this page answers the hello
    f.src = hostedUrl(`fs_channel=nobody&fs_v=1&fs_origin=${encodeURIComponent(location.origin)}&timeout=100`);
    const failed = fromFixture(
      () => f.contentWindow,
      (r) => r.event === 'failed',
    );
    document.body.append(f);
    expect((await failed).code).to.equal('handshake_timeout');
  });

  it('rejects a wrong protocol version in its URL as not embedded', async () => {
    const f = document.createElement('iframe');
    f.src = hostedUrl(`fs_channel=x&fs_v=2&fs_origin=${encodeURIComponent(location.origin)}`);
    const failed = fromFixture(
      () => f.contentWindow,
      (r) => r.event === 'failed',
    );
    document.body.append(f);
    expect((await failed).code).to.equal('not_embedded');
  });
});

describe('frame side: destroy() before the host sent init', () => {
  /**
   * This page, made to look like one the element opened: the channel parameters in its URL and a stand-in for
   * the host window (an opener, as for the popup) that records what is posted to it.
   */
  function embedded() {
    const href = location.href;
    const opener = Object.getOwnPropertyDescriptor(window, 'opener');
    const posted: unknown[] = [];
    const q = new URLSearchParams({ fs_channel: 'c0ffee', fs_v: '1', fs_origin: location.origin });
    history.replaceState(history.state, '', `?${q}`);
    Object.defineProperty(window, 'opener', { value: { postMessage: (m: unknown) => posted.push(m) }, configurable: true });
    return {
      posted,
      restore() {
        history.replaceState(history.state, '', href);
        if (opener) Object.defineProperty(window, 'opener', opener);
        else delete (window as { opener?: unknown }).opener;
      },
    };
  }

  /** ResizeObservers made from now on, and how many are not disconnected. */
  function trackObservers() {
    const Real = window.ResizeObserver;
    const live = new Set<ResizeObserver>();
    window.ResizeObserver = class extends Real {
      override observe(t: Element, o?: ResizeObserverOptions) {
        live.add(this);
        super.observe(t, o);
      }
      override disconnect() {
        live.delete(this);
        super.disconnect();
      }
    };
    return { live: () => live.size, restore: () => void (window.ResizeObserver = Real) };
  }

  it('rejects with connection_destroyed and ends its listeners, its timer and its observer', async () => {
    const page = embedded();
    const listeners = trackListeners();
    const timers = trackTimers();
    const observers = trackObservers();
    try {
      const connecting = connectToHost({ timeout: 60_000 });
      // it started: the hello went out, and it listens, times and observes
      expect(page.posted.length).to.equal(1);
      expect(listeners.live()).to.include('message');
      expect(timers.live('timeout', 60_000)).to.equal(1);
      expect(observers.live()).to.equal(1);
      connecting.destroy();
      const got = await Promise.race([connecting.catch((e: unknown) => e), new Promise((r) => setTimeout(r, 1000, 'pending'))]);
      expect(got).to.be.instanceOf(FaceSignError);
      expect([(got as FaceSignError).code, (got as FaceSignError).recoverable]).to.deep.equal(['connection_destroyed', false]);
      expect(listeners.live()).to.deep.equal([]);
      expect(timers.live('timeout', 60_000)).to.equal(0);
      expect(observers.live()).to.equal(0);
      expect(ERROR_CODES).to.include('connection_destroyed');
    } finally {
      observers.restore();
      timers.restore();
      listeners.restore();
      page.restore();
    }
  });
});
