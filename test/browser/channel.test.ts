import { expect } from '@open-wc/testing';
import {
  FRAME_ORIGIN,
  SECRET,
  captureDebug,
  cleanup,
  command,
  errorsOf,
  frameOf,
  fromFixture,
  hostedUrl,
  inPopup,
  mount,
  mountReady,
  portBarrier,
  post,
  recordPopups,
  tick,
  trackTimers,
  types,
  until,
  waitFor,
} from './helpers.js';
import { timing } from '../../src/session/watch.js';
import { EN } from '../../src/element/texts-en.js';
import { message } from '../../src/protocol/messages.js';
import { FrameSurface } from '../../src/surfaces/frame.js';

const fixtureInit = (el: HTMLElement) =>
  fromFixture(
    () => frameOf(el as never)?.contentWindow,
    (f) => f.event === 'init',
  );

describe('channel: handshake and relayed messages (localhost <-> 127.0.0.1)', () => {
  afterEach(cleanup);

  it('really crosses origins', async () => {
    expect(location.hostname).to.equal('localhost');
    const { el } = await mountReady();
    expect(new URL(frameOf(el)!.src).origin).to.equal(FRAME_ORIGIN);
    expect(frameOf(el)!.contentDocument).to.equal(null);
  });

  it('keeps the secret out of the iframe URL and delivers it over the port', async () => {
    const m = mount({ lang: 'pt-br' });
    const init = await fixtureInit(m.el);
    const src = frameOf(m.el)!.src;
    expect(src).not.to.include(SECRET);
    expect(String(init.href)).not.to.include(SECRET);
    const q = new URL(src).searchParams;
    expect(q.get('fs_channel')).to.match(/^[0-9a-f]{32}$/);
    expect(q.get('fs_v')).to.equal('1');
    expect(q.get('fs_origin')).to.equal(location.origin);
    expect(q.get('lang')).to.equal('pt-BR');
    // what this host understands: the camera problems by name, and continuing on the phone
    expect(init.init).to.deep.equal({ secret: SECRET, mode: 'inline', lang: 'pt-BR', caps: 'camera-codes handoff' });
  });

  it('sets the iframe permissions, title and referrer policy', async () => {
    const { el } = await mountReady();
    const f = frameOf(el)!;
    expect(f.getAttribute('allow')).to.equal('camera; microphone; fullscreen; autoplay; clipboard-write');
    expect(f.title).to.match(/verification/i);
    expect(f.referrerPolicy).to.equal('strict-origin');
  });

  it('relays every hosted-page message as its event, in order', async () => {
    const m = await mountReady();
    expect(m.el.status).to.equal('requiresInput');
    await command(m.el, { do: 'send', method: 'started', args: [] });
    await waitFor(m, 'facesign-start');
    expect(m.el.status).to.equal('processing');
    await command(m.el, { do: 'send', method: 'step', args: ['greeting', 'conversation'] });
    expect((await waitFor(m, 'facesign-step')).detail).to.deep.equal({ nodeId: 'greeting', nodeType: 'conversation' });
    await command(m.el, { do: 'send', method: 'error', args: ['camera_unavailable', 'no camera', true] });
    const err = (await waitFor(m, 'facesign-error')).detail;
    // a plain object: everything survives JSON (a logger, postMessage, an analytics call)
    expect(Object.getPrototypeOf(err)).to.equal(Object.prototype);
    expect(JSON.parse(JSON.stringify(err))).to.deep.equal({ code: 'camera_unavailable', message: 'no camera', recoverable: true });
    expect(m.el.status).to.equal('processing');
    let n = m.events.length;
    await command(m.el, { do: 'send', method: 'error', args: ['something_new', 'x', true] });
    await waitFor(m, 'facesign-error', n);
    expect((m.events.at(-1)!.detail as { code: string }).code).to.equal('hosted_page_error');
    n = m.events.length;
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    await waitFor(m, 'facesign-error', n);
    expect((m.events.at(-1)!.detail as { code: string }).code).to.equal('secret_expired');
    await command(m.el, { do: 'send', method: 'completed', args: ['fs_session_1'] });
    expect((await waitFor(m, 'facesign-complete')).detail).to.deep.equal({ sessionId: 'fs_session_1' });
    expect(m.el.status).to.equal('complete');
    expect(types(m)).to.deep.equal([
      'facesign-ready',
      'facesign-start',
      'facesign-step',
      'facesign-error',
      'facesign-error',
      'facesign-secret-request',
      'facesign-error',
      'facesign-complete',
    ]);
  });

  it('reconnects when the hosted page reloads, without a second ready', async () => {
    const m = mount();
    // the first document's init report and the ready (over the port) race: wait for both, then tell the
    // reloaded document's init from the first one by its load id
    const first = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init',
    );
    await waitFor(m, 'facesign-ready');
    const again = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'init' && f.loadId !== first.loadId,
    );
    const timers = trackTimers();
    const grace = timing.helloAfterLoad;
    // a short grace, so that the judgment comes soon
    timing.helloAfterLoad = 300;
    try {
      post(m.el, { do: 'navigate', url: frameOf(m.el)!.src });
      expect(((await again).init as { secret: string }).secret).to.equal(SECRET);
      // the watch judges the new document when its hello grace after the load is over: wait until that timer was
      // made and has run (not for a guessed time); a reload of our own page is not lost
      await until(
        () => timers.made('timeout', 300) > 0 && timers.live('timeout', 300) === 0,
        (v) => v,
        'the reload judged',
      );
    } finally {
      timers.restore();
      timing.helloAfterLoad = grace;
    }
    await command(m.el, { do: 'send', method: 'step', args: ['n2', 'conversation'] });
    await waitFor(m, 'facesign-step');
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-step']);
  });

  it('keeps three elements on one page apart', async () => {
    const ms = [mount(), mount(), mount()];
    await Promise.all(ms.map((m) => waitFor(m, 'facesign-ready')));
    const channels = ms.map((m) => new URL(frameOf(m.el)!.src).searchParams.get('fs_channel'));
    expect(new Set(channels).size).to.equal(3);
    await command(ms[1]!.el, { do: 'send', method: 'step', args: ['only-me', 'conversation'] });
    await command(ms[2]!.el, { do: 'send', method: 'completed', args: ['s3'] });
    await waitFor(ms[1]!, 'facesign-step');
    await waitFor(ms[2]!, 'facesign-complete');
    expect(types(ms[0]!)).to.deep.equal(['facesign-ready']);
    expect(types(ms[1]!)).to.deep.equal(['facesign-ready', 'facesign-step']);
    expect(types(ms[2]!)).to.deep.equal(['facesign-ready', 'facesign-complete']);
  });
});

