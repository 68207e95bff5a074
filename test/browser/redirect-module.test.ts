/**
 * The redirect's leaving half is a module loaded on demand; one that cannot load (offline, a deploy replaced it)
 * must leave the offer drawn, with a recoverable network_error. In a page of its own: a failed import is kept per
 * document, and the redirect is offered only in a top-level page (a framed one would navigate its frame).
 */
import { expect } from '@open-wc/testing';
import { EN } from '../../src/element/strings.js';
import { cleanup, hostedUrl, mount, until } from './helpers.js';
import { takeDown } from './pages.js';

const REDIRECT = '/src/surfaces/redirect.ts';

describe('the redirect’s module failing to load', () => {
  afterEach(async () => {
    cleanup();
    await takeDown(REDIRECT, false);
  });

  it('draws the offer’s cover and its button again, with a recoverable network_error, and no navigation', async () => {
    await takeDown(REDIRECT);
    // an insecure page with fallback="redirect": the redirect is offered before anything loads
    Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
    try {
      const href = location.href;
      const m = mount({ 'verify-url': hostedUrl(), fallback: 'redirect' });
      const button = () => m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]');
      const offer = await until(button, (b) => b?.textContent === EN.redirect, 'the redirect offered');
      offer!.click();
      await until(
        () => m.events.find((e) => (e.detail as { code?: string }).code === 'network_error'),
        (e) => !!e,
        'a network_error',
      );
      await m.el.updateComplete;
      expect(m.events.find((e) => (e.detail as { code?: string }).code === 'network_error')!.detail).to.include({ recoverable: true });
      expect(m.el.shadowRoot!.querySelector('.cover p')?.textContent).to.equal(EN.insecure);
      expect(button()?.textContent).to.equal(EN.redirect);
      expect(m.terminal()).to.deep.equal([]);
      expect(location.href).to.equal(href);
    } finally {
      delete (window as { isSecureContext?: boolean }).isSecureContext;
    }
  });
});
