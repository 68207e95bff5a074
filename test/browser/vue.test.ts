import { expect } from '@open-wc/testing';
import { createApp, h, nextTick, ref } from 'vue';
import { FaceSignVerify } from '../../src/vue.js';
import { SECRET, commandWindow, hostedUrl, tick } from './fixture.js';
import { endpoint, portBarrier, until } from './helpers.js';

const elOf = (c: Element) => c.querySelector('facesign-verify')!;
const frameWin = (c: Element) => elOf(c)?.shadowRoot?.querySelector('iframe')?.contentWindow;

describe('Vue 3 wrapper', () => {
  it('mounts, passes props, emits typed events, follows prop changes, tears down on unmount', async () => {
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