/**
 * Counts what `watch` reports while this page's message listeners have one message (`window.event` is that message
 * while its listeners run, whichever of them was added first). `watch(count)` wraps what is counted so that it
 * calls `count()`, and returns what undoes that. `post`: `from` (this page, or a same-origin window in it) posts
 * `data` here; resolves with the count during that message's dispatch (the elements' own pages' messages do not
 * count).
 */
function countedPerMessage(watch: (count: () => void) => () => void) {
  let n = 0;
  let counted: string | undefined;
  const stop = watch(() => {
    const e = (window as { event?: Event }).event;
    if (counted !== undefined && e instanceof MessageEvent && e.data === counted) n++;
  });
  return {
    post: (from: Window & typeof globalThis, data: string) =>
      new Promise<number>((resolve) => {
        n = 0;
        counted = data;
        // runs after every listener added before it: the elements' (one shared listener, added with the first)
        const last = (e: MessageEvent) => {
          if (e.data !== data) return;
          removeEventListener('message', last);
          counted = undefined;
          resolve(n);
        };
        addEventListener('message', last);
        // a function of `from`'s realm: the message's source is the window whose script posts it
        new from.Function('to', 'data', 'to.postMessage(data, "*")')(window, data);
      }),
    stop,
  };
}

/**
 * Reads of an iframe's contentWindow per message. In Chromium the first read of a frame whose cross-origin
 * navigation has not committed yet creates the script context of its initial about:blank document (measured: 0.6
 * to 20 ms a frame, 50 frames ~180 ms in one message), so a foreign message must be told apart without it.
 */
