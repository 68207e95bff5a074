/** The hosted page's end (src/frame): connectToHost() and what it leaves behind when it fails or is destroyed. */
import { expect } from '@open-wc/testing';
import { ERROR_CODES, FaceSignError } from '../../src/protocol/errors.js';
import { connectToHost } from '../../src/frame.js';
import { message } from '../../src/protocol/messages.js';
import { FRAME_ORIGIN, SECRET, cleanup, command, fromFixture, hostedUrl, tick, trackListeners, trackTimers } from './helpers.js';

/** The merchant's setting as the test fixture has it: this test page's origin may embed the hosted page. */
const ALLOWED = [location.origin];

/**
 * This page, made to look like one the element opened: the channel parameters in its URL and a stand-in for
 * the host window (an opener, as for the popup) that records what is posted to it, and to which origin.
 */
function embedded() {
  const href = location.href;
  const opener = Object.getOwnPropertyDescriptor(window, 'opener');
  const posted: unknown[] = [];
  const to: string[] = [];
  const q = new URLSearchParams({ fs_channel: 'c0ffee', fs_v: '1', fs_origin: location.origin });
  history.replaceState(history.state, '', `?${q}`);
  Object.defineProperty(window, 'opener', {
    value: { postMessage: (m: unknown, origin: string) => (posted.push(m), to.push(origin)) },
    configurable: true,
  });
  return {
    posted,
    to,
    restore() {
      history.replaceState(history.state, '', href);
      if (opener) Object.defineProperty(window, 'opener', opener);
      else delete (window as { opener?: unknown }).opener;
    },
  };
}

