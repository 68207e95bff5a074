import { expect } from '@open-wc/testing';
import { FaceSignError, verify } from '../../src/index.js';
import { SECRET, commandWindow, hostedUrl, postWindow, tick } from './fixture.js';

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

  it('opens a modal and resolves complete with the session id; the element is removed afterwards', async () => {
    const p = verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    const el = latest()!;
    expect(el.mode).to.equal('modal');
    await connected();
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    await commandWindow(frameWin, { do: 'send', method: 'completed', args: ['fs_session_9'] });
    expect(await p).to.deep.equal({ status: 'complete', sessionId: 'fs_session_9' });
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
});
