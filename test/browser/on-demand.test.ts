/**
 * Rare paths on demand (issue 21): the translations and the redirect's leaving half are modules a page loads on
 * first need (src/element/on-demand/load.ts). This file's page starts with neither loaded, so the order of its tests
 * matters: an English session first, then another language.
 */
import { expect } from '@open-wc/testing';
import { SECRET, cleanup, frameOf, hostedUrl, mount, mountReady, record, until, waitFor, type Mounted } from './helpers.js';
import { fallbackNow } from '../../src/element/on-demand/load.js';
import { BUILT_IN, EN, loadLangs } from '../../src/element/strings.js';
import type { FaceSignVerifyElement } from '../../src/index.js';
import type { timing } from '../../src/session/watch.js';
import { merchantPage, requestsFor, takeDown, type MerchantPage } from './pages.js';

const fetched = (path: string) => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === path);
const loadingText = (el: HTMLElement) => el.shadowRoot!.querySelector('[part=loading]')?.textContent?.trim();

describe('rare paths on demand', () => {
  afterEach(cleanup);

  it('an English session loads neither the translations nor the redirect', async () => {
    const m = await mountReady({});
    expect(frameOf(m.el)!.title).to.equal('FaceSign identity verification');
    expect(fetched('/src/element/langs.ts'), 'langs.ts').to.equal(false);
    expect(fetched('/src/surfaces/redirect.ts'), 'redirect.ts').to.equal(false);
    expect(fetched('/src/element/on-demand/fallback-ui.ts'), 'fallback-ui.ts').to.equal(false);
    expect(fallbackNow()).to.equal(undefined);
    // no refresh set: what asks for a new secret is never needed
    expect(fetched('/src/session/secret-refresh.ts'), 'secret-refresh.ts').to.equal(false);
  });

  it('a fallback offered: a spinner until its module arrives (no Try again to press meanwhile), then the offer', async function () {
    this.timeout(15_000);
    const m = mount({ 'verify-url': hostedUrl('frame=deny') });
    // a plain listener: the helpers' waitFor waits for the module too
    await new Promise((r) => m.el.addEventListener('facesign-fallback', r, { once: true }));
    await m.el.updateComplete;
    expect(fallbackNow(), 'not here yet').to.equal(undefined);
    const root = m.el.shadowRoot!;
    expect(root.querySelector('[part=loading]')?.textContent?.trim()).to.equal('');
    expect(root.querySelector('button')).to.equal(null);
    const offer = await until(
      () => root.querySelector('button.retry')?.textContent,
      (t) => !!t,
      'the offer',
    );
    expect(offer).to.equal('Continue in a new window');
    expect(fetched('/src/element/on-demand/fallback-ui.ts')).to.equal(true);
    expect(m.events.filter((e) => e.type === 'facesign-fallback')).to.have.length(1);
  });

  it('a language without built-in texts (or not a language at all) loads nothing: English', async () => {
    for (const lang of ['nl', 'not a tag!']) {
      const m = mount({ 'verify-url': hostedUrl('hello=manual'), lang });
      await m.el.updateComplete;
      // English at once, on whichever cover it shows (an invalid lang is an error cover)
      expect(m.el.texts().loading, lang).to.equal('Loading verification…');
    }
    expect(fetched('/src/element/langs.ts')).to.equal(false);
  });

  it('the languages worth loading langs.ts for are the ones it has', async () => {
    // a dynamic import of our own: this test runs after every check that it was not loaded yet
    const { LANGS } = await import('../../src/element/langs.js');
    expect(Object.keys(LANGS)).to.deep.equal(BUILT_IN);
  });

  it('another language loads its texts on first need: no English words meanwhile, then its own, the frame’s title too', async () => {
    const m = mount({ 'verify-url': hostedUrl('hello=manual'), lang: 'es' });
    await m.el.updateComplete;
    // before the translations arrive: the loading cover says nothing rather than English
    expect(loadingText(m.el)).to.equal('');
    await loadLangs();
    await m.el.updateComplete;
    expect(fetched('/src/element/langs.ts')).to.equal(true);
    expect(loadingText(m.el)).to.equal('Cargando la verificación…');
    expect(frameOf(m.el)!.title).to.equal('Verificación de identidad FaceSign');
    // loaded once per page: the next element renders in its language at once
    const next = mount({ 'verify-url': hostedUrl('hello=manual'), lang: 'de' });
    await next.el.updateComplete;
    expect(loadingText(next.el)).to.equal('Prüfung wird geladen…');
  });
});

