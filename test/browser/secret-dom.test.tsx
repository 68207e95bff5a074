/**
 * The client secret stays out of the DOM: the `client-secret` attribute is read once and removed, the value kept
 * in memory. A recorder like a session-replay tool's (a MutationObserver that reads attribute values and
 * serializes added nodes when its callback runs) must never see it.
 */
import { expect } from '@open-wc/testing';
import { StrictMode, act, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp, h, nextTick, ref } from 'vue';
import { SECRET, cleanup, fromFixture, hostedUrl, tick } from './helpers.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const SECOND = 'vs_second_secret_in_dom_77';

/** Every warning this page got, from before the first test: the development build warns once per page. */
const pageWarnings: string[] = [];
const realWarn = console.warn;
console.warn = (...a: unknown[]) => (pageWarnings.push(a.map(String).join(' ')), realWarn(...a));

/** What a session-replay recorder would have captured. */
function recorder() {
  const captured: string[] = [];
  const mo = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') captured.push(`${r.attributeName}=${(r.target as Element).getAttribute(r.attributeName!)}`);
      for (const n of r.addedNodes) if (n instanceof Element) captured.push(n.outerHTML);
    }
  });
  mo.observe(document.body, { subtree: true, attributes: true, childList: true, attributeOldValue: false });
  return {
    captured,
    /** also a full snapshot, as a recorder takes at the start */
    snapshot: () => document.body.outerHTML,
    stop: () => (mo.takeRecords(), mo.disconnect()),
  };
}

const initOf = (el: Element) =>
  fromFixture(
    () => el.shadowRoot?.querySelector('iframe')?.contentWindow,
    (f) => f.event === 'init',
  ).then((f) => (f.init as { secret: string }).secret);

describe('the client secret stays out of the DOM', () => {
  afterEach(cleanup);

  it('setAttribute on a connected element: read, removed in the same task, the session gets it', async () => {
    const rec = recorder();
    const el = document.createElement('facesign-verify');
    el.setAttribute('verify-url', hostedUrl());
    document.body.append(el);
    const init = initOf(el);
    el.setAttribute('client-secret', SECRET);
    // synchronously: the attribute is gone before any other script runs
    expect(el.hasAttribute('client-secret')).to.equal(false);
    expect(el.clientSecret).to.equal(SECRET);
    expect(await init).to.equal(SECRET);
    await tick();
    const seen = [...rec.captured, rec.snapshot()].join('\n');
    rec.stop();
    expect(seen).not.to.include(SECRET);
    el.remove();
  });

  it('markup inserted with innerHTML: the recorder sees the element without the secret', async () => {
    const rec = recorder();
    const host = document.createElement('div');
    document.body.append(host);
    host.innerHTML = `<facesign-verify client-secret="${SECRET}" verify-url="${hostedUrl()}"></facesign-verify>`;
    const el = host.firstElementChild as HTMLElement & { clientSecret: string };
    expect(el.hasAttribute('client-secret')).to.equal(false);
    expect(await initOf(el)).to.equal(SECRET);
    const seen = [...rec.captured, rec.snapshot()].join('\n');
    rec.stop();
    expect(seen).not.to.include(SECRET);
    host.remove();
  });

  it('React setting the attribute on the raw element, then a new value on re-render: a new session, never in the DOM', async () => {
    const rec = recorder();
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    let setSecret!: (s: string) => void;
    function App() {
      const [s, set] = useState(SECRET);
      setSecret = set;
      return <facesign-verify client-secret={s} verify-url={hostedUrl()} />;
    }
    await act(async () =>
      root.render(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
    );
    const el = container.querySelector('facesign-verify')!;
    expect(await initOf(el)).to.equal(SECRET);
    const next = initOf(el);
    await act(async () => setSecret(SECOND));
    expect(await next).to.equal(SECOND);
    expect(el.hasAttribute('client-secret')).to.equal(false);
    const seen = [...rec.captured, rec.snapshot()].join('\n');
    rec.stop();
    expect(seen).not.to.include(SECRET);
    expect(seen).not.to.include(SECOND);
    await act(async () => root.unmount());
    container.remove();
  });

  it('Vue re-rendering with a new client-secret: a new session, never in the DOM', async () => {
    const rec = recorder();
    const host = document.createElement('div');
    document.body.append(host);
    const secret = ref(SECRET);
    const app = createApp({ setup: () => () => h('facesign-verify', { 'client-secret': secret.value, 'verify-url': hostedUrl() }) });
    app.mount(host);
    const el = host.querySelector('facesign-verify')!;
    expect(await initOf(el)).to.equal(SECRET);
    const next = initOf(el);
    secret.value = SECOND;
    await nextTick();
    expect(await next).to.equal(SECOND);
    const seen = [...rec.captured, rec.snapshot()].join('\n');
    rec.stop();
    expect(seen).not.to.include(SECRET);
    expect(seen).not.to.include(SECOND);
    app.unmount();
    host.remove();
  });
});

describe('a recorder that keeps old attribute values (MutationObserver attributeOldValue, as session replay may)', () => {
  afterEach(cleanup);

  /** Records every attribute change with the value it replaced, and every warning. */
  function oldValues() {
    const captured: string[] = [];
    const mo = new MutationObserver((records) => {
      for (const r of records)
        if (r.type === 'attributes') captured.push(`${r.attributeName}: ${r.oldValue} -> ${(r.target as Element).getAttribute(r.attributeName!)}`);
    });
    mo.observe(document.body, { subtree: true, attributes: true, attributeOldValue: true });
    return {
      captured,
      stop: () => {
        captured.push(...mo.takeRecords().map((r) => `${r.attributeName}: ${r.oldValue}`));
        mo.disconnect();
      },
    };
  }

  it('receives the client-secret attribute’s value as the old value of its removal: the development build says to set the property', async () => {
    const rec = oldValues();
    try {
      for (const secret of [SECRET, SECOND]) {
        const el = document.createElement('facesign-verify');
        el.setAttribute('verify-url', hostedUrl());
        document.body.append(el);
        const init = initOf(el);
        el.setAttribute('client-secret', secret);
        expect(el.hasAttribute('client-secret')).to.equal(false);
        expect(await init).to.equal(secret);
        el.remove();
      }
    } finally {
      rec.stop();
    }
    // what README's Security section warns of: removed in the same task, and still recorded with its old value
    expect(rec.captured.join('\n')).to.include(`client-secret: ${SECRET} -> null`);
    // once per page (the tests above set the attribute too), in development only; never the secret itself
    const mine = pageWarnings.filter((w) => w.includes('client-secret'));
    expect(mine).to.have.length(__FACESIGN_DEV__ ? 1 : 0);
    if (__FACESIGN_DEV__) expect(mine[0]).to.include('set the clientSecret property');
    expect(pageWarnings.join('\n')).not.to.include(SECRET);
    expect(pageWarnings.join('\n')).not.to.include(SECOND);
  });

  it('never receives a secret set as the clientSecret property', async () => {
    const warned = pageWarnings.length;
    const rec = oldValues();
    try {
      const el = document.createElement('facesign-verify');
      el.setAttribute('verify-url', hostedUrl());
      document.body.append(el);
      const init = initOf(el);
      el.clientSecret = SECRET;
      expect(await init).to.equal(SECRET);
      el.remove();
    } finally {
      rec.stop();
    }
    expect(rec.captured.join('\n')).not.to.include(SECRET);
    expect(pageWarnings.slice(warned)).to.deep.equal([]);
  });
});
