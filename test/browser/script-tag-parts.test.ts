// The script tag's parts (dist/facesign-verify.<part>.js, beside dist/facesign-verify.iife.js; vite.config.ts,
// src/element/on-demand/parts.ts): each test loads the script tag, pinned with README's integrity hash, into a
// page of its own (a same-origin iframe), so each has its own copy with no part loaded yet. The parts load on
// first need from beside the script, are checked against the hashes built into it, and one that cannot load
// (missing, or changed since the build) leaves the element working: in English, or on the error's cover.
import { expect } from '@open-wc/testing';
import { SECRET, hostedUrl, tick } from './fixture.js';
import { takeDown } from './pages.js';
import { until } from './helpers.js';
import { EN } from '../../src/element/texts-en.js';

type El = HTMLElement & {
  crossDevice: string;
  fetchClientSecret?: () => Promise<string>;
  refreshSecret(): Promise<void>;
  texts(): { loading: string; frameTitle: string };
  clientSecret: string;
  verifyUrl: string;
  lang: string;
};
type Page = Window &
  typeof globalThis & {
    __facesignTampered?: string;
    FaceSign: { verify(o: object): Promise<{ status: string; sessionId?: string }> };
  };
const PARTS = ['langs', 'fallback', 'redirect', 'verify', 'handoff', 'refresh'].map((p) => `/dist/facesign-verify.${p}.js`);
const LANGS = '/dist/facesign-verify.langs.js';
const FALLBACK = '/dist/facesign-verify.fallback.js';
const VERIFY = '/dist/facesign-verify.verify.js';
const HANDOFF = '/dist/facesign-verify.handoff.js';
const REFRESH = '/dist/facesign-verify.refresh.js';

let readmeHash: string;
const pages: HTMLIFrameElement[] = [];

/** A page with the script tag as README pins it, and nothing else of ours. */
async function scriptTagPage(): Promise<Page> {
  const frame = document.body.appendChild(document.createElement('iframe'));
  frame.style.cssText = 'width: 480px; height: 720px';
  pages.push(frame);
  // a page with a URL of its own (an about:blank one has the origin "null" in location.origin)
  frame.src = '/test/fixtures/blank.html';
  await new Promise((r) => frame.addEventListener('load', r, { once: true }));
  const win = frame.contentWindow as Page;
  const s = win.document.createElement('script');
  s.src = '/dist/facesign-verify.iife.js';
  s.integrity = readmeHash;
  s.crossOrigin = 'anonymous';
  await new Promise((resolve, reject) => {
    s.onload = resolve;
    s.onerror = () =>
      reject(new Error("dist/facesign-verify.iife.js did not load with README's integrity hash: run `npm run build`, then `npm run sri`"));
    win.document.head.append(s);
  });
  return win;
}

/** An element of that page, with its events' codes recorded. */
function element(win: Page, props: Partial<El>): { el: El; codes: string[]; events: string[] } {
  const el = win.document.createElement('facesign-verify') as El;
  Object.assign(el, { clientSecret: SECRET, ...props });
  const codes: string[] = [];
  const events: string[] = [];
  for (const type of ['facesign-ready', 'facesign-error', 'facesign-fallback', 'facesign-secret-refresh'])
    el.addEventListener(type, (e) => (events.push(type), type === 'facesign-error' && codes.push((e as CustomEvent).detail.code)));
  win.document.body.append(el);
  return { el, codes, events };
}

const fetchedBy = (win: Page) =>
  win.performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((p) => PARTS.includes(p));
const loadingText = (el: El) => el.shadowRoot!.querySelector('[part=loading]')?.textContent?.trim();
const primaryButton = (el: El) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]');