const contentWindowReads = () =>
  countedPerMessage((count) => {
    const d = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')!;
    Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
      ...d,
      get(this: HTMLIFrameElement) {
        count();
        return d.get!.call(this);
      },
    });
    return () => Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', d);
  });

/** The elements' source checks per message (each frame surface's `sentBy`). */
const sourceChecks = () =>
  countedPerMessage((count) => {
    const sentBy = FrameSurface.prototype.sentBy;
    FrameSurface.prototype.sentBy = function (this: FrameSurface, source) {
      count();
      return sentBy.call(this, source);
    };
    return () => void (FrameSurface.prototype.sentBy = sentBy);
  });

/** Counts the `message` listeners added to this window until `stop()`. */
function windowMessageListeners() {
  const add = window.addEventListener;
  let added = 0;
  window.addEventListener = function (this: Window, ...a: Parameters<typeof add>) {
    if (a[0] === 'message') added++;
    return add.apply(this, a);
  } as typeof add;
  return {
    get added() {
      return added;
    },
    stop: () => void (window.addEventListener = add),
  };
}

describe('channel: a foreign window message costs the source check only', () => {
  afterEach(cleanup);

  it('the elements on a page add one window message listener between them, not one each', async () => {
    const listeners = windowMessageListeners();
    try {
      const ms = Array.from({ length: 5 }, () => mount());
      await Promise.all(ms.map((m) => waitFor(m, 'facesign-ready')));
      // none when an earlier element on this page added it already; never one per element
      expect(listeners.added).to.be.at.most(1);
      // and each still hears its own page only
      await command(ms[3]!.el, { do: 'send', method: 'step', args: ['only-me', 'conversation'] });
      await waitFor(ms[3]!, 'facesign-step');
      expect(ms.map(types)).to.deep.equal(ms.map((_, i) => (i === 3 ? ['facesign-ready', 'facesign-step'] : ['facesign-ready'])));
    } finally {
      listeners.stop();
    }
  });

  it("a message the page posts itself reaches no element's check; another window's reaches each element's once", async () => {
    const checks = sourceChecks();
    const stranger = document.body.appendChild(document.createElement('iframe'));
    try {
      const ms = [mount(), mount(), mount()];
      await Promise.all(ms.map((m) => waitFor(m, 'facesign-ready')));
      expect(await checks.post(window, 'analytics-own')).to.equal(0);
      expect(await checks.post(stranger.contentWindow as Window & typeof globalThis, 'analytics-framed')).to.equal(3);
    } finally {
      checks.stop();
      stranger.remove();
    }
  });

  it("a message the page posts itself, or a window that is not this page's frame, is dropped without asking any iframe for its window", async () => {
    const watch = contentWindowReads();
    const stranger = document.body.appendChild(document.createElement('iframe'));
    try {
      const ms = [mount(), mount(), mount()];
      // while mounting (the frames' navigations not yet committed), and once connected
      expect(await watch.post(window, 'analytics-1')).to.equal(0);
      await Promise.all(ms.map((m) => waitFor(m, 'facesign-ready')));
      expect(await watch.post(window, 'analytics-2')).to.equal(0);
      // a grandchild frame: neither this page nor one of its frames
      const inner = stranger.contentWindow!.document.body.appendChild(document.createElement('iframe')).contentWindow!;
      expect(await watch.post(inner as Window & typeof globalThis, 'analytics-3')).to.equal(0);
      // and the elements' own pages are still heard
      await command(ms[1]!.el, { do: 'send', method: 'step', args: ['still-me', 'conversation'] });
      await waitFor(ms[1]!, 'facesign-step');
    } finally {
      watch.stop();
      stranger.remove();
    }
  });
});

