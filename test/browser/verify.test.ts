import { expect } from '@open-wc/testing';
import { FaceSignError, verify } from '../../src/index.js';
import { SECRET, commandWindow, hostedUrl, postWindow, tick } from './fixture.js';
import { command, mountReady, until, waitFor } from './helpers.js';

/** the element verify() created last (a settled one stays a moment before it is removed) */
const latest = () => [...document.querySelectorAll('facesign-verify')].at(-1);
const frameWin = () => latest()?.shadowRoot?.querySelector('iframe')?.contentWindow;
async function connected() {
  for (let i = 0; i < 300 && latest()?.status !== 'requiresInput'; i++) await tick(10);
}

describe('verify(): the promise API', () => {
  afterEach(async () => {
    // settled elements are removed a moment after the end
    for (let i = 0; i < 200 && document.querySelector('facesign-verify'); i++) await tick(10);
  });

  it('opens a modal and resolves complete with the session id; the element is removed once the page closes it', async () => {
    const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    const el = latest()!;
    expect(el.mode).to.equal('modal');
    await connected();
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    await commandWindow(frameWin, { do: 'send', method: 'completed', args: ['fs_session_9'] });
    expect(await p).to.deep.equal({ status: 'complete', sessionId: 'fs_session_9' });
    // the hosted page's end screen stays until it asks to close
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    // the close request travels over the port, the fixture's acknowledgement over the window: wait for the close
    const closed = new Promise((r) => el.addEventListener('facesign-close', r, { once: true }));
    await commandWindow(frameWin, { do: 'send', method: 'closeRequest', args: [] });
    await closed;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    for (let i = 0; i < 200 && el.isConnected; i++) await tick(10);
    expect(el.isConnected).to.equal(false);
  });

  it('resolves canceled with the reason', async () => {
    const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    await connected();
    await commandWindow(frameWin, { do: 'send', method: 'canceled', args: ['user_canceled'] });
    expect(await p).to.deep.equal({ status: 'canceled', reason: 'user_canceled' });
  });

  it('rejects with the FaceSignError of a non-recoverable error (bad options included)', async () => {
    const err = await verify({ clientSecret: 'sk_test_oops_123456', verifyUrl: hostedUrl() }).then(
      () => null,
      (e) => e,
    );
    expect(err).to.be.instanceOf(FaceSignError);
    expect(err.code).to.equal('invalid_client_secret');
    const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    await connected();
    // no acknowledgement to wait for: a fatal error removes the frame at once
    postWindow(frameWin()!, { do: 'send', method: 'error', args: ['session_finished', 'already done', false] });
    const e2 = await p.then(
      () => null,
      (e) => e,
    );
    expect([e2.code, e2.recoverable]).to.deep.equal(['session_finished', false]);
  });

  it('a second call while one is open rejects with already_open, and never opens two modals', async () => {
    const first = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    const err = await verify({ clientSecret: SECRET, verifyUrl: hostedUrl() }).then(
      () => null,
      (e) => e,
    );
    expect(err.code).to.equal('already_open');
    expect(document.querySelectorAll('facesign-verify').length).to.equal(1);
    await connected();
    await commandWindow(frameWin, { do: 'send', method: 'canceled', args: ['user_canceled'] });
    await first;
    // settled: a new one may open
    const again = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    await connected();
    await commandWindow(frameWin, { do: 'send', method: 'completed', args: ['s2'] });
    expect((await again).status).to.equal('complete');
  });

  it('inline mode goes into the given container', async () => {
    const box = document.createElement('div');
    document.body.append(box);
    const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), mode: 'inline', container: box });
    expect(box.querySelector('facesign-verify')).to.not.equal(null);
    await connected();
    await commandWindow(frameWin, { do: 'send', method: 'completed', args: ['s3'] });
    expect((await p).status).to.equal('complete');
    box.remove();
  });

  it('an AbortSignal closes it: one terminal facesign-cancel, the promise rejects with an AbortError', async () => {
    const ctl = new AbortController();
    const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), signal: ctl.signal });
    const el = latest()!;
    const events: string[] = [];
    for (const t of ['facesign-cancel', 'facesign-complete', 'facesign-close']) el.addEventListener(t, () => events.push(t));
    await connected();
    ctl.abort();
    const err = await p.then(
      () => 'resolved',
      (e: Error) => e,
    );
    expect((err as Error).name).to.equal('AbortError');
    expect(events).to.deep.equal(['facesign-cancel', 'facesign-close']);
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
  });

  it('an already aborted signal rejects at once and opens nothing', async () => {
    const err = await verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), signal: AbortSignal.abort() }).catch((e: Error) => e);
    expect((err as Error).name).to.equal('AbortError');
    expect(document.querySelector('facesign-verify')).to.equal(null);
  });

  it('takes every option the element takes, and names an unknown one', async () => {
    const err = await verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), refreshMargn: 5 } as never).catch((e: FaceSignError) => e);
    expect([(err as FaceSignError).code, (err as FaceSignError).message]).to.deep.equal(['invalid_option', 'verify() has no option "refreshMargn"']);
    const p = verify({
      clientSecret: SECRET,
      verifyUrl: hostedUrl(),
      expireAt: 2_000_000_000,
      refreshMargin: 5,
      loadTimeout: 12_345,
      refreshRetries: 1,
      lang: 'de',
    });
    const el = latest()!;
    expect([el.expireAt, el.refreshMargin, el.loadTimeout, el.refreshRetries, el.lang]).to.deep.equal([2_000_000_000, 5, 12_345, 1, 'de']);
    await connected();
    el.close();
    expect(await p).to.deep.equal({ status: 'canceled', reason: 'closed' });
  });

  it('fetchClientSecret alone starts it', async () => {
    const p = verify({ fetchClientSecret: async () => SECRET, verifyUrl: hostedUrl() });
    await connected();
    await commandWindow(frameWin, { do: 'send', method: 'completed', args: ['fs_from_fetch'] });
    expect(await p).to.deep.equal({ status: 'complete', sessionId: 'fs_from_fetch' });
  });
});

