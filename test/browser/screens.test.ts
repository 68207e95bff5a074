/**
 * The design test: every screen the element draws itself, in light, dark and right to left, at 390 px and 320 px,
 * measured from computed styles: text contrast at least 4.5:1 (WCAG AA), touch targets at least 44 × 44 px,
 * nothing wider than the box at 320 px. And the element's own end-to-end: a dead end offers no Try again, the
 * end offers Done, the appearance reaches the screens and the hosted page.
 */
import { expect } from '@open-wc/testing';
import { SCREENS, showScreen, type Look } from '../screens/harness.js';
import { contrast, rgbOf } from '../../src/element/contrast.js';
import { BUILT_IN, isRtl, textsFor } from '../../src/element/strings.js';
import { EN } from '../../src/element/texts-en.js';
import { checkAppearance } from '../../src/element/appearance.js';
import { cleanup, command, frameOf, fromFixture, hostedUrl, mount, waitFor, withTiming } from './helpers.js';
import { render, type TemplateResult } from 'lit';
import { renderHandoff } from '../../src/element/handoff/covers.js';
import { renderOffer } from '../../src/element/offer-covers.js';
import { loadLangs } from '../../src/element/strings.js';
import type { CoverActions } from '../../src/element/cover.js';
import type { FaceSignStrings } from '../../src/element/texts-en.js';
import type { Phase } from '../../src/session/state.js';

/** The colour behind `el`: the first ancestor (across the shadow boundary) with an opaque background. */
function backgroundOf(el: Element): readonly [number, number, number] {
  for (let e: Element | null = el; e; e = e.parentElement ?? ((e.getRootNode() as ShadowRoot).host || null)) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return rgbOf(bg)!;
  }
  return [255, 255, 255];
}

/** Elements that draw text of their own (a text node child), and what they read at. */
function textContrasts(root: ShadowRoot): [string, number][] {
  const out: [string, number][] = [];
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
    const field = el.localName === 'input';
    if (!own && !field) continue;
    const ratio = contrast(rgbOf(getComputedStyle(el).color)!, backgroundOf(el));
    out.push([`${el.localName}.${el.className} "${(el.textContent || (el as HTMLInputElement).value).trim().slice(0, 30)}"`, ratio]);
  }
  return out;
}

const LOOKS: Look[] = (['light', 'dark', 'rtl'] as const).flatMap((variant) => [390, 320].map((width) => ({ variant, width })));