describe('frame side: connectToHost', () => {
  afterEach(cleanup);

  it('rejects with not_embedded in a top-level page', async () => {
    const err = await connectToHost({ allowedHostOrigins: ALLOWED }).catch((e: FaceSignError) => e);
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

describe('frame side: only a host origin the merchant allowed', () => {
  afterEach(cleanup);

  it('says hello to an allowed host, at its exact origin', async () => {
    const page = embedded();
    try {
      const connecting = connectToHost({ allowedHostOrigins: ['https://other.example', location.origin], timeout: 60_000 });
      expect(page.posted).to.deep.equal([message('hello', { channel: 'c0ffee', caps: 'ping' })]);
      expect(page.to).to.deep.equal([location.origin]);
      connecting.destroy();
      await connecting.catch(() => {});
    } finally {
      page.restore();
    }
  });

  it('refuses any other: no hello, one refused message (its channel, nothing else) to that origin, origin_not_allowed', async () => {
    const page = embedded();
    const listeners = trackListeners();
    const timers = trackTimers();
    try {
      const err = await connectToHost({ allowedHostOrigins: ['https://shop.example'] }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(FaceSignError);
      expect([(err as FaceSignError).code, (err as FaceSignError).recoverable]).to.deep.equal(['origin_not_allowed', false]);
      expect((err as FaceSignError).message).to.include(location.origin);
      expect(page.posted).to.deep.equal([message('refused', { channel: 'c0ffee' })]);
      expect(page.to).to.deep.equal([location.origin]);
      // nothing was set up that could wait for a host
      expect(listeners.live()).to.deep.equal([]);
      expect(timers.live('timeout', 10_000)).to.equal(0);
      expect(ERROR_CODES).to.include('origin_not_allowed');
    } finally {
      timers.restore();
      listeners.restore();
      page.restore();
    }
  });

  it('an empty list allows nobody', async () => {
    const page = embedded();
    try {
      const err = await connectToHost({ allowedHostOrigins: [] }).catch((e: FaceSignError) => e);
      expect((err as FaceSignError).code).to.equal('origin_not_allowed');
      expect(page.posted).to.deep.equal([message('refused', { channel: 'c0ffee' })]);
    } finally {
      page.restore();
    }
  });

  for (const [what, value] of [
    ['missing', undefined],
    ['not an array', location.origin],
    ['with a path', [`${location.origin}/`]],
    ['with a wildcard', ['*']],
  ] as const)
    it(`allowedHostOrigins ${what}: invalid_option, and nothing is posted`, async () => {
      const page = embedded();
      try {
        const err = await connectToHost({ allowedHostOrigins: value as never }).catch((e: FaceSignError) => e);
        expect((err as FaceSignError).code).to.equal('invalid_option');
        expect((err as FaceSignError).message).to.include('allowedHostOrigins');
        expect(page.posted).to.deep.equal([]);
      } finally {
        page.restore();
      }
    });

  it('across origins: a hosted page whose merchant allowed nobody tells this page so, and rejects', async () => {
    const f = document.createElement('iframe');
    f.src = hostedUrl(`fs_channel=c0ffee&fs_v=1&fs_origin=${encodeURIComponent(location.origin)}&allowed=none`);
    const failed = fromFixture(
      () => f.contentWindow,
      (r) => r.event === 'failed',
    );
    const refusal = new Promise<unknown>((resolve) =>
      addEventListener('message', function on(e) {
        if (e.source !== f.contentWindow || (e.data as { fixture?: unknown }).fixture) return;
        removeEventListener('message', on);
        resolve(e.data);
      }),
    );
    document.body.append(f);
    expect((await failed).code).to.equal('origin_not_allowed');
    expect(await refusal).to.deep.equal(message('refused', { channel: 'c0ffee' }));
  });
});

describe('frame side: destroy() before the host sent init', () => {
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
      const connecting = connectToHost({ allowedHostOrigins: ALLOWED, timeout: 60_000 });
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

describe('frame side: camera problems named only to a host that knows the names', () => {
  afterEach(cleanup);

  /**
   * A fixture page in a plain iframe, and this test page as its host: the hello answered with a port, then `init`
   * (with `caps` or, as an older host, without). Resolves with the frame and the port's end that hears the page.
   */
  async function hosted(caps?: string) {
    const f = document.createElement('iframe');
    f.src = hostedUrl(`fs_channel=cam&fs_v=1&fs_origin=${encodeURIComponent(location.origin)}`);
    const heard: { type: string; code?: string }[] = [];
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (e) => heard.push(e.data as { type: string });
    addEventListener('message', function on(e) {
      if (e.source !== f.contentWindow || (e.data as { type?: string }).type !== 'hello') return;
      removeEventListener('message', on);
      f.contentWindow!.postMessage(message('connect', { channel: 'cam' }), FRAME_ORIGIN, [port2]);
      port1.postMessage(message('init', { secret: SECRET, mode: 'inline', ...(caps && { caps }) }));
    });
    const init = fromFixture(
      () => f.contentWindow,
      (r) => r.event === 'init',
    );
    document.body.append(f);
    return { f, heard, init: (await init).init as Record<string, unknown> };
  }

  const NAMED = ['camera_denied', 'camera_not_found', 'camera_in_use', 'microphone_denied'];

  it('a host whose init lists camera-codes hears each name; the page sees the caps in init', async () => {
    const { f, heard, init } = await hosted('camera-codes');
    expect(init.caps).to.equal('camera-codes');
    for (const code of [...NAMED, 'camera_unavailable']) await command(f, { do: 'send', method: 'error', args: [code, 'x', true] });
    await tick(50);
    expect(heard.filter((m) => m.type === 'error').map((m) => m.code)).to.deep.equal([...NAMED, 'camera_unavailable']);
    expect(NAMED.every((c) => (ERROR_CODES as readonly string[]).includes(c))).to.equal(true);
  });

  it('an older host (no caps in init) hears camera_unavailable for each, never a name it would turn into hosted_page_error', async () => {
    const { f, heard, init } = await hosted();
    expect(init.caps).to.equal(undefined);
    for (const code of NAMED) await command(f, { do: 'send', method: 'error', args: [code, 'x', true] });
    await command(f, { do: 'send', method: 'error', args: ['network_error', 'y', false] });
    await tick(50);
    expect(heard.filter((m) => m.type === 'error').map((m) => m.code)).to.deep.equal([...NAMED.map(() => 'camera_unavailable'), 'network_error']);
  });

  it('a host with other caps only is an older host too', async () => {
    const { f, heard } = await hosted('something-else');
    await command(f, { do: 'send', method: 'error', args: ['camera_denied', 'x', true] });
    await tick(50);
    expect(heard.filter((m) => m.type === 'error').map((m) => m.code)).to.deep.equal(['camera_unavailable']);
  });
});
