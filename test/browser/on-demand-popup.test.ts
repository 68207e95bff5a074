/**
 * continueIn('popup') asked before the fallback's module arrived (a page calling it from its facesign-fallback
 * listener at once): the popup is tried as soon as the module is here. A page of its own, so that the module is
 * not loaded yet (on-demand.test.ts has the cover's side of it).
 */
import { expect } from '@open-wc/testing';
import { cleanup, hostedUrl, mount, until } from './helpers.js';
import { fallbackNow } from '../../src/element/on-demand/load.js';
import { EN } from '../../src/element/strings.js';

describe('the popup asked for before its module came', () => {
  afterEach(cleanup);

  it('is opened once the module is here; blocked there, the redirect is offered', async function () {
    this.timeout(15_000);
    const real = window.open;
    const opened: string[] = [];
    // the browser blocks it (no click went with it): null, as window.open gives then
    window.open = (_url?: string | URL, name?: string) => (opened.push(String(name)), null);
    try {
      const m = mount({ 'verify-url': hostedUrl('frame=deny') });
      await new Promise((r) => m.el.addEventListener('facesign-fallback', r, { once: true }));
      expect(fallbackNow(), 'not loaded yet').to.equal(undefined);
      m.el.continueIn('popup');
      expect(opened, 'nothing opened before the module').to.deep.equal([]);
      await until(
        () => opened.length,
        (n) => n === 1,
        'window.open',
      );
      expect(opened[0]).to.match(/^facesign-/);
      const redirect = await until(
        () => m.el.shadowRoot!.querySelector('button.retry')?.textContent,
        (t) => t === EN.redirect,
        'the redirect offered',
      );
      expect(redirect).to.equal(EN.redirect);
      const fallbacks = m.events.filter((e) => e.type === 'facesign-fallback').map((e) => e.detail);
      expect(fallbacks).to.deep.equal([
        { reason: 'frame_blocked', via: 'popup' },
        { reason: 'popup_blocked', via: 'redirect' },
      ]);
      expect(m.terminal()).to.deep.equal([]);
    } finally {
      window.open = real;
    }
  });
});
