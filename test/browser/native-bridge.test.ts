/**
 * The native bridge (`native-bridge="<name>"`): every facesign-* event, with the same detail as the DOM event,
 * forwarded to the app's native code over the one channel found (iOS WKWebView's message handler, Android's
 * @JavascriptInterface object, React Native WebView), never a secret; nothing without the setting; its listeners
 * end with the element's connection. The native objects are stand-ins with the shapes those platforms inject.
 */
import { expect } from '@open-wc/testing';
import { verify } from '../../src/index.js';
import { SECRET, cleanup, command, frameOf, hostedUrl, mount, until, waitFor, type Mounted } from './helpers.js';

const SECRET2 = 'vs_test123_secret_second789';
type Channel = 'ios' | 'android' | 'rn';
type Got = { ns: string; v: number; type: string; detail: unknown };

/** Stand-ins for the native objects; `received[channel]` is what each got, as it got it (object or JSON string). */
function natives(channels: Channel[], name = 'facesign', ios: (m: unknown) => void = () => {}) {
  const received: Record<Channel, unknown[]> = { ios: [], android: [], rn: [] };
  const restore: (() => void)[] = [];
  const put = (key: string, value: unknown) => {
    const own = Object.getOwnPropertyDescriptor(window, key);
    Object.defineProperty(window, key, { value, configurable: true, writable: true });
    restore.push(() => (own ? Object.defineProperty(window, key, own) : delete (window as unknown as Record<string, unknown>)[key]));
  };
  if (channels.includes('ios')) put('webkit', { messageHandlers: { [name]: { postMessage: (m: unknown) => (received.ios.push(m), ios(m)) } } });
  if (channels.includes('android')) put(name, { postMessage: (s: unknown) => received.android.push(s) });
  if (channels.includes('rn')) put('ReactNativeWebView', { postMessage: (s: unknown) => received.rn.push(s) });
  return {
    received,
    /** what `channel` got, parsed: iOS takes the object, Android and React Native a JSON string */
    messages: (channel: Channel): Got[] =>
      received[channel].map((m) => {
        if (channel !== 'ios') expect(m).to.be.a('string');
        return (channel === 'ios' ? m : JSON.parse(m as string)) as Got;
      }),
    restore: () =>
      restore
        .splice(0)
        .reverse()
        .forEach((f) => f()),
  };
}

/** A whole verification: ready, start, a step, a secret refresh, complete; then the element goes. */
async function verification(m: Mounted): Promise<void> {
  await waitFor(m, 'facesign-ready');
  await command(m.el, { do: 'send', method: 'started', args: [] });
  await command(m.el, { do: 'send', method: 'step', args: ['n1', 'conversation'] });
  m.el.fetchClientSecret = () => Promise.resolve(SECRET2);
  await m.el.refreshSecret();
  await command(m.el, { do: 'send', method: 'completed', args: ['sess_1'] });
  await waitFor(m, 'facesign-complete');
  m.el.remove();
}

