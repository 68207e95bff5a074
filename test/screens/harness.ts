/**
 * Every screen the element draws itself, rendered the way the element renders it: the same templates
 * (renderCover, renderOffer), the same stylesheet, inside a box with the element's `data-scheme`, `dir` and
 * appearance applied. The design test (test/browser/screens.test.ts) measures them; `npm run screens`
 * (scripts/screens.mjs) photographs them for README. A session in each phase is a plain object: only what the
 * covers read of it.
 */
import { adoptStyles, html, render } from 'lit';
import { renderCover, type CoverActions } from '../../src/element/covers.js';
import { renderOffer } from '../../src/element/offer-covers.js';
import { renderHandoff } from '../../src/element/handoff/covers.js';
import { handoffStyles } from '../../src/element/handoff/styles.js';
import { handoffTexts } from '../../src/element/handoff/texts.js';
import { styles } from '../../src/element/styles.js';
import { EN, textsFor } from '../../src/element/strings.js';
import { loadLangs } from '../../src/element/strings.js';
import { isRtl } from '../../src/element/strings.js';
import { applyAppearance } from '../../src/element/contrast.js';
import { FaceSignError, type FaceSignErrorCode } from '../../src/protocol/errors.js';
import type { Phase } from '../../src/session/state.js';
import type { Verification } from '../../src/session/verification.js';
import type { FaceSignAppearance } from '../../src/element/appearance.js';

const err = (code: string) => new FaceSignError(code as FaceSignErrorCode, `${code} (the developer's message)`, true);
const ended = (outcome: unknown): Phase => ({ name: 'ended', outcome }) as Phase;
const handoff = (h: unknown): Phase => ({ name: 'handoff', handoff: h }) as Phase;
const offer = (reason: string, via: string): Phase => ({ name: 'offering', stage: 'offered', reason, via, error: err('frame_blocked') }) as Phase;

/** Each screen: the phase that shows it. */
export const SCREENS: Record<string, Phase> = {
  loading: { name: 'starting' },
  stalled: { name: 'stalled', error: err('secret_refresh_failed') } as Phase,
  interrupted: { name: 'interrupted', error: err('load_timeout') },
  unreachable: { name: 'interrupted', error: err('hosted_page_unreachable') },
  'offer-popup': offer('frame_blocked', 'popup'),
  'offer-redirect': offer('insecure', 'redirect'),
  'in-app': offer('in_app', 'browser'),
  'popup-open': { name: 'showing', surface: { shownIn: 'window' } } as unknown as Phase,
  complete: ended({ status: 'complete', sessionId: 'ses_7Hq2xK9' }),
  canceled: ended({ status: 'canceled', reason: 'user_canceled' }),
  error: ended({ status: 'error', error: err('network_error') }),
  'dead-end': ended({ status: 'error', error: err('invalid_client_secret') }),
  // a camera problem the hosted page named, where the flow cannot go on without it
  'camera-denied': ended({ status: 'error', error: err('camera_denied') }),
  'no-camera': ended({ status: 'error', error: err('camera_not_found') }),
  'camera-in-use': ended({ status: 'error', error: err('camera_in_use') }),
  'microphone-denied': ended({ status: 'error', error: err('microphone_denied') }),
  // continuing on the phone (the computer's screens)
  'in-app-phone': offer('in_app', 'browser'),
  'phone-offer': handoff({ stage: 'offered', reason: 'computer' }),
  'phone-offer-no-camera': handoff({ stage: 'offered', reason: 'camera_not_found' }),
  'phone-code': handoff({
    stage: 'waiting',
    url: 'http://127.0.0.1:5174/?merchant=m_demo#fs_handoff=Xb7Qk2LpVn9Rt4Yw8Zc1Md6Fg3Hj5Ks0',
    expiresAt: Date.UTC(2026, 0, 1, 10, 42),
  }),
  'phone-expired': handoff({ stage: 'expired' }),
  'phone-on-phone': handoff({ stage: 'on-phone', steps: 2 }),
  'phone-left': handoff({ stage: 'left', steps: 1 }),
};

export interface Look {
  /** light, dark, or rtl (English in a right-to-left layout: the fallback case) */
  variant: 'light' | 'dark' | 'rtl';
  width: number;
  lang?: string;
  appearance?: FaceSignAppearance;
}

const noop: CoverActions = { retry() {}, continueIn() {}, stay() {}, renew() {}, cancel() {}, done() {} };

/** Renders `name` into a new host appended to `parent`; resolves with the box once the texts and the spinner are in. */
export async function showScreen(name: string, look: Look, parent: HTMLElement = document.body): Promise<HTMLElement> {
  const lang = look.lang ?? (look.variant === 'rtl' ? 'ar' : 'en');
  await loadLangs();
  const t = textsFor(lang, undefined).t;
  const phase = SCREENS[name]!;
  const session = { phase, state: { phase, progress: 'loading' }, continuation: { sessionId: 'ses_7Hq2xK9' } } as unknown as Verification;
  const cover =
    phase.name === 'offering'
      ? // an in-app browser's cover where the phone is offered too
        renderOffer(phase, t, name.endsWith('-phone') ? { ...noop, phone: handoffTexts(lang, t).phone } : noop)
      : phase.name === 'handoff'
        ? renderHandoff(phase, t, noop, lang)
        : renderCover(session, t, noop, lang);
  const host = document.createElement('div');
  host.dataset.screen = `${name}-${look.variant}-${look.width}`;
  host.style.cssText = `inline-size:${look.width}px;display:inline-block;vertical-align:top;margin:0`;
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, [styles, handoffStyles]);
  const scheme = look.appearance?.colorScheme ?? (look.variant === 'dark' ? 'dark' : 'light');
  render(html`<div part="box" class="box" data-scheme=${scheme} dir=${isRtl(lang) ? 'rtl' : 'ltr'} style="block-size:560px">${cover}</div>`, root);
  parent.append(host);
  const box = root.querySelector<HTMLElement>('.box')!;
  applyAppearance(box, look.appearance);
  // the loading cover appears after 300 ms (a fast load shows none)
  if (name === 'loading') await new Promise((r) => setTimeout(r, 350));
  return box;
}

export { EN };