describe('channel: hostile window messages before the handshake are dropped', () => {
  let debug: ReturnType<typeof captureDebug>;
  beforeEach(() => (debug = captureDebug()));
  afterEach(() => {
    debug.restore();
    cleanup();
  });

  const hello = (channel: string, extra: Record<string, unknown> = {}) => ({ ns: 'facesign', v: 1, type: 'hello', channel, ...extra });
  const channelOf = (el: HTMLElement) => new URL(frameOf(el as never)!.src).searchParams.get('fs_channel')!;
  // what this element dropped of its own frame's messages; messages from other windows (an earlier test's frames,
  // still queued) are dropped by source, which the test of other windows below covers
  const dropped = (bySourceToo = false) =>
    debug.lines
      .filter((l) => l.includes('dropped window message'))
      .map((l) => l.split('dropped window message: ')[1])
      .filter((why) => bySourceToo || why !== 'source');

  async function manual() {
    const m = mount({ debug: true, 'verify-url': hostedUrl('hello=manual') });
    await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'loaded',
    );
    return m;
  }

  it('drops malformed hellos from the right frame, then still accepts the real one', async () => {
    const m = await manual();
    const ch = channelOf(m.el);
    const variants: [unknown, string, boolean?][] = [
      [hello('0'.repeat(32)), 'channel'],
      [{ ...hello(ch), v: 2 }, 'shape (unsupported protocol version)'],
      [{ ...hello(ch), v: '1' }, 'shape (unsupported protocol version)'],
      [{ ...hello(ch), ns: 'facesign-evil' }, 'shape (foreign namespace)'],
      [{ ns: 'facesign', v: 1, type: 'hello' }, 'shape (bad field channel)'],
      [hello(42 as never), 'shape (bad field channel)'],
      [hello('x'.repeat(5000)), 'shape (oversized field channel)'],
      [{ ...hello(ch), type: 'ready' }, 'shape (unknown type)'],
      ['hello', 'shape (not a plain object)'],
      [null, 'shape (not a plain object)'],
      [[hello(ch)], 'shape (not a plain object)'],
      [12345, 'shape (not a plain object)'],
      [JSON.stringify(hello(ch)), 'shape (not a plain object)'],
      [`{"ns":"facesign","v":1,"type":"hello","channel":"${ch}","__proto__":{"polluted":true}}`, 'shape (bad keys)', true],
      [`{"ns":"facesign","v":1,"type":"hello","channel":"${ch}","constructor":{"prototype":{}}}`, 'shape (bad keys)', true],
      [{ ...hello(ch), ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])) }, 'shape (bad keys)'],
    ];
    for (const [data, , json] of variants) await command(m.el, { do: 'window-raw', data, json });
    // the fixture's own reports ('loaded', then one ack per command) are dropped as a foreign namespace too
    const report = 'shape (foreign namespace)';
    expect(dropped()).to.deep.equal([report, ...variants.flatMap((v) => [v[1], report])]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(m.el.status).to.equal('loading');
    expect(types(m)).to.deep.equal([]);
    await command(m.el, { do: 'connect' });
    await waitFor(m, 'facesign-ready');
  });

  it('drops a valid hello from the page itself, from a second iframe, and a forged MessageEvent', async () => {
    const m = await manual();
    const ch = channelOf(m.el);
    // the page itself
    window.postMessage(hello(ch), '*');
    // a second iframe from the same origin, told the same channel: right origin, wrong source
    const other = document.createElement('iframe');
    other.src = hostedUrl(`fs_channel=${ch}&fs_v=1&fs_origin=${encodeURIComponent(location.origin)}&hello=manual`);
    document.body.append(other);
    await fromFixture(
      () => other.contentWindow,
      (f) => f.event === 'loaded',
    );
    await command(other, { do: 'window-raw', data: hello(ch) });
    // a script on the page forging the event with the right source and origin. Firefox refuses a cross-origin
    // WindowProxy as `source` in the constructor (TypeError), so there the forgery cannot even be built.
    let forged = false;
    try {
      window.dispatchEvent(new MessageEvent('message', { data: hello(ch), origin: FRAME_ORIGIN, source: frameOf(m.el)!.contentWindow }));
      forged = true;
    } catch (e) {
      expect((e as Error).name).to.equal('TypeError');
    }
    await command(m.el, { do: 'ping' });
    const reasons = dropped(true);
    // the second iframe's, by its source (the page's own never reaches an element's check: the test below)
    expect(reasons.filter((r) => r === 'source').length).to.be.greaterThanOrEqual(1);
    if (forged) expect(reasons).to.include('untrusted');
    expect(types(m)).to.deep.equal([]);
    expect(m.el.status).to.equal('loading');
  });

  it('drops a valid hello from the right frame once it is on another origin', async () => {
    const m = await manual();
    // same document, same channel, but served from localhost: the origin no longer matches verify-url
    const moved = frameOf(m.el)!.src.replace(FRAME_ORIGIN, location.origin).replace('hello=manual', 'hello=auto');
    post(m.el, { do: 'navigate', url: moved });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => dropped().includes('origin') && (clearInterval(t), resolve()));
    });
    expect(types(m)).to.deep.equal([]);
    expect(m.el.status).to.equal('loading');
  });
});

