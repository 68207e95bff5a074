/**
 * Delegation on request (`delegate`): the frame's `allow` names `digital-credentials-get` and
 * `publickey-credentials-get` only when asked (least privilege), and `init.delegated` tells a hosted page that
 * takes part (its hello lists `delegation`) which of them it can use here.
 */
import { expect } from '@open-wc/testing';
import { cleanup, frameOf, fromFixture, hostedUrl, mount, until, waitFor } from './helpers.js';
import { HandoffSurface } from '../../src/surfaces/handoff-relay.js';
import type { SurfaceEvents } from '../../src/surfaces/surface.js';

const BASE = 'camera; microphone; fullscreen; autoplay; clipboard-write';
const frame = (m: ReturnType<typeof mount>) =>
  until(
    () => frameOf(m.el),
    (f) => !!f,
    'the frame',
  ) as Promise<HTMLIFrameElement>;
const initOf = (m: ReturnType<typeof mount>) =>
  fromFixture(
    () => frameOf(m.el)?.contentWindow,
    (x) => x.event === 'init',
  ).then((f) => f.init as Record<string, unknown>);

/** Runs `f` with the browser's DigitalCredential and PublicKeyCredential as given (a class, or undefined: absent). */
async function apis<T>(present: Record<'DigitalCredential' | 'PublicKeyCredential', boolean>, f: () => Promise<T>): Promise<T> {
  const saved = Object.keys(present).map((k) => [k, Object.getOwnPropertyDescriptor(window, k)] as const);
  for (const [k, on] of Object.entries(present))
    Object.defineProperty(window, k, { value: on ? class {} : undefined, configurable: true, writable: true });
  try {
    return await f();
  } finally {
    for (const [k, d] of saved)
      if (d) Object.defineProperty(window, k, d);
      else delete (window as unknown as Record<string, unknown>)[k];
  }
}

describe('delegate: features for the frame on request', () => {
  afterEach(cleanup);

  it('the phone’s relay (a hidden frame that only makes the link and says where the phone is) is allowed no feature at all', () => {
    const events = new Proxy({}, { get: () => () => {} }) as SurfaceEvents;
    const relay = new HandoffSurface(hostedUrl(), new URL(hostedUrl()).origin, 'relay', events);
    try {
      const box = document.createElement('div');
      document.body.append(box);
      relay.place(box);
      const iframe = box.querySelector('iframe')!;
      expect(iframe.allow).to.equal('');
      box.remove();
    } finally {
      relay.close();
    }
  });

  it('by default the frame’s allow names neither feature', async () => {
    const f = await frame(mount());
    expect(f.allow).to.equal(BASE);
  });

  it('delegate="digital-credentials-get" adds that one only; both, as an array, add both', async () => {
    expect((await frame(mount({ delegate: 'digital-credentials-get' }))).allow).to.equal(`${BASE}; digital-credentials-get`);
    cleanup();
    const el = document.createElement('facesign-verify');
    Object.assign(el, {
      clientSecret: 'vs_test123_secret_abcDEF456',
      verifyUrl: hostedUrl(),
      delegate: ['publickey-credentials-get', 'digital-credentials-get'],
    });
    document.body.append(el);
    try {
      const f = await until(
        () => el.shadowRoot?.querySelector('iframe'),
        (x) => !!x,
        'the frame',
      );
      expect(f!.allow).to.equal(`${BASE}; publickey-credentials-get; digital-credentials-get`);
    } finally {
      el.remove();
    }
  });

  it('init.delegated: the delegated features this browser has and its policy lets the frame use', async () => {
    await apis({ DigitalCredential: true, PublicKeyCredential: true }, async () => {
      const m = mount({ 'verify-url': hostedUrl('delegation=on'), delegate: 'digital-credentials-get publickey-credentials-get' });
      const init = await initOf(m);
      const f = frameOf(m.el) as HTMLIFrameElement & { featurePolicy?: { allowsFeature(x: string, o: string): boolean } };
      // where the browser tells (Chromium), only what it lets the frame use; elsewhere both
      const want = ['digital-credentials-get', 'publickey-credentials-get'].filter(
        (x) => f.featurePolicy?.allowsFeature(x, new URL(f.src).origin) ?? true,
      );
      // Chromium knows passkeys in frames: the report is not empty there either
      expect(want).to.include('publickey-credentials-get');
      expect(init.delegated).to.equal(want.join(' '));
      await waitFor(m, 'facesign-ready');
    });
  });

  it('a delegated feature this browser does not have is not reported', async () => {
    await apis({ DigitalCredential: false, PublicKeyCredential: false }, async () => {
      const m = mount({ 'verify-url': hostedUrl('delegation=on'), delegate: 'digital-credentials-get publickey-credentials-get' });
      expect(Object.keys(await initOf(m))).to.not.include('delegated');
    });
  });

  it('a hosted page that does not take part (no delegation in its hello) is not sent the field', async () => {
    await apis({ DigitalCredential: true, PublicKeyCredential: true }, async () => {
      const m = mount({ delegate: 'publickey-credentials-get' });
      expect(Object.keys(await initOf(m))).to.not.include('delegated');
    });
  });

  it('an unknown feature: invalid_option naming delegate and the two it takes, without repeating it; no iframe', async () => {
    const m = mount({ delegate: 'camera' });
    const err = (await waitFor(m, 'facesign-error')).detail as { code: string; message: string };
    expect(err).to.deep.equal({
      code: 'invalid_option',
      message: 'delegate must name digital-credentials-get and/or publickey-credentials-get (space-separated, or an array), got another word',
      recoverable: false,
    });
    expect(frameOf(m.el)).to.equal(null);
  });
});