describe('native bridge', () => {
  let n: ReturnType<typeof natives> | undefined;
  afterEach(() => {
    n?.restore();
    n = undefined;
    cleanup();
  });

  for (const channel of ['ios', 'android', 'rn'] as const)
    it(`${channel}: every facesign-* event, in order, with the DOM event’s detail and never a secret`, async () => {
      n = natives([channel]);
      const m = mount({ 'native-bridge': 'facesign' });
      await verification(m);
      const got = n.messages(channel);
      expect(got.map(({ type, detail }) => ({ type, detail }))).to.deep.equal(m.events);
      expect(got.map((g) => g.type)).to.include.members([
        'facesign-ready',
        'facesign-start',
        'facesign-step',
        'facesign-secret-refresh',
        'facesign-complete',
      ]);
      for (const g of got) expect([g.ns, g.v]).to.deep.equal(['facesign', 1]);
      const all = JSON.stringify(n.received[channel]);
      expect(all).to.not.contain(SECRET);
      expect(all).to.not.contain(SECRET2);
    });

  it('one channel: the iOS handler before an Android object, an Android object before React Native', async () => {
    n = natives(['ios', 'android', 'rn']);
    const m = mount({ 'native-bridge': 'facesign' });
    await waitFor(m, 'facesign-ready');
    expect(n.messages('ios').map((g) => g.type)).to.deep.equal(['facesign-ready']);
    expect([n.received.android, n.received.rn]).to.deep.equal([[], []]);
    n.restore();
    n = natives(['android', 'rn']);
    m.el.close();
    expect(n.messages('android').map((g) => g.type)).to.deep.equal(['facesign-cancel', 'facesign-close']);
    expect(n.received.rn).to.deep.equal([]);
  });

  it('without native-bridge nothing is forwarded, and a handler of another name hears nothing', async () => {
    n = natives(['ios', 'android'], 'other');
    const m = mount();
    await waitFor(m, 'facesign-ready');
    m.el.nativeBridge = 'facesign';
    m.el.close();
    expect([n.received.ios, n.received.android]).to.deep.equal([[], []]);
  });

  it('a window named like the handler (an iframe name="facesign") is not a channel', async () => {
    const f = document.createElement('iframe');
    f.name = 'facesign';
    document.body.append(f);
    const posted: unknown[] = [];
    f.contentWindow!.postMessage = (m: unknown) => void posted.push(m);
    try {
      const m = mount({ 'native-bridge': 'facesign' });
      await waitFor(m, 'facesign-ready');
      expect(posted).to.deep.equal([]);
    } finally {
      f.remove();
    }
  });

  it('its listeners end with the element’s connection, and start again with the next', async () => {
    n = natives(['rn']);
    const m = mount({ 'native-bridge': 'facesign' });
    await waitFor(m, 'facesign-ready');
    m.el.remove();
    const before = n.received.rn.length;
    m.el.dispatchEvent(new CustomEvent('facesign-step', { detail: { nodeId: 'x', nodeType: 'y' } }));
    expect(n.received.rn.length).to.equal(before);
    document.body.append(m.el);
    m.el.dispatchEvent(new CustomEvent('facesign-step', { detail: { nodeId: 'x', nodeType: 'y' } }));
    expect(n.messages('rn').at(-1)).to.deep.equal({ ns: 'facesign', v: 1, type: 'facesign-step', detail: { nodeId: 'x', nodeType: 'y' } });
  });

  it('a native channel that throws changes nothing for the page: its events go on', async () => {
    n = natives(['ios'], 'facesign', () => {
      throw new Error('not serializable');
    });
    const problems: unknown[] = [];
    const onError = (e: ErrorEvent) => problems.push(e.error);
    addEventListener('error', onError);
    try {
      const m = mount({ 'native-bridge': 'facesign' });
      await waitFor(m, 'facesign-ready');
      expect(n.received.ios).to.have.length(1);
      expect(frameOf(m.el)).to.not.equal(null);
      expect(problems).to.deep.equal([]);
    } finally {
      removeEventListener('error', onError);
    }
  });

  it('verify({ nativeBridge }) forwards the events of the element it makes', async () => {
    n = natives(['rn']);
    const stop = new AbortController();
    const result = verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), nativeBridge: 'facesign', signal: stop.signal });
    const types = () => n!.messages('rn').map((g) => g.type);
    await until(types, (t) => t.includes('facesign-ready'), 'facesign-ready over the bridge');
    stop.abort();
    await result.catch(() => {});
    expect(types()).to.include.members(['facesign-ready', 'facesign-cancel']);
  });

  it('a name that is not an identifier: invalid_option naming nativeBridge, without repeating it; no iframe', async () => {
    const m = mount({ 'native-bridge': 'face sign!' });
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; message: string };
    expect(err.code).to.equal('invalid_option');
    expect(err.message).to.match(
      /^nativeBridge must be the name your app’s native code listens under|^nativeBridge must be the name your app's native code/,
    );
    expect(err.message).to.not.contain('face sign!');
    expect(frameOf(m.el)).to.equal(null);
  });
});
