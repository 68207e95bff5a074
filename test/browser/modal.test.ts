import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { cleanup, frameOf, mount, tick, waitFor } from './helpers.js';

const deepActive = () => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

describe('modal', () => {
  let opener: HTMLButtonElement;
  beforeEach(() => {
    opener = document.createElement('button');
    opener.textContent = 'Verify me';
    document.body.append(opener);
  });
  afterEach(() => {
    opener.remove();
    cleanup();
  });

  it('is idle and loads nothing until shown', async () => {
    const m = mount({ mode: 'modal' });
    await m.el.updateComplete;
    expect(m.el.status).to.equal('idle');
    expect(!!frameOf(m.el)).to.equal(false);
    expect(m.el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    expect(m.events).to.deep.equal([]);
  });

  it('shows a native modal dialog, moves focus in and returns it on close', async () => {
    const m = mount({ mode: 'modal' });
    opener.focus();
    m.el.show();
    await m.el.updateComplete;
    const dialog = m.el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(m.el.hasAttribute('open')).to.equal(true);
    expect(m.el.shadowRoot!.contains(deepActive())).to.equal(true);
    await waitFor(m, 'facesign-ready');
    await sendKeys({ press: 'Escape' });
    await waitFor(m, 'facesign-close');
    await tick();
    expect(dialog.open).to.equal(false);
    expect(m.el.hasAttribute('open')).to.equal(false);
    expect(deepActive()).to.equal(opener);
  });

  it('locks page scroll and restores the exact prior inline styles', async () => {
    const html = document.documentElement;
    html.style.cssText = 'color: rgb(1, 2, 3); overflow: scroll;';
    const before = html.getAttribute('style');
    expect(document.body.hasAttribute('style')).to.equal(false);
    const m = mount({ mode: 'modal' });
    m.el.show();
    await m.el.updateComplete;
    expect(getComputedStyle(html).overflow).to.equal('hidden');
    m.el.close();
    await m.el.updateComplete;
    await tick();
    expect(html.getAttribute('style')).to.equal(before);
    expect(document.body.hasAttribute('style')).to.equal(false);
    html.removeAttribute('style');
  });

  it('two open modals need two closes before scroll comes back', async () => {
    const html = document.documentElement;
    const a = mount({ mode: 'modal' });
    const b = mount({ mode: 'modal' });
    a.el.show();
    b.el.show();
    await Promise.all([a.el.updateComplete, b.el.updateComplete]);
    b.el.close();
    await b.el.updateComplete;
    await tick();
    expect(getComputedStyle(html).overflow).to.equal('hidden');
    a.el.close();
    await a.el.updateComplete;
    await tick();
    expect(html.getAttribute('style')).to.equal(null);
  });

  it('removing an open modal releases the scroll lock and returns focus', async () => {
    const m = mount({ mode: 'modal' });
    opener.focus();
    m.el.show();
    await waitFor(m, 'facesign-ready');
    m.el.remove();
    expect(document.documentElement.getAttribute('style')).to.equal(null);
    expect(deepActive()).to.equal(opener);
    expect(m.events.map((e) => e.type)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close']);
  });

  it('show() again after a close starts a new session', async () => {
    const m = mount({ mode: 'modal' });
    m.el.show();
    await waitFor(m, 'facesign-ready');
    m.el.close();
    await waitFor(m, 'facesign-close');
    m.el.show();
    await waitFor(m, 'facesign-ready', 3);
    expect(m.events.map((e) => e.type)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-close', 'facesign-ready']);
  });
});