describe('channel: a hosted page that may not be embedded by this page', () => {
  let popups: ReturnType<typeof recordPopups>;
  // restored after each test, even one that failed waiting
  const saved = { ...timing };
  beforeEach(() => (popups = recordPopups()));
  afterEach(() => (popups.restore(), cleanup(), Object.assign(timing, saved)));

  const coverText = (el: HTMLElement) => el.shadowRoot!.querySelector('[part=error] p')?.textContent;

  it('origin_not_allowed at once: terminal, saying what to add where, its own cover; nothing after it', async () => {
    timing.helloAfterLoad = 200;
    const m = mount({ 'verify-url': hostedUrl('allowed=none'), 'load-timeout': '600' });
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; recoverable: boolean; message: string };
    expect([err.code, err.recoverable]).to.deep.equal(['origin_not_allowed', false]);
    expect(err.message).to.include(FRAME_ORIGIN).and.include(location.origin);
    expect(m.el.status).to.equal('error');
    await m.el.updateComplete;
    expect(frameOf(m.el)).to.equal(null);
    expect(coverText(m.el)).to.equal(EN.frameBlocked);
    // trying again cannot help: no button
    expect(m.el.shadowRoot!.querySelector('[part=retry-button]')).to.equal(null);
    // past the frame's hello-after-load and the load timeout: nothing more (no frame_blocked, no load_timeout)
    await tick(900);
    expect(types(m)).to.deep.equal(['facesign-error']);
  });

  it('in the popup: the opener is refused the same way, and the popup is closed', async function () {
    this.timeout(20_000);
    const { m, popup } = await inPopup(popups, {}, 'allowed=none');
    await until(
      () => errorsOf(m).map((e) => e.code),
      (codes) => codes.includes('origin_not_allowed'),
      'origin_not_allowed',
    );
    expect(errorsOf(m).map((e) => [e.code, e.recoverable])).to.deep.equal([
      ['frame_blocked', true],
      ['origin_not_allowed', false],
    ]);
    expect(m.terminal().length).to.equal(1);
    await until(
      () => popup.closed,
      (closed) => closed,
      'the popup closed',
    );
  });

  it("a refusal is taken only from its own frame, on the verify origin, for this element's channel", async () => {
    const debug = captureDebug();
    try {
      const m = mount({ debug: true, 'verify-url': hostedUrl('hello=manual') });
      await fromFixture(
        () => frameOf(m.el)?.contentWindow,
        (f) => f.event === 'loaded',
      );
      const ch = new URL(frameOf(m.el)!.src).searchParams.get('fs_channel')!;
      // from the page itself, and for another channel from the right frame
      window.postMessage(message('refused', { channel: ch }), '*');
      await command(m.el, { do: 'window-raw', data: message('refused', { channel: '0'.repeat(32) }) });
      expect(types(m)).to.deep.equal([]);
      // the page's own never reaches an element's check (no surface is the page: the foreign-message tests above)
      const reasons = debug.lines.filter((l) => l.includes('dropped window message')).map((l) => l.split('dropped window message: ')[1]);
      expect(reasons).to.include('channel');
      // the real hello still connects
      await command(m.el, { do: 'connect' });
      await waitFor(m, 'facesign-ready');
    } finally {
      debug.restore();
    }
  });
});