describe('screens: every screen readable, reachable and within 320 px', () => {
  afterEach(() => {
    document.querySelectorAll('[data-screen]').forEach((e) => e.remove());
    cleanup();
  });

  for (const name of Object.keys(SCREENS))
    it(`${name}: contrast ≥ 4.5:1, targets ≥ 44 px, no sideways overflow, in light, dark and RTL at 390 and 320 px`, async () => {
      for (const look of LOOKS) {
        const box = await showScreen(name, look);
        const root = box.getRootNode() as ShadowRoot;
        const where = `${look.variant} ${look.width}px`;
        expect(root.querySelector('.title')?.textContent?.trim(), `${where}: a title`).to.not.equal('');
        for (const [what, ratio] of textContrasts(root)) expect(ratio, `${where}: ${what} reads at ${ratio.toFixed(2)}:1`).to.be.at.least(4.5);
        for (const t of root.querySelectorAll('button, a, input')) {
          const r = t.getBoundingClientRect();
          expect(Math.min(r.width, r.height), `${where}: ${t.localName} "${t.textContent}" is ${r.width}×${r.height}`).to.be.at.least(44);
        }
        const b = box.getBoundingClientRect();
        for (const el of root.querySelectorAll('.cover *')) {
          const r = el.getBoundingClientRect();
          expect(
            r.left >= b.left - 0.5 && r.right <= b.right + 0.5,
            `${where}: ${el.localName}.${el.getAttribute('class')} overflows sideways`,
          ).to.equal(true);
        }
        const cover = root.querySelector('.cover')!;
        expect(cover.scrollWidth, `${where}: the cover scrolls sideways`).to.be.at.most(cover.clientWidth);
        box.getRootNode() && (root.host as HTMLElement).remove();
      }
    });

  it('the longest language (German) fits 320 px too', async () => {
    for (const name of Object.keys(SCREENS)) {
      const box = await showScreen(name, { variant: 'light', width: 320, lang: 'de' });
      const cover = (box.getRootNode() as ShadowRoot).querySelector('.cover')!;
      expect(cover.scrollWidth, name).to.be.at.most(cover.clientWidth);
      // the screen with its padding fits the inline box's least height (480 px) without scrolling
      const panel = cover.querySelector('.panel')!.getBoundingClientRect().height;
      expect(panel + 48, `${name}: fits the 480 px least height`).to.be.at.most(480);
    }
  });

  it('an English text inside a right-to-left layout is isolated: its full stop stays at its end', async () => {
    const box = await showScreen('error', { variant: 'rtl', width: 390 });
    const root = box.getRootNode() as ShadowRoot;
    expect(box.getAttribute('dir')).to.equal('rtl');
    for (const el of root.querySelectorAll('.title, .body, button')) expect(el.getAttribute('dir'), el.className).to.equal('auto');
    // dir=auto on English text resolves to left to right: the period is drawn at the right end, not the left
    const body = root.querySelector('.body')!;
    expect(getComputedStyle(body).direction).to.equal('ltr');
    expect(root.querySelector('.ref bdi')!.getAttribute('dir')).to.equal('ltr');
  });

  it('a pair under 4.5:1 warns in the development build, and only there', async () => {
    const warn = console.warn;
    const said: string[] = [];
    console.warn = (...a: unknown[]) => void said.push(a.join(' '));
    try {
      await showScreen('error', { variant: 'light', width: 390, appearance: { background: '#ffffff', text: '#aaaaaa' } });
    } finally {
      console.warn = warn;
    }
    const warned = said.filter((w) => /text on background \(#aaaaaa on #ffffff\) reads at 2\.3:1/.test(w));
    expect(warned.length).to.equal(__FACESIGN_DEV__ ? 1 : 0);
  });

  it('a dark background with no text colour gets light text; a light accent gets dark text on it', async () => {
    const box = await showScreen('error', { variant: 'light', width: 390, appearance: { background: '#101010', accent: '#ffd43b' } });
    const root = box.getRootNode() as ShadowRoot;
    expect(contrast(rgbOf(getComputedStyle(root.querySelector('.title')!).color)!, [16, 16, 16])).to.be.at.least(4.5);
    expect(contrast(rgbOf(getComputedStyle(root.querySelector('.retry')!).color)!, rgbOf('#ffd43b')!)).to.be.at.least(4.5);
  });
});

describe('camera problems: each on its own screen, in every language', () => {
  afterEach(() => document.querySelectorAll('[data-screen]').forEach((e) => e.remove()));

  const OWN = {
    'camera-denied': ['camera_denied', 'cameraDeniedTitle', 'cameraDenied', 'camera'],
    'no-camera': ['camera_not_found', 'noCameraTitle', 'noCamera', 'camera'],
    'camera-in-use': ['camera_in_use', 'cameraBusyTitle', 'cameraBusy', 'camera'],
    'microphone-denied': ['microphone_denied', 'micDeniedTitle', 'micDenied', 'mic'],
  } as const;

  it('its own mark, title and help, Try again, and its code as the reference, in all eight languages', async () => {
    for (const lang of ['en', ...BUILT_IN]) {
      const t = textsFor(lang, undefined).t;
      const titles = new Set<string>();
      for (const [name, [code, title, body, mark]] of Object.entries(OWN)) {
        const root = (await showScreen(name, { variant: 'light', width: 390, lang })).getRootNode() as ShadowRoot;
        const where = `${name} (${lang})`;
        expect(root.querySelector('.title')!.textContent, where).to.equal(t[title]);
        expect(root.querySelector('.body')!.textContent, where).to.equal(t[body]);
        // translated, not English left in place
        if (lang !== 'en') expect([t[title], t[body]], where).to.not.include.members([EN[title], EN[body]]);
        expect(root.querySelector('.mark')!.classList.contains(mark), where).to.equal(true);
        expect(root.querySelector('.retry')!.textContent, where).to.equal(t.tryAgain);
        expect(root.querySelector('.ref bdi')!.textContent, where).to.include(code);
        titles.add(t[title]);
        (root.host as HTMLElement).remove();
      }
      expect(titles.size, lang).to.equal(4);
    }
  });
});

describe('the modal in a right-to-left language', () => {
  afterEach(cleanup);

  it('the × sits at the inline end (the left in RTL), 44 × 44 px, readable', async () => {
    const m = mount({ mode: 'modal', lang: 'ar', 'verify-url': hostedUrl('hello=manual') });
    m.el.open = true;
    await m.el.updateComplete;
    const root = m.el.shadowRoot!;
    const dialog = root.querySelector('dialog')!.getBoundingClientRect();
    const x = root.querySelector('[part=close-button]')!;
    const r = x.getBoundingClientRect();
    expect([r.width, r.height]).to.deep.equal([44, 44]);
    expect(r.left - dialog.left, 'near the left edge').to.be.below(dialog.right - r.right);
    expect(contrast(rgbOf(getComputedStyle(x).color)!, backgroundOf(x))).to.be.at.least(4.5);
  });
});

describe('direction from the language', () => {
  it('every right-to-left language and script, not only ar/he/fa/ur', () => {
    for (const l of ['ar', 'he', 'iw', 'fa', 'ur', 'ps', 'yi', 'ckb', 'ug', 'sd', 'dv', 'pa-Arab', 'ar-EG', 'ku-Arab'])
      expect(isRtl(l), l).to.equal(true);
    for (const l of ['en', 'pa', 'ku', 'az', 'uz-Latn', 'tr', 'ja', 'zh-Hant', 'not a tag!']) expect(isRtl(l), l).to.equal(false);
  });
});

describe('appearance: checked, worn, handed to the hosted page', () => {
  afterEach(cleanup);

  it('bad input is invalid_option, naming the field and what it expects', () => {
    const bad: [unknown, RegExp][] = [
      ['dark', /must be an object/],
      [{ colorScheme: 'night' }, /colorScheme must be one of light, dark, system, got "night"/],
      [{ accent: 'blurple' }, /accent must be a CSS colour/],
      [{ accent: 12 }, /accent must be a CSS colour .*number/],
      [{ radius: -4 }, /radius must be a number of px/],
      [{ font: 'x; color: red' }, /font must be a CSS font-family list/],
      [{ colour: '#fff' }, /has no field "colour"/],
    ];
    for (const [v, msg] of bad)
      expect(() => checkAppearance(v), JSON.stringify(v))
        .to.throw(msg)
        .with.property('code', 'invalid_option');
    expect(checkAppearance({ colorScheme: 'system', accent: 'oklch(55% 0.2 260)', radius: 4, font: 'Inter, sans-serif' })).to.deep.equal({
      colorScheme: 'system',
      accent: 'oklch(55% 0.2 260)',
      radius: '4px',
      font: 'Inter, sans-serif',
    });
  });

  it('a bad appearance stops the start with invalid_option, and its screen offers no Try again', async () => {
    const m = mount({});
    m.el.appearance = { accent: 42 } as never;
    const e = (await waitFor(m, 'facesign-error')).detail as { code: string; message: string };
    expect([e.code, e.message]).to.deep.equal(['invalid_option', 'appearance.accent must be a CSS colour such as "#0a7c72", got number']);
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.querySelector('[part=retry-button]'), 'no Try again').to.equal(null);
    expect(m.el.shadowRoot!.querySelector('[part=reference]')?.textContent).to.contain('invalid_option');
  });

  it('dark: the element’s text is readable (not #333 on a dark background) and the hosted page gets the scheme and picked colours', async () => {
    const m = mount({ 'verify-url': hostedUrl('appearance=on&hello=manual') });
    m.el.appearance = { colorScheme: 'dark', accent: '#ffd43b' };
    await m.el.updateComplete;
    // the loading screen shows after 300 ms
    await new Promise((r) => setTimeout(r, 400));
    const root = m.el.shadowRoot!;
    const title = root.querySelector('[part=loading] .title')!;
    expect(contrast(rgbOf(getComputedStyle(title).color)!, rgbOf(getComputedStyle(root.querySelector('.box')!).backgroundColor)!)).to.be.at.least(7);
    void command(m.el, { do: 'connect' });
    const f = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (x) => x.event === 'init',
    );
    const sent = JSON.parse((f.init as { appearance: string }).appearance) as Record<string, string>;
    expect(sent.colorScheme).to.equal('dark');
    expect(sent.accent).to.equal('#ffd43b');
    // a light accent given without the colour on it: the page is told a readable one
    expect(contrast(rgbOf(sent.onAccent!)!, rgbOf('#ffd43b')!)).to.be.at.least(4.5);
  });

  it('the page’s colours are read (getComputedStyle) when the appearance is set or a box is new, not on every render', async () => {
    const m = mount({ 'verify-url': hostedUrl('hello=manual') });
    m.el.appearance = { background: '#0f1720' };
    await m.el.updateComplete;
    const real = window.getComputedStyle;
    let reads = 0;
    window.getComputedStyle = function (this: Window, ...a: Parameters<typeof getComputedStyle>) {
      reads++;
      return real.apply(this, a);
    };
    try {
      // renders that change nothing the appearance depends on: the loading screen's delay, a new title
      await new Promise((r) => setTimeout(r, 400));
      m.el.lang = 'de';
      await m.el.updateComplete;
      m.el.lang = 'en';
      await m.el.updateComplete;
      expect(reads, 'renders without a new appearance').to.equal(0);
      m.el.appearance = { background: '#fff8e1' };
      await m.el.updateComplete;
      expect(reads, 'a new appearance').to.be.greaterThan(0);
    } finally {
      window.getComputedStyle = real;
    }
    // and the new one is worn: dark text picked on the light background
    const box = m.el.shadowRoot!.querySelector<HTMLElement>('.box')!;
    expect(contrast(rgbOf(box.style.getPropertyValue('--_fg-auto'))!, rgbOf('#fff8e1')!)).to.be.at.least(7);
  });

  it('a hosted page that does not take the appearance is not sent it', async () => {
    const m = mount({ 'verify-url': hostedUrl() });
    m.el.appearance = { colorScheme: 'dark' };
    const f = await fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (x) => x.event === 'init',
    );
    expect(Object.keys(f.init as object)).to.not.include('appearance');
  });
});

