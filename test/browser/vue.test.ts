import { expect } from '@open-wc/testing';
import { createApp, h, nextTick, ref, shallowRef } from 'vue';
import { FaceSignVerify } from '../../src/vue.js';
import { SECRET, commandWindow, hostedUrl, tick } from './fixture.js';
import { endpoint, portBarrier, until } from './helpers.js';

const elOf = (c: Element) => c.querySelector('facesign-verify')!;
const frameWin = (c: Element) => elOf(c)?.shadowRoot?.querySelector('iframe')?.contentWindow;

describe('Vue 3 wrapper', () => {
  it('mounts, passes props, emits typed events, restarts on a lang change, tears down on unmount', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const seen: string[] = [];
    const lang = ref('es');
    const ep = await endpoint([{ hang: true }]);
    const app = createApp({
      setup: () => () =>
        h(FaceSignVerify, {
          clientSecret: SECRET,
          verifyUrl: hostedUrl(),
          refreshUrl: ep.url,
          lang: lang.value,
          onReady: () => seen.push('ready'),
          onStep: (d: { nodeId: string }) => seen.push(`step:${d.nodeId}`),
          onComplete: (d: { sessionId: string }) => seen.push(`complete:${d.sessionId}`),
          onCancel: (d: { reason: string }) => seen.push(`cancel:${d.reason}`),
          onError: (d: { code: string }) => seen.push(`error:${d.code}`),
          onSecretRefresh: () => seen.push('refresh'),
        }),
    });
    app.mount(host);
    const el = elOf(host);
    expect(el.clientSecret).to.equal(SECRET);
    expect(el.lang).to.equal('es');
    for (let i = 0; i < 300 && !seen.includes('ready'); i++) await tick(10);
    await commandWindow(() => frameWin(host), { do: 'send', method: 'step', args: ['n1', 'conversation'] });
    await portBarrier(elOf(host));
    expect(seen).to.deep.equal(['ready', 'step:n1']);
    // a prop change: lang changes mid-session, which starts a new one
    lang.value = 'de';
    await nextTick();
    expect(el.lang).to.equal('de');
    for (let i = 0; i < 300 && seen.filter((s) => s === 'ready').length < 2; i++) await tick(10);
    expect(seen).to.deep.equal(['ready', 'step:n1', 'cancel:replaced', 'ready']);
    // mid-flow: a refresh request is in flight when Vue unmounts
    void el.refreshSecret();
    await until(ep.log, (l) => l.length === 1, 'the refresh request');
    app.unmount();
    expect(el.isConnected).to.equal(false);
    // the unmount cancelled it: nothing of that session can report afterwards
    await until(ep.log, (l) => l[0]!.aborted, 'the request to be aborted');
    expect(seen.slice(4)).to.deep.equal(['cancel:removed']);
    host.remove();
  });

  it('the raw element with a runtime template and compilerOptions.isCustomElement', async () => {
    const { createApp: createFull } = await import('vue/dist/vue.esm-bundler.js');
    await import('../../src/index.js');
    const host = document.createElement('div');
    document.body.append(host);
    const seen: string[] = [];
    const app = createFull({
      template: `<facesign-verify :client-secret="secret" :verify-url="url" @facesign-ready="onReady"></facesign-verify>`,
      data: () => ({ secret: SECRET, url: hostedUrl() }),
      methods: { onReady: () => seen.push('ready') },
    });
    app.config.compilerOptions.isCustomElement = (tag: string) => tag === 'facesign-verify';
    app.mount(host);
    for (let i = 0; i < 300 && !seen.includes('ready'); i++) await tick(10);
    expect(seen).to.deep.equal(['ready']);
    app.unmount();
    host.remove();
  });
});

describe('Vue 3 wrapper: props of every kind', () => {
  /** Every prop but `open` (a Boolean prop: Vue makes an absent one false, its default) and the deprecated `expiresAt`. */
  type Props = {
    verifyUrl?: string; // strings
    lang?: string;
    mode?: 'inline' | 'modal';
    fallback?: string;
    refreshUrl?: string;
    returnUrl?: string;
    refreshCredentials?: RequestCredentials;
    loadTimeout?: number; // numbers
    refreshTimeout?: number;
    refreshRetries?: number;
    refreshRetryDelay?: number;
    refreshMargin?: number;
    expireAt?: number;
    debug?: boolean; // a boolean
    fetchClientSecret?: () => Promise<string>; // a function
    strings?: Record<string, Record<string, string>>; // an object
  };
  const first: Props = {
    verifyUrl: hostedUrl(),
    lang: 'de',
    mode: 'inline',
    fallback: 'none',
    refreshUrl: '/refresh/first',
    returnUrl: `${location.origin}/first`,
    refreshCredentials: 'omit',
    loadTimeout: 12_345,
    refreshTimeout: 2_345,
    refreshRetries: 1,
    refreshRetryDelay: 5,
    refreshMargin: 30,
    expireAt: 2_000_000_000,
    debug: false,
    fetchClientSecret: async () => SECRET,
    strings: { en: { tryAgain: 'First' } },
  };
  const second: Props = {
    verifyUrl: hostedUrl('second=1'),
    lang: 'fr',
    mode: 'inline',
    fallback: 'popup',
    refreshUrl: '/refresh/second',
    returnUrl: `${location.origin}/second`,
    refreshCredentials: 'include',
    loadTimeout: 23_456,
    refreshTimeout: 3_456,
    refreshRetries: 0,
    refreshRetryDelay: 0,
    refreshMargin: 45,
    expireAt: 2_000_000_100,
    debug: true,
    fetchClientSecret: async () => SECRET,
    strings: { en: { tryAgain: 'Second' } },
  };
  const keys = Object.keys(first) as (keyof Props)[];
  /** the element's properties, null read as unset (the element takes both as "use the default") */
  const read = (el: Element) => Object.fromEntries(keys.map((k) => [k, (el as unknown as Record<string, unknown>)[k] ?? undefined]));

  it('follows a change of each, and a prop set back to undefined gives the element its default', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const seen: string[] = [];
    const props = shallowRef<Props>(first);
    // the object form: at the default verifyUrl the hosted page comes from its url, so the session can go on
    const clientSecret = { secret: SECRET, url: hostedUrl() };
    const app = createApp({
      setup: () => () =>
        h(FaceSignVerify, {
          clientSecret,
          ...props.value,
          onReady: () => seen.push('ready'),
          onCancel: (d: { reason: string }) => seen.push(`cancel:${d.reason}`),
          onError: (d: { code: string; message: string }) => seen.push(`error:${d.code}: ${d.message}`),
        } as never),
    });
    app.mount(host);
    const el = elOf(host);
    const readies = (n: number) =>
      until(
        () => seen.filter((s) => s === 'ready' || s.startsWith('error')).length,
        (c) => c >= n,
        `ready #${n}`,
      );
    expect(read(el)).to.deep.equal(first);
    await readies(1);

    props.value = second;
    await nextTick();
    expect(read(el)).to.deep.equal(second);
    await readies(2);

    props.value = {};
    await nextTick();
    // what a fresh element reads: its defaults
    expect(read(el)).to.deep.equal(read(document.createElement('facesign-verify')));
    // and the session goes on with them, at the secret's hosted page
    await readies(3);
    expect(seen).to.deep.equal(['ready', 'cancel:replaced', 'ready', 'cancel:replaced', 'ready']);
    app.unmount();
    host.remove();
  });
});