/** How a verify() call ended within `ms`: its rejection, its result, or 'pending'. */
const within = (p: Promise<unknown>, ms = 1000) =>
  Promise.race([
    p.then(
      (ok) => ({ ok }),
      (err: unknown) => ({ err }),
    ),
    tick(ms).then(() => 'pending' as const),
  ]);

const elements = () => document.querySelectorAll('facesign-verify').length;

/** A valid verify() opens and connects: nothing was left locked. Closed again, it is removed. */
async function opensAfterwards() {
  const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
  await connected();
  latest()!.close();
  expect(await p).to.deep.equal({ status: 'canceled', reason: 'closed' });
}

describe('verify(): bad options reject with invalid_option and lock nothing', () => {
  afterEach(async () => {
    for (let i = 0; i < 200 && document.querySelector('facesign-verify'); i++) await tick(10);
  });

  const BAD: [string, Record<string, unknown>, RegExp][] = [
    ['signal: the AbortController instead of its signal', { signal: new AbortController() }, /^signal must be an AbortSignal/],
    ['signal: a string', { signal: SECRET }, /^signal must be an AbortSignal/],
    ['signal: a plain object', { signal: { aborted: false } }, /^signal must be an AbortSignal/],
    ['container: a selector string', { mode: 'inline', container: '#verify' }, /^container must be an element/],
    ['container: a number', { mode: 'inline', container: 42 }, /^container must be an element/],
    ['container: a string, in a modal', { container: SECRET }, /^container must be an element/],
    ['mode: a word it does not know', { mode: 'popup' }, /^mode must be one of inline, modal/],
  ];
  for (const [name, bad, message] of BAD) {
    it(`${name}: names the option and what it expects, and the next verify() opens`, async () => {
      const before = elements();
      const got = await within(verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), ...bad } as never));
      expect(got).to.have.property('err');
      const err = (got as { err: FaceSignError }).err;
      expect(err).to.be.instanceOf(FaceSignError);
      expect([err.code, err.recoverable]).to.deep.equal(['invalid_option', false]);
      expect(err.message).to.match(message);
      // a value may be a secret: it is never repeated
      expect(err.message).to.not.include(SECRET);
      expect(elements(), 'no element left in the page').to.equal(before);
      await opensAfterwards();
    });
  }
});