describe('screens of the real element', () => {
  afterEach(cleanup);

  it('an sk_ key: no Try again (it would give the same error), a way forward and a reference', async () => {
    const m = mount({ 'client-secret': 'sk_live_abcdef1234567890' });
    await waitFor(m, 'facesign-error');
    await m.el.updateComplete;
    const root = m.el.shadowRoot!;
    expect(root.querySelector('[part=retry-button]')).to.equal(null);
    expect(root.querySelector('.cover')!.textContent).to.contain(EN.unusable);
    expect(root.querySelector('.cover')!.textContent).to.not.match(/page you came from/);
    expect(root.querySelector('[part=reference]')!.textContent).to.contain('invalid_client_secret');
  });

  it('a hosted page that cannot be reached says so (not "something went wrong"), with Try again and a reference', async function () {
    this.timeout(30_000);
    const m = await withTiming({ helloAfterLoad: 500 }, async () => {
      const m = mount({ 'verify-url': 'http://127.0.0.1:65531/verify', 'load-timeout': '5000' });
      await waitFor(m, 'facesign-error');
      return m;
    });
    await m.el.updateComplete;
    const root = m.el.shadowRoot!;
    expect(root.querySelector('.title')!.textContent).to.equal(EN.unreachableTitle);
    expect(root.querySelector('.body')!.textContent).to.equal(EN.unreachable);
    expect(root.querySelector('[part=retry-button]')!.textContent).to.equal(EN.tryAgain);
    expect(root.querySelector('[part=reference]')!.textContent).to.contain('hosted_page_unreachable');
  });

  it('the end says the person is done and what happens next, and Done asks the page to close (facesign-close)', async () => {
    const m = mount({});
    await waitFor(m, 'facesign-ready');
    await command(m.el, { do: 'send', method: 'completed', args: ['ses_1'] });
    await waitFor(m, 'facesign-complete');
    // the hosted page shows its own end until it is closed; then the element's end screen is what is left
    m.el.close();
    const first = m.events.length;
    await m.el.updateComplete;
    const done = m.el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry-button]')!;
    expect(done.textContent).to.equal(EN.done);
    expect(m.el.shadowRoot!.querySelector('.title')!.textContent).to.equal(EN.complete);
    expect(m.el.shadowRoot!.querySelector('.body')!.textContent).to.equal(EN.completeBody);
    done.click();
    const close = await waitFor(m, 'facesign-close', first);
    expect(close.detail).to.deep.equal({ reason: 'complete' });
  });
});