/**
 * An on-demand chunk that does not load (offline, or a deploy replaced it): the server answers 503 for it
 * (wtr/unavailable.mjs). Each case runs in a page of its own (a merchant page in an iframe): a browser keeps a
 * failed dynamic import per URL for its document, and this file's page has the chunks loaded already.
 */
describe('an on-demand chunk that fails to load', () => {
  const FALLBACK_UI = '/src/element/on-demand/fallback-ui.ts';
  const REDIRECT = '/src/surfaces/redirect.ts';
  // the refresh's chunk, as a bundler makes it: the module it starts from (secret-request.ts comes with it)
  const SECRET_REFRESH = '/src/session/secret-refresh.ts';
  // (the redirect's module failing to load: redirect-module.test.ts, in a top-level page, where a redirect is offered)
  let page: MerchantPage | undefined;
  afterEach(async () => {
    page?.remove();
    page = undefined;
    await takeDown(FALLBACK_UI, false);
    await takeDown(REDIRECT, false);
    await takeDown(SECRET_REFRESH, false);
  });

  const codes = (m: Mounted) => m.events.filter((e) => e.type === 'facesign-error').map((e) => (e.detail as { code: string }).code);
  const button = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]');
  /** What the element shows: its spinner, or its cover's text and button. */
  const shows = (el: HTMLElement) => {
    const root = el.shadowRoot!;
    if (root.querySelector('[part=loading]')) return `a spinner ("${root.querySelector('[part=loading]')!.textContent!.trim()}")`;
    const cover = root.querySelector('.cover');
    return cover ? `the cover "${cover.querySelector('p')?.textContent ?? ''}" [${button(el)?.textContent ?? 'no button'}]` : 'nothing';
  };
  /** Waits for the recoverable network_error; without one, fails saying what the element shows instead. */
  async function networkError(m: Mounted) {
    try {
      await until(
        () => codes(m).includes('network_error'),
        (v) => v,
        'a network_error',
      );
    } catch {
      await m.el.updateComplete;
      expect.fail(`no network_error (errors: ${codes(m).join(', ')}); the element shows ${shows(m.el)}`);
    }
    const err = m.events.find((e) => (e.detail as { code?: string }).code === 'network_error')!.detail;
    expect(err).to.include({ recoverable: true });
    await m.el.updateComplete;
  }

  /** An element in a page of its own, recorded; `setup` runs on that page before the element is made. */
  async function inPage(props: Record<string, unknown>, setup: (p: MerchantPage) => unknown = () => {}) {
    page = await merchantPage({ sandbox: 'allow-scripts allow-same-origin' });
    await setup(page);
    const el = page.win.document.createElement('facesign-verify') as FaceSignVerifyElement;
    Object.assign(el, { clientSecret: SECRET, ...props });
    const m = record(el);
    page.win.document.body.append(el);
    return m;
  }

  /** The page's watch judges a frame that never says hello after 300 ms instead of 5 s. */
  const quickJudgment = async (p: MerchantPage) => {
    (await p.load<{ timing: typeof timing }>('/src/session/watch.ts')).timing.helloAfterLoad = 300;
  };
  const insecure = (p: MerchantPage) => Object.defineProperty(p.win, 'isSecureContext', { value: false, configurable: true });

  const offers: [string, Record<string, unknown>, (p: MerchantPage) => unknown][] = [
    ['the frame refused (frame_blocked)', { verifyUrl: hostedUrl('frame=deny') }, quickJudgment],
    ['an insecure page (before anything loads)', { verifyUrl: hostedUrl() }, insecure],
  ];
  for (const [what, props, setup] of offers)
    it(`the fallback's UI, for ${what}: a recoverable network_error and the "Try again" cover, which asks for it again`, async () => {
      await takeDown(FALLBACK_UI);
      const m = await inPage(props, setup);
      await networkError(m);
      // the error's cover, not an endless spinner
      expect(m.el.shadowRoot!.querySelector('[part=loading]'), 'the spinner').to.equal(null);
      expect(m.el.shadowRoot!.querySelector('.cover')?.textContent).to.contain(EN.error);
      expect(button(m.el)?.textContent).to.equal(EN.tryAgain);
      // not a blocked popup, and nothing that leads to the redirect
      expect(codes(m)).to.not.include('popup_blocked');
      expect(m.events.filter((e) => e.type === 'facesign-fallback').map((e) => (e.detail as { via: string }).via)).to.not.include('redirect');
      // back online: the next click gets the chunk (a new request: the failed one is kept per URL) and the offer
      await takeDown(FALLBACK_UI, false);
      button(m.el)!.click();
      await until(
        () => button(m.el)?.textContent,
        (t) => t === EN.popup,
        'the popup offered after "Try again"',
      );
      expect(m.terminal()).to.deep.equal([]);
    });

  it(`a module that cannot load: ${__FACESIGN_DEV__ ? 'the development build says which, why and what to check, once' : 'the production build says nothing'}`, async () => {
    await takeDown(FALLBACK_UI);
    const m = await inPage({ verifyUrl: hostedUrl() }, (p) => {
      const warns: string[] = [];
      (p.win as unknown as { __warns: string[] }).__warns = warns;
      p.win.console.warn = (...a: unknown[]) => warns.push(a.map(String).join(' '));
      insecure(p);
    });
    await networkError(m);
    // Try again while it is still down: a second failure, not a second warning
    button(m.el)!.click();
    await until(
      () => codes(m).filter((c) => c === 'network_error').length,
      (n) => n === 2,
      'a second network_error',
    );
    const warns = (page!.win as unknown as { __warns: string[] }).__warns.filter((w) => w.includes('did not load'));
    if (!__FACESIGN_DEV__) return void expect(warns).to.deep.equal([]);
    expect(warns).to.have.length(1);
    expect(warns[0]).to.match(/^\[facesign-verify\] the fallback's UI \(on-demand\/fallback-ui\.js\) did not load \(.+\): the error's cover/);
    expect(warns[0]).to.contain('What loads on demand');
  });

  it('what asks for a new secret: loaded once the page is ready with a refresh set; failing, refreshSecret() rejects with a recoverable secret_refresh_failed and the page goes on; back, it loads and refreshes', async () => {
    await takeDown(SECRET_REFRESH);
    const asked: number[] = [];
    const m = await inPage({ verifyUrl: hostedUrl(), fetchClientSecret: () => (asked.push(1), Promise.resolve(`${SECRET}_2`)) });
    await waitFor(m, 'facesign-ready');
    const requests = () => requestsFor(SECRET_REFRESH);
    await until(requests, (n) => n >= 1, 'its module asked for once the page is ready');
    const failed = await m.el.refreshSecret().then(
      () => undefined,
      (e: { code: string; recoverable: boolean; message: string }) => e,
    );
    expect(failed?.code).to.equal('secret_refresh_failed');
    expect(failed?.recoverable).to.equal(true);
    expect(failed?.message).to.contain('did not load');
    // which code, in every engine (WebKit's failed import names no URL)
    expect(failed?.message).to.contain('secret-refresh');
    expect(asked, 'no request without the module').to.deep.equal([]);
    expect(m.el.shadowRoot!.querySelector('iframe'), 'the hosted page is kept').to.not.equal(null);
    expect(m.terminal()).to.deep.equal([]);
    await takeDown(SECRET_REFRESH, false);
    await m.el.refreshSecret();
    expect(asked).to.have.length(1);
    expect(m.events.map((e) => e.type)).to.include('facesign-secret-refresh');
  });

  it('the fallback\'s UI, for camera_blocked from the hosted page: the "Try again" cover, not an empty "Start again" one', async () => {
    await takeDown(FALLBACK_UI);
    const m = await inPage({ verifyUrl: hostedUrl() });
    await waitFor(m, 'facesign-ready');
    page!.post(m.el.shadowRoot!.querySelector('iframe')!.contentWindow!, {
      do: 'send',
      method: 'error',
      args: ['camera_blocked', 'blocked here', true],
    });
    await networkError(m);
    expect(m.el.shadowRoot!.querySelector('.cover')?.textContent).to.contain(EN.error);
    expect(button(m.el)?.textContent).to.equal(EN.tryAgain);
    expect(codes(m)).to.not.include('popup_blocked');
  });
});