describe('channel: hostile port messages after the handshake are dropped', () => {
  let debug: ReturnType<typeof captureDebug>;
  beforeEach(() => (debug = captureDebug()));
  afterEach(() => {
    debug.restore();
    cleanup();
  });

  it('drops malformed port messages and keeps working', async () => {
    const m = await mountReady({ debug: true });
    const env = { ns: 'facesign', v: 1 };
    const variants: [unknown, string][] = [
      [{ ...env, type: 'hack' }, 'unknown type'],
      [{ ...env, type: 'hello', channel: 'x' }, 'unknown type'],
      [{ ...env, type: '__proto__' }, 'unknown type'],
      [{ ...env, type: 'step', nodeId: 5, nodeType: 'x' }, 'bad field nodeId'],
      [{ ...env, type: 'completed', sessionId: 'x'.repeat(1_000_000) }, 'oversized field sessionId'],
      [{ ...env, type: 'resize', height: Infinity }, 'bad field height'],
      [{ ...env, type: 'resize', height: NaN }, 'bad field height'],
      [{ ...env, type: 'error', code: 'x', message: 'y' }, 'bad field recoverable'],
      [{ ...env, v: 2, type: 'completed', sessionId: 's' }, 'unsupported protocol version'],
      [{ type: 'completed', sessionId: 's' }, 'foreign namespace'],
      ['completed', 'not a plain object'],
      [new Date(), 'not a plain object'],
      [[{ ...env, type: 'completed', sessionId: 's' }], 'not a plain object'],
    ];
    for (const [data] of variants) await command(m.el, { do: 'port-raw', data });
    // __proto__ as an own key, as JSON.parse makes it
    await command(m.el, { do: 'send', method: 'ready', args: [] });
    const polluted = JSON.parse('{"ns":"facesign","v":1,"type":"completed","sessionId":"s","__proto__":{"polluted":1}}');
    await command(m.el, { do: 'port-raw', data: polluted });
    // port messages are ordered: when this step arrives, everything before it was handled
    await command(m.el, { do: 'send', method: 'step', args: ['after', 'conversation'] });
    await waitFor(m, 'facesign-step');
    const reasons = debug.lines.filter((l) => l.includes('dropped port message')).map((l) => l.split('dropped port message: ')[1]);
    expect(reasons).to.deep.equal([...variants.map((v) => v[1]), 'bad keys']);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-step']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(debug.lines.join('\n')).not.to.include(SECRET);
  });
});