describe('verify(): an inline container that is not in the document', () => {
  afterEach(async () => {
    for (let i = 0; i < 200 && document.querySelector('facesign-verify'); i++) await tick(10);
  });

  it('rejects at once with invalid_option saying it must be in the document, and leaves nothing behind', async () => {
    const box = document.createElement('div'); // never appended
    const before = elements();
    const got = await within(verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), mode: 'inline', container: box }));
    expect(got).to.have.property('err');
    const err = (got as { err: FaceSignError }).err;
    expect(err.code).to.equal('invalid_option');
    expect(err.message).to.match(/^container must be in the document/);
    expect(box.childNodes.length, 'nothing put into the container').to.equal(0);
    expect(elements(), 'no element left in the page').to.equal(before);
    await opensAfterwards();
  });

  it('one in a shadow root that is in the document works', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), mode: 'inline', container: root });
    const el = root.querySelector('facesign-verify')!;
    expect(el).to.not.equal(null);
    for (let i = 0; i < 300 && el.status !== 'requiresInput'; i++) await tick(10);
    await commandWindow(() => el.shadowRoot!.querySelector('iframe')!.contentWindow, { do: 'send', method: 'completed', args: ['fs_in_shadow'] });
    expect(await p).to.deep.equal({ status: 'complete', sessionId: 'fs_in_shadow' });
    host.remove();
  });
});

describe('verify(): the terminal event first, and the hosted page’s end screen stays', () => {
  afterEach(async () => {
    for (let i = 0; i < 200 && document.querySelector('facesign-verify'); i++) await tick(10);
  });

  it('a document listener sees facesign-complete before facesign-close; the modal stays until the page asks to close', async () => {
    const seen: string[] = [];
    const on = (e: Event) => seen.push(e.type);
    document.addEventListener('facesign-complete', on);
    document.addEventListener('facesign-close', on);
    try {
      const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
      const el = document.querySelector('facesign-verify')!;
      await until(
        () => el.status,
        (s) => s === 'requiresInput',
        'ready',
      );
      const win = () => el.shadowRoot!.querySelector('iframe')?.contentWindow;
      await commandWindow(win, { do: 'send', method: 'completed', args: ['fs_session_12'] });
      expect(await p).to.deep.equal({ status: 'complete', sessionId: 'fs_session_12' });
      expect(seen).to.deep.equal(['facesign-complete']);
      // the end screen: the dialog and its frame are still there
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
      expect(el.shadowRoot!.querySelector('iframe')).to.not.equal(null);
      await commandWindow(win, { do: 'send', method: 'closeRequest', args: [] });
      await until(
        () => seen.length,
        (n) => n > 1,
        'the close',
      );
      expect(seen).to.deep.equal(['facesign-complete', 'facesign-close']);
      await until(
        () => el.isConnected,
        (v) => !v,
        'the element removed',
      );
    } finally {
      document.removeEventListener('facesign-complete', on);
      document.removeEventListener('facesign-close', on);
    }
  });

  it('an element listener that closes inside facesign-complete: every listener still sees complete first', async () => {
    const m = await mountReady();
    const seen: string[] = [];
    document.addEventListener('facesign-complete', (e) => seen.push(e.type), { once: true });
    document.addEventListener('facesign-close', (e) => seen.push(e.type), { once: true });
    m.el.addEventListener('facesign-complete', () => m.el.close(), { once: true });
    await command(m.el, { do: 'send', method: 'completed', args: ['fs_session_12b'] });
    await waitFor(m, 'facesign-close');
    expect(seen).to.deep.equal(['facesign-complete', 'facesign-close']);
  });
});
