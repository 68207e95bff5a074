/** The hosted page's end (src/frame): connectToHost() and what it leaves behind when it fails or is destroyed. */
import { expect } from '@open-wc/testing';
import { ERROR_CODES, FaceSignError } from '../../src/protocol/errors.js';
import { connectToHost } from '../../src/frame.js';
import { cleanup, fromFixture, hostedUrl, trackListeners, trackTimers } from './helpers.js';

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
