// The script-tag build (dist/facesign-verify.iife.js, built by `npm run build`) in a page with no bundler and no
// module of ours: it registers the element and exposes window.FaceSign. Then the npm copy loads on the same page.
import { expect } from '@open-wc/testing';
import { SECRET, commandWindow, hostedUrl, tick } from './fixture.js';

type Global = {
  verify: (o: object) => Promise<{ status: string; sessionId?: string }>;
  version: string;
  FaceSignVerifyElement: CustomElementConstructor;
};
const FaceSign = () => (window as unknown as { FaceSign?: Global }).FaceSign;

describe('script tag (IIFE build)', () => {
  before(async () => {
    // README's pinned tag, with its integrity hash, loading the file this build made: a stale hash in README (or a
    // build that differs from it) blocks the script and fails here (`npm run sri` updates README)
    const readme = await (await fetch('/README.md')).text();
    const tag = /<script src="[^"]+\/dist\/facesign-verify\.iife\.js" integrity="(sha384-[A-Za-z0-9+/=]+)" crossorigin="anonymous"><\/script>/.exec(
      readme,
    );
    expect(tag, "README's pinned script tag with integrity and crossorigin").to.not.equal(null);
    const script = document.createElement('script');
    script.src = '/dist/facesign-verify.iife.js';
    script.integrity = tag![1]!;
    script.crossOrigin = 'anonymous';
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () =>
        reject(new Error("dist/facesign-verify.iife.js did not load with README's integrity hash: run `npm run build`, then `npm run sri`"));
    });
    document.head.append(script);
    await loaded;
  });

  it('registers <facesign-verify> and exposes FaceSign.verify and FaceSign.version', () => {
    expect(customElements.get('facesign-verify')).to.equal(FaceSign()!.FaceSignVerifyElement);
    expect(typeof FaceSign()!.verify).to.equal('function');
    expect(FaceSign()!.version).to.match(/^\d+\.\d+\.\d+/);
  });

  it('runs a flow with FaceSign.verify against the test hosted page', async () => {
    const p = FaceSign()!.verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    const win = () => document.querySelector('facesign-verify')?.shadowRoot?.querySelector('iframe')?.contentWindow;
    for (let i = 0; i < 300 && (document.querySelector('facesign-verify') as unknown as { status: string }).status !== 'requiresInput'; i++)
      await tick(10);
    await commandWindow(win, { do: 'send', method: 'completed', args: ['fs_session_iife'] });
    expect(await p).to.deep.equal({ status: 'complete', sessionId: 'fs_session_iife' });
  });

  it('loading the npm copy too does not throw; the first definition wins, the same version does not warn', async () => {
    const warns: unknown[] = [];
    const orig = console.warn;
    console.warn = (...a: unknown[]) => warns.push(a);
    try {
      const esm = await import('../../src/index.js');
      expect(customElements.get('facesign-verify')).to.equal(FaceSign()!.FaceSignVerifyElement);
      expect(customElements.get('facesign-verify')).not.to.equal(esm.FaceSignVerifyElement);
      expect(warns).to.deep.equal([]);
    } finally {
      console.warn = orig;
    }
  });
});
