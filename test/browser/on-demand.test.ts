/**
 * Rare paths on demand (issue 21): the translations and the redirect's leaving half are modules a page loads on
 * first need (src/on-demand/load.ts). This file's page starts with neither loaded, so the order of its tests
 * matters: an English session first, then another language.
 */
import { expect } from '@open-wc/testing';
import { cleanup, frameOf, hostedUrl, mount, mountReady, until } from './helpers.js';
import { fallbackNow } from '../../src/on-demand/load.js';
import { BUILT_IN, loadLangs } from '../../src/element/strings.js';

const fetched = (path: string) => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === path);
const loadingText = (el: HTMLElement) => el.shadowRoot!.querySelector('[part=loading]')?.textContent?.trim();

describe('rare paths on demand', () => {
  afterEach(cleanup);

  it('an English session loads neither the translations nor the redirect', async () => {
    const m = await mountReady({});
    expect(frameOf(m.el)!.title).to.equal('FaceSign identity verification');
    expect(fetched('/src/element/langs.ts'), 'langs.ts').to.equal(false);
    expect(fetched('/src/surfaces/redirect.ts'), 'redirect.ts').to.equal(false);
    expect(fetched('/src/on-demand/fallback-ui.ts'), 'fallback-ui.ts').to.equal(false);
    expect(fallbackNow()).to.equal(undefined);
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
    expect(fetched('/src/on-demand/fallback-ui.ts')).to.equal(true);
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