describe('channel: a page lost while processing comes back', () => {
  afterEach(cleanup);

  it('facesign-start fires once per session, and the status is processing again, not requiresInput', async () => {
    const saved = { ...timing };
    // a silent page is lost after 600 ms instead of 10 s
    Object.assign(timing, { pingEvery: 100, silence: 600 });
    try {
      const m = mount();
      const first = await fixtureInit(m.el);
      await waitFor(m, 'facesign-ready');
      await command(m.el, { do: 'send', method: 'started', args: [] });
      await waitFor(m, 'facesign-start');
      expect(m.el.status).to.equal('processing');
      // hung: not a word more, the heartbeat's answers included
      await command(m.el, { do: 'silence' });
      const lost = await waitFor(m, 'facesign-error');
      expect(lost.detail).to.include({ code: 'hosted_page_lost', recoverable: true });
      // it comes back (reloaded), says hello and ready again, and goes on where it was
      const again = fromFixture(
        () => frameOf(m.el)?.contentWindow,
        (f) => f.event === 'init' && f.loadId !== first.loadId,
      );
      post(m.el, { do: 'navigate', url: frameOf(m.el)!.src });
      await again;
      // its ready (sent right after init) has been handled
      await portBarrier(m.el);
      const afterReady = m.el.status;
      await command(m.el, { do: 'send', method: 'started', args: [] });
      await portBarrier(m.el);
      expect({ afterReady, starts: types(m).filter((t) => t === 'facesign-start').length, status: m.el.status }).to.deep.equal({
        afterReady: 'processing',
        starts: 1,
        status: 'processing',
      });
    } finally {
      Object.assign(timing, saved);
    }
  });
});

describe('channel: loadTimeout is how long the page has to say hello', () => {
  afterEach(cleanup);

  it('a page that said hello in time but is ready later gets no load_timeout', async () => {
    const a = mount({ 'verify-url': hostedUrl('ready=manual'), 'load-timeout': '2500' });
    // connected (hello, then init) well within its loadTimeout; ready comes much later
    await fixtureInit(a.el);
    // the control: an element started after a's with the same timeout, whose page never says hello; when its
    // load_timeout fires, a's would have fired too
    const b = mount({ 'verify-url': hostedUrl('hello=manual'), 'load-timeout': '2500' });
    const err = await waitFor(b, 'facesign-error');
    expect((err.detail as { code: string }).code).to.equal('load_timeout');
    expect(a.events.map((e) => (e.detail as { code?: string }).code ?? e.type)).to.deep.equal([]);
    await command(a.el, { do: 'send', method: 'ready', args: [] });
    await waitFor(a, 'facesign-ready');
    expect(a.el.status).to.equal('requiresInput');
  });

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

describe('a hello after the end gets close, never the secret', () => {
  afterEach(cleanup);

  const ENDS: [string, string, string, string][] = [
    ['completed', 'completed', 'fs_session_ended', 'facesign-complete'],
    ['canceled by the page', 'canceled', 'user_canceled', 'facesign-cancel'],
  ];
  for (const [end, method, arg, event] of ENDS)
    it(`${end}: the ended run’s page, loaded again, gets a port and close only`, async () => {
      const m = await mountReady();
      await command(m.el, { do: 'send', method, args: [arg] });
      await waitFor(m, event);
      const frame = frameOf(m.el)!;
      // everything the page in that frame reports from now on
      const reports: Record<string, unknown>[] = [];
      const record = (e: MessageEvent) => {
        const f = (e.data as { fixture?: Record<string, unknown> })?.fixture;
        if (f && e.source === frame.contentWindow) reports.push(f);
      };
      addEventListener('message', record);
      try {
        const closed = fromFixture(
          () => frame.contentWindow,
          (f) => f.event === 'port-message' && f.type === 'close',
        );
        // a reload of the ended run's document (a script, a link to itself): a new document, a new hello
        post(m.el, { do: 'navigate', url: frame.src });
        await closed;
        // everything it sent before the page's pong was handled has been sent: a port keeps its order
        await portBarrier(m.el);
        const said = reports.filter((f) => f.event === 'port-message').map((f) => f.type);
        expect(said).to.deep.equal(['close']);
        expect(reports.filter((f) => f.event === 'init')).to.deep.equal([]);
        expect(JSON.stringify(reports)).not.to.include(SECRET);
        expect(m.terminal()).to.have.length(1);
      } finally {
        removeEventListener('message', record);
      }
    });
});
