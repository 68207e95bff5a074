import { expect } from '@open-wc/testing';
import { StrictMode, act, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { FaceSignVerify } from '../../src/react.js';
import { SECRET, commandWindow, fromFixture, hostedUrl, tick } from './fixture.js';
import { endpoint, portBarrier, until } from './helpers.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const elOf = (c: Element) => c.querySelector('facesign-verify')!;
const frameWin = (c: Element) => elOf(c)?.shadowRoot?.querySelector('iframe')?.contentWindow;

describe('React wrapper (React 19, StrictMode)', () => {
  let container: HTMLDivElement;
  let root: Root;
  let handshakes = 0;
  const countHellos = (e: MessageEvent) => {
    if ((e.data as { type?: string })?.type === 'hello') handshakes++;
  };
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    handshakes = 0;
    addEventListener('message', countHellos);
  });
  afterEach(async () => {
    removeEventListener('message', countHellos);
    await act(async () => root.unmount());
    container.remove();
  });

  it('one element, one iframe, one handshake, no duplicate events; typed event props', async () => {
    const seen: string[] = [];
    let sessionId = '';
    await act(async () => {
      root.render(
        <StrictMode>
          <FaceSignVerify
            clientSecret={SECRET}
            verifyUrl={hostedUrl()}
            lang="fr"
            onReady={() => seen.push('ready')}
            onStart={() => seen.push('start')}
            onStep={(e) => seen.push(`step:${e.detail.nodeId}`)}
            onComplete={(e) => {
              seen.push('complete');
              sessionId = e.detail.sessionId;
            }}
            onCancel={() => seen.push('cancel')}
          />
        </StrictMode>,
      );
    });
    for (let i = 0; i < 300 && !seen.includes('ready'); i++) await tick(10);
    expect(container.querySelectorAll('facesign-verify').length).to.equal(1);
    expect(elOf(container).shadowRoot!.querySelectorAll('iframe').length).to.equal(1);
    expect(elOf(container).lang).to.equal('fr');
    await commandWindow(() => frameWin(container), { do: 'send', method: 'started', args: [] });
    await commandWindow(() => frameWin(container), { do: 'send', method: 'step', args: ['greeting', 'conversation'] });
    await commandWindow(() => frameWin(container), { do: 'send', method: 'completed', args: ['fs_session_r'] });
    await portBarrier(elOf(container));
    expect(seen).to.deep.equal(['ready', 'start', 'step:greeting', 'complete']);
    expect(sessionId).to.equal('fs_session_r');
    expect(handshakes).to.equal(1);
  });

  it('prop changes reach the element: mode/open for the modal, a new clientSecret starts a new session', async () => {
    const seen: string[] = [];
    let setOpen!: (v: boolean) => void;
    let setSecret!: (v: string) => void;
    function App() {
      const [open, so] = useState(false);
      const [secret, ss] = useState(SECRET);
      setOpen = so;
      setSecret = ss;
      return (
        <FaceSignVerify
          clientSecret={secret}
          verifyUrl={hostedUrl()}
          mode="modal"
          open={open}
          onReady={() => seen.push('ready')}
          onCancel={(e) => seen.push(`cancel:${e.detail.reason}`)}
          onClose={() => seen.push('close')}
        />
      );
    }
    await act(async () =>
      root.render(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
    );
    const el = elOf(container);
    expect(el.mode).to.equal('modal');
    expect(el.status).to.equal('idle');
    await act(async () => setOpen(true));
    for (let i = 0; i < 300 && !seen.includes('ready'); i++) await tick(10);
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    await act(async () => setSecret('vs_second_react_secret'));
    const init = await fromFixture(
      () => frameWin(container),
      (f) => f.event === 'init',
    );
    expect((init.init as { secret: string }).secret).to.equal('vs_second_react_secret');
    for (let i = 0; i < 300 && seen.filter((x) => x === 'ready').length < 2; i++) await tick(10);
    await act(async () => setOpen(false));
    await el.updateComplete;
    expect(seen).to.deep.equal(['ready', 'cancel:replaced', 'ready', 'cancel:closed', 'close']);
  });

  it('unmount mid-flow tears down: one cancel, then nothing', async () => {
    const seen: string[] = [];
    const ep = await endpoint([{ hang: true }]);
    await act(async () =>
      root.render(
        <StrictMode>
          <FaceSignVerify
            clientSecret={SECRET}
            verifyUrl={hostedUrl()}
            refreshUrl={ep.url}
            onReady={() => seen.push('ready')}
            onCancel={(e) => seen.push(`cancel:${e.detail.reason}`)}
            onError={(e) => seen.push(`error:${e.detail.code}`)}
            onSecretRefresh={() => seen.push('refresh')}
          />
        </StrictMode>,
      ),
    );
    for (let i = 0; i < 300 && !seen.includes('ready'); i++) await tick(10);
    const el = elOf(container);
    // mid-flow: a refresh request is in flight when React unmounts
    void el.refreshSecret();
    await until(ep.log, (l) => l.length === 1, 'the refresh request');
    await act(async () => root.render(<StrictMode>{null}</StrictMode>));
    expect(el.isConnected).to.equal(false);
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    // the unmount cancelled it: nothing of that session can report afterwards
    await until(ep.log, (l) => l[0]!.aborted, 'the request to be aborted');
    expect(seen).to.deep.equal(['ready', 'cancel:removed']);
  });

  it('a key change after a refresh: the new element goes on with the refreshed secret and the session id', async () => {
    const ep = await endpoint();
    const secrets: string[] = [];
    const onMessage = (e: MessageEvent) => {
      const f = (e.data as { fixture?: { event?: string; init?: { secret: string }; secret?: string } })?.fixture;
      if (f?.event === 'init') secrets.push(`init:${f.init!.secret}`);
      if (f?.event === 'secret') secrets.push(`secret:${f.secret!}`);
    };
    addEventListener('message', onMessage);
    try {
      const view = (key: string) => (
        <StrictMode>
          <FaceSignVerify key={key} clientSecret={SECRET} verifyUrl={hostedUrl('session=fs_session_keyed')} refreshUrl={ep.url} />
        </StrictMode>
      );
      await act(async () => root.render(view('a')));
      await until(
        () => secrets,
        (l) => l.length === 1,
        'the first init',
      );
      await elOf(container).refreshSecret();
      await until(
        () => secrets,
        (l) => l.length === 2,
        'the new secret at the page',
      );
      const refreshed = secrets[1]!.replace('secret:', '');
      expect(refreshed).to.match(/^vs_refreshed_/);
      await act(async () => root.render(view('b')));
      await until(
        () => secrets,
        (l) => l.length === 3,
        'the re-mounted element’s init',
      );
      expect(secrets[2]).to.equal(`init:${refreshed}`);
      await elOf(container).refreshSecret();
      expect((await ep.log()).at(-1)!.body).to.deep.equal({ clientSecret: refreshed, sessionId: 'fs_session_keyed' });
    } finally {
      removeEventListener('message', onMessage);
    }
  });

  it('a stale open={true} after completion and the close button does not reload the finished session', async () => {
    const seen: string[] = [];
    let rerender!: () => void;
    function App() {
      const [, setN] = useState(0);
      rerender = () => setN((n) => n + 1);
      // the pattern that used to break: open is never set back by the page
      return (
        <FaceSignVerify
          clientSecret={SECRET}
          verifyUrl={hostedUrl()}
          mode="modal"
          open={true}
          onReady={() => seen.push('ready')}
          onComplete={() => seen.push('complete')}
          onClose={() => seen.push('close')}
          onError={(e) => seen.push(`error:${e.detail.code}`)}
        />
      );
    }
    await act(async () => root.render(<App />));
    await until(
      () => seen,
      (x) => x.includes('ready'),
      'ready',
    );
    const el = elOf(container);
    await commandWindow(() => frameWin(container), { do: 'send', method: 'completed', args: ['fs_done'] });
    await until(
      () => seen,
      (x) => x.includes('complete'),
      'complete',
    );
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part=close-button]')!.click();
    await until(
      () => seen,
      (x) => x.includes('close'),
      'close',
    );
    // an unrelated re-render: @lit/react sets every property again, open={true} included
    await act(async () => rerender());
    await el.updateComplete;
    // a new session would be 'loading' now
    expect([el.status, el.open, el.shadowRoot!.querySelector('dialog')!.open]).to.deep.equal(['complete', false, false]);
    expect(seen).to.deep.equal(['ready', 'complete', 'close']);
  });

  it('the controlled pattern: onClose keeps open in sync; a new secret verifies again', async () => {
    const seen: string[] = [];
    let verifyAgain!: (secret: string) => void;
    function App() {
      const [open, setOpen] = useState(true);
      const [secret, setSecret] = useState(SECRET);
      verifyAgain = (s) => (setSecret(s), setOpen(true));
      return (
        <FaceSignVerify
          clientSecret={secret}
          verifyUrl={hostedUrl()}
          mode="modal"
          open={open}
          onReady={() => seen.push('ready')}
          onComplete={() => seen.push('complete')}
          onClose={() => (seen.push('close'), setOpen(false))}
        />
      );
    }
    await act(async () =>
      root.render(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
    );
    await until(
      () => seen,
      (x) => x.includes('ready'),
      'ready',
    );
    const el = elOf(container);
    await commandWindow(() => frameWin(container), { do: 'send', method: 'completed', args: ['fs_first'] });
    await until(
      () => seen,
      (x) => x.includes('complete'),
      'complete',
    );
    await act(async () => el.shadowRoot!.querySelector<HTMLButtonElement>('[part=close-button]')!.click());
    await until(
      () => seen,
      (x) => x.includes('close'),
      'close',
    );
    await act(async () => verifyAgain('vs_second_verification_42'));
    await until(
      () => seen,
      (x) => x.filter((e) => e === 'ready').length === 2,
      'the second ready',
    );
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    expect(seen).to.deep.equal(['ready', 'complete', 'close', 'ready']);
  });
});