describe('the copy buttons', () => {
  // the button says "Copied" after a copy, and the screen may render again after (a language change): its label
  // must stay the template's to update, or Lit's next render finds its markers gone
  const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
  beforeEach(() => Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.resolve() } }));
  afterEach(() => {
    delete (navigator as { clipboard?: unknown }).clipboard;
    if (clipboard) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
  });
  const noop = new Proxy({}, { get: () => () => {} }) as CoverActions;
  const waiting = {
    name: 'handoff',
    handoff: { stage: 'waiting', url: 'https://verify.example/#fs_handoff=t', expiresAt: Date.now() + 600_000 },
  } as Phase;
  const inApp = { name: 'offering', stage: 'offered', reason: 'in_app', via: 'browser' } as unknown as Phase;
  const screens: [string, string, (t: FaceSignStrings, lang: string) => TemplateResult][] = [
    ['the phone’s code', '[part=copy-button]', (t, lang) => renderHandoff(waiting as Extract<Phase, { name: 'handoff' }>, t, noop, lang)],
    [
      'the in-app browser’s link',
      '[part=retry-button]',
      (t) => renderOffer(inApp as Extract<Phase, { name: 'offering' }>, t, noop) as TemplateResult,
    ],
  ];
  for (const [what, copyButton, draw] of screens)
    it(`${what}: Copy link says Copied, and the screen renders again in another language with its new label`, async () => {
      await loadLangs();
      const box = document.createElement('div');
      document.body.append(box);
      try {
        render(draw(textsFor('en', undefined).t, 'en'), box);
        const button = box.querySelector<HTMLButtonElement>(copyButton)!;
        expect(button.textContent!.trim()).to.equal(EN.copy);
        button.click();
        await new Promise((r) => setTimeout(r, 0));
        expect(button.textContent!.trim()).to.equal(EN.copied);
        if (what === 'the phone’s code') {
          // a new code comes through its 'minting' screen (a renew, a new relay), so its row is a new one: its Copy
          // has not copied it
          const minting = { name: 'handoff', handoff: { stage: 'minting' } } as Extract<Phase, { name: 'handoff' }>;
          render(renderHandoff(minting, textsFor('en', undefined).t, noop, 'en'), box);
          const renewed = {
            ...waiting,
            handoff: { ...(waiting as { handoff: object }).handoff, url: 'https://verify.example/#fs_handoff=u' },
          } as Phase;
          render(renderHandoff(renewed as Extract<Phase, { name: 'handoff' }>, textsFor('en', undefined).t, noop, 'en'), box);
          expect(box.querySelector<HTMLButtonElement>(copyButton)!.textContent!.trim()).to.equal(EN.copy);
        }
        const es = textsFor('es', undefined).t;
        render(draw(es, 'es'), box);
        expect(box.querySelector<HTMLButtonElement>(copyButton)!.textContent!.trim()).to.equal(es.copy);
      } finally {
        box.remove();
      }
    });
});