describe("script tag's parts: beside it, pinned by its hash", () => {
  before(async () => {
    const readme = await (await fetch('/README.md')).text();
    readmeHash = /<script src="[^"]+\/dist\/facesign-verify\.iife\.js" integrity="(sha384-[A-Za-z0-9+/=]+)"/.exec(readme)![1]!;
  });
  afterEach(async () => {
    for (const f of pages.splice(0)) f.remove();
    for (const p of PARTS) await takeDown(p, false);
  });

  it('an English page loads no part; lang="es" loads the languages from beside the script: Spanish, the frame title too', async function () {
    this.timeout(15_000);
    const win = await scriptTagPage();
    const en = element(win, { verifyUrl: hostedUrl() });
    await until(
      () => en.events,
      (e) => e.includes('facesign-ready'),
      'the English element ready',
    );
    expect(fetchedBy(win), 'parts fetched for an English page').to.deep.equal([]);
    const es = element(win, { verifyUrl: hostedUrl('ready=manual'), lang: 'es' });
    await until(
      () => es.el.shadowRoot?.querySelector('iframe')?.title,
      (t) => t === 'Verificación de identidad FaceSign',
      'the Spanish frame title',
    );
    expect(es.el.texts().loading).to.equal('Cargando la verificación…');
    expect(fetchedBy(win)).to.deep.equal([LANGS]);
    // loaded by a script element carrying the hash, removed once it ran
    const ours = [...win.document.querySelectorAll('script')].map((x) => x.src).filter((src) => src.includes('/dist/facesign-verify'));
    expect(
      ours.map((src) => new URL(src).pathname),
      'only the script tag itself',
    ).to.deep.equal(['/dist/facesign-verify.iife.js']);
  });

  it('a part that is not there (404): the element stays in English and works', async function () {
    this.timeout(15_000);
    await takeDown(LANGS, true, 404);
    const win = await scriptTagPage();
    const m = element(win, { verifyUrl: hostedUrl(), lang: 'de' });
    await until(
      () => m.events,
      (e) => e.includes('facesign-ready'),
      'ready',
    );
    await until(
      () => m.el.texts().loading,
      (t) => t === EN.loading,
      'English texts',
    );
    expect(m.el.shadowRoot!.querySelector('iframe')!.title).to.equal(EN.frameTitle);
    expect(m.codes).to.deep.equal([]);
  });

  it('a part changed since the build (its hash differs) is refused and never runs: the error’s cover, whose Try again loads the real one', async function () {
    this.timeout(15_000);
    await takeDown(FALLBACK, true, 'tampered');
    const win = await scriptTagPage();
    // an insecure page: the frame cannot verify, so the element offers a window of its own at once
    Object.defineProperty(win, 'isSecureContext', { value: false, configurable: true });
    const m = element(win, { verifyUrl: hostedUrl() });
    await until(
      () => m.codes,
      (c) => c.includes('network_error'),
      'a network_error',
    );
    await tick(50);
    expect(win.__facesignTampered, 'the changed file ran').to.equal(undefined);
    expect(fetchedBy(win)).to.include(FALLBACK);
    expect(loadingText(m.el), 'an endless spinner').to.equal(undefined);
    expect(primaryButton(m.el)?.textContent).to.equal(EN.tryAgain);
    // the file as built is back: Try again loads it, and the offer shows
    await takeDown(FALLBACK, false);
    primaryButton(m.el)!.click();
    await until(
      () => primaryButton(m.el)?.textContent,
      (t) => t === EN.popup,
      'the offer of a window of its own',
    );
    expect(win.__facesignTampered).to.equal(undefined);
  });

  it('FaceSign.verify() is a part too: not there, a recoverable network_error saying why; called again, it loads and runs', async function () {
    this.timeout(15_000);
    await takeDown(VERIFY, true, 404);
    const win = await scriptTagPage();
    const failed = await win.FaceSign.verify({ clientSecret: SECRET, verifyUrl: hostedUrl() }).then(
      () => undefined,
      (e: { code: string; recoverable: boolean; message: string }) => e,
    );
    expect(failed?.code).to.equal('network_error');
    expect(failed?.recoverable).to.equal(true);
    expect(failed?.message).to.contain('facesign-verify.verify.js');
    expect(win.document.querySelector('facesign-verify'), 'nothing opened').to.equal(null);
    await takeDown(VERIFY, false);
    const p = win.FaceSign.verify({ clientSecret: SECRET, verifyUrl: hostedUrl() });
    const el = await until(
      () => win.document.querySelector('facesign-verify'),
      (e) => !!e,
      'the element verify() opens',
    );
    // the user closes it: the promise settles as canceled
    (el as unknown as { close(): void }).close();
    expect((await p).status).to.equal('canceled');
  });
  it('continuing on the phone is a part too: cross-device="force" offers the phone, and choosing it loads the part and shows its code screen', async function () {
    this.timeout(15_000);
    const win = await scriptTagPage();
    const m = element(win, { verifyUrl: hostedUrl('handoff=on'), crossDevice: 'force' });
    await until(
      () => primaryButton(m.el)?.textContent,
      (t) => t === 'Continue on your phone',
      'the phone offered first',
    );
    primaryButton(m.el)!.click();
    await until(
      () => fetchedBy(win),
      (f) => f.includes(HANDOFF),
      'the handoff part fetched',
    );
    await until(
      () => m.el.shadowRoot!.textContent ?? '',
      (t) => t.includes('Preparing a code for your phone') || t.includes('Scan this code with your phone'),
      "the handoff's own screen",
    );
    expect(m.codes).to.deep.equal([]);
  });

  it('the refresh is a part too: none without a refresh set; with one, loaded once the page is ready, before any refresh; refreshSecret() then hands the page the new secret', async function () {
    this.timeout(15_000);
    const win = await scriptTagPage();
    const plain = element(win, { verifyUrl: hostedUrl() });
    await until(
      () => plain.events,
      (e) => e.includes('facesign-ready'),
      'ready without a refresh',
    );
    await tick(100);
    expect(fetchedBy(win), 'no refresh set: no part').to.deep.equal([]);
    const asked: number[] = [];
    const m = element(win, { verifyUrl: hostedUrl(), fetchClientSecret: () => (asked.push(1), Promise.resolve(`${SECRET}_2`)) });
    await until(
      () => m.events,
      (e) => e.includes('facesign-ready'),
      'ready with a refresh set',
    );
    await until(
      () => fetchedBy(win),
      (f) => f.includes(REFRESH),
      'the refresh part fetched after ready',
    );
    expect(asked, 'no refresh yet').to.deep.equal([]);
    await m.el.refreshSecret();
    expect(asked).to.have.length(1);
    expect(m.events).to.include('facesign-secret-refresh');
    expect(m.codes).to.deep.equal([]);
  });

  it('the refresh part not there (404): refreshSecret() fails with a recoverable secret_refresh_failed naming it, the page goes on; back, it loads and the refresh goes through', async function () {
    this.timeout(15_000);
    await takeDown(REFRESH, true, 404);
    const win = await scriptTagPage();
    const m = element(win, { verifyUrl: hostedUrl(), fetchClientSecret: () => Promise.resolve(`${SECRET}_2`) });
    await until(
      () => m.events,
      (e) => e.includes('facesign-ready'),
      'ready',
    );
    const failed = await m.el.refreshSecret().then(
      () => undefined,
      (e: { code: string; recoverable: boolean; message: string }) => e,
    );
    expect(failed?.code).to.equal('secret_refresh_failed');
    expect(failed?.recoverable).to.equal(true);
    expect(failed?.message).to.contain('facesign-verify.refresh.js');
    expect(m.codes).to.deep.equal(['secret_refresh_failed']);
    expect(m.el.shadowRoot!.querySelector('iframe'), 'the hosted page is still there').to.not.equal(null);
    await takeDown(REFRESH, false);
    await m.el.refreshSecret();
    expect(m.events).to.include('facesign-secret-refresh');
  });

  it('the handoff part not there (404): a recoverable handoff_unavailable with Try again, which verifies here', async function () {
    this.timeout(15_000);
    await takeDown(HANDOFF, true, 404);
    const win = await scriptTagPage();
    // "force": the phone's screens are asked for as soon as it is offered, before anyone could choose it
    const m = element(win, { verifyUrl: hostedUrl('handoff=on'), crossDevice: 'force' });
    await until(
      () => m.codes,
      (c) => c.includes('handoff_unavailable'),
      'handoff_unavailable',
    );
    expect(fetchedBy(win)).to.include(HANDOFF);
    expect(primaryButton(m.el)?.textContent).to.equal(EN.tryAgain);
    primaryButton(m.el)!.click();
    await until(
      () => m.events,
      (e) => e.includes('facesign-ready'),
      'the hosted page here, ready',
    );
  });
});
