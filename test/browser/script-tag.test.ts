// The script-tag build (dist/facesign-verify.iife.js, built by `npm run build`) in a page with no bundler and no
// module of ours: it registers the element and exposes window.FaceSign. Then the npm copy loads on the same page.
import { expect } from '@open-wc/testing';
import { FRAME_ORIGIN, SECRET, commandWindow, hostedUrl, tick } from './fixture.js';

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

  it('a Spanish element: no English words while its texts come from beside the script, then its own', async () => {
    type El = HTMLElement & { texts(): { loading: string; frameTitle: string }; clientSecret: string; verifyUrl: string; status: string };
    const el = document.createElement('facesign-verify') as El;
    el.lang = 'es';
    // pending until the languages part is here (test/browser/script-tag-parts.test.ts): no English meanwhile
    expect(el.texts().loading).to.equal('');
    el.verifyUrl = hostedUrl('ready=manual');
    el.clientSecret = SECRET;
    document.body.append(el);
    try {
      for (let i = 0; i < 300 && el.shadowRoot?.querySelector('iframe')?.title !== 'Verificación de identidad FaceSign'; i++) await tick(10);
      expect(el.shadowRoot!.querySelector('iframe')?.title).to.equal('Verificación de identidad FaceSign');
      expect(el.texts().loading).to.equal('Cargando la verificación…');
    } finally {
      el.remove();
    }
  });

  it('runs a flow with FaceSign.verify against the test hosted page (verify() itself a part beside the script)', async () => {
    const p = FaceSign()!.verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    const win = () => document.querySelector('facesign-verify')?.shadowRoot?.querySelector('iframe')?.contentWindow;
    // the element comes once verify()'s part is here
    for (let i = 0; i < 300 && (document.querySelector('facesign-verify') as unknown as { status: string } | null)?.status !== 'requiresInput'; i++)
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

/**
 * The two script tags side by side, each in a page of its own (one registry each): the same error codes for the
 * same bad inputs, each message naming its property, the same events in the same order for a whole session; the
 * development build alone warns and explains.
 */
describe('script tag: the production and development builds behave the same', () => {
  type Run = { errors: [string, string][]; events: string[]; warnings: string[]; messages: string[] };
  const frames: HTMLIFrameElement[] = [];
  after(() => frames.forEach((f) => f.remove()));

  async function runIn(file: string): Promise<Run> {
    const frame = document.createElement('iframe');
    frame.src = '/test/fixtures/blank.html';
    frames.push(frame);
    await new Promise((r) => ((frame.onload = r), document.body.append(frame)));
    const win = frame.contentWindow as Window & typeof globalThis & { FaceSign: Global };
    const doc = frame.contentDocument!;
    const warnings: string[] = [];
    win.console.warn = (...a: unknown[]) => warnings.push(a.map(String).join(' '));
    const script = doc.createElement('script');
    script.src = `/dist/${file}`;
    await new Promise(
      (resolve, reject) => (
        (script.onload = resolve),
        (script.onerror = () => reject(new Error(`dist/${file}: run npm run build`))),
        doc.head.append(script)
      ),
    );
    // bad inputs, one element each: [code, message]
    const bad: Record<string, unknown>[] = [
      { clientSecret: 'sk_live_abcdefghijkl' },
      { clientSecret: 'https://verify.facesign.ai/?client_secret=x' },
      { clientSecret: 42 },
      { verifyUrl: 'http://verify.facesign.ai/' },
      { mode: 'sideways' },
      { lang: 'not a tag!' },
      { loadTimeout: -1 },
      { refreshUrl: 'ftp://x.example/' },
      { returnUrl: 'http://127.0.0.1:9/back' },
      { fallback: 'sometimes' },
      { expireAt: 'soon' },
    ];
    const errors: [string, string][] = [];
    for (const props of bad) {
      const el = Object.assign(doc.createElement('facesign-verify'), { clientSecret: SECRET, verifyUrl: hostedUrl() }, props);
      let err: { code: string; message: string } | undefined;
      el.addEventListener('facesign-error', (e) => (err = (e as CustomEvent).detail));
      doc.body.append(el);
      await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      el.remove();
      errors.push([err?.code ?? 'none', err?.message ?? '']);
    }
    // an old name, used: only the development build says so
    Object.assign(doc.createElement('facesign-verify'), { expiresAt: 1_800_000_000 });
    // a whole session through verify(): every event it dispatches, in order
    const events: string[] = [];
    const names = ['ready', 'start', 'step', 'complete', 'cancel', 'error', 'close-request', 'close', 'secret-request', 'fallback'];
    for (const n of names) doc.addEventListener(`facesign-${n}`, (e) => events.push(e.type), true);
    const done = win.FaceSign.verify({ clientSecret: SECRET, verifyUrl: hostedUrl(), mode: 'inline', container: doc.body } as object);
    const el = () => doc.querySelector('facesign-verify') as (HTMLElement & { status: string }) | null;
    for (let i = 0; i < 500 && el()?.status !== 'requiresInput'; i++) await tick(10);
    const hosted = () => el()?.shadowRoot?.querySelector('iframe')?.contentWindow;
    // from the page the element is in (the test fixture takes commands from its host window only): a function of
    // that page's realm posts it
    new win.Function('w', 'o', 'm', 'w.postMessage(m, o)')(hosted(), FRAME_ORIGIN, {
      cmd: { do: 'send', method: 'completed', args: ['fs_session_builds'] },
      id: 1,
    });
    expect(await done).to.deep.equal({ status: 'complete', sessionId: 'fs_session_builds' });
    return { errors, events, warnings, messages: errors.map((e) => e[1]) };
  }

  it('same codes and events; the development build warns and explains, production names the property briefly', async function () {
    this.timeout(20_000);
    const prod = await runIn('facesign-verify.iife.js');
    const dev = await runIn('facesign-verify.dev.iife.js');
    const codes = (r: Run) => r.errors.map((e) => e[0]);
    expect(codes(prod)).to.deep.equal([
      'invalid_client_secret',
      'invalid_client_secret',
      'invalid_client_secret',
      'invalid_verify_url',
      'invalid_option',
      'invalid_option',
      'invalid_option',
      'invalid_option',
      'invalid_option',
      'invalid_option',
      'invalid_option',
    ]);
    expect(codes(dev)).to.deep.equal(codes(prod));
    // every message starts with the property's name in both builds; the development one says more (or the same)
    const props = [
      'clientSecret',
      'clientSecret',
      'clientSecret',
      'verifyUrl',
      'mode',
      'lang',
      'loadTimeout',
      'refreshUrl',
      'returnUrl',
      'fallback',
      'expireAt',
    ];
    props.forEach((p, i) => {
      expect(prod.messages[i], p).to.match(new RegExp(`^${p} `));
      expect(dev.messages[i], p).to.match(new RegExp(`^${p} `));
      expect(dev.messages[i]!.length, p).to.be.at.least(prod.messages[i]!.length);
    });
    expect(prod.messages[0]).to.equal('clientSecret is an API key (sk_…)');
    expect(dev.messages[0]).to.equal('clientSecret is an API key (sk_…): use the session clientSecret.secret, keep sk_ keys on your server');
    expect(dev.events).to.deep.equal(prod.events);
    expect(prod.events).to.deep.equal(['facesign-ready', 'facesign-complete']);
    expect(prod.warnings).to.deep.equal([]);
    expect(dev.warnings.filter((w) => w.startsWith('[facesign-verify] expiresAt'))).to.have.length(1);
  });
});
