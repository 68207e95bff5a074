/**
 * The covers that offer a path beside the frame (a popup, a redirect, the user's own browser): loaded with the
 * popup surface when a session first offers one (src/on-demand/fallback-ui.ts), never on a page whose frame works.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { intentUrl, type FaceSignFallbackReason } from '../surfaces/fallback.js';
import type { Phase } from '../session/state.js';
import type { FaceSignStrings } from './texts-en.js';
import { cover, type CoverActions } from './cover.js';

/** What the cover says for each reason the frame cannot verify (the in-app ones get their own cover). */
const REASON_TEXT: Record<FaceSignFallbackReason, keyof FaceSignStrings> = {
  camera_blocked: 'cantHere',
  frame_blocked: 'frameBlocked',
  hosted_page_lost: 'pageLost',
  popup_blocked: 'popupBlocked',
  insecure: 'insecure',
  in_app: 'inApp',
  no_camera: 'inApp',
};

/** An in-app browser: the page's link to copy, and on Android an intent that opens the default browser. */
function openInBrowser(t: FaceSignStrings): TemplateResult {
  const href = location.href;
  const copy = (e: Event) => {
    const b = e.currentTarget as HTMLButtonElement;
    void navigator.clipboard?.writeText(href).then(() => (b.textContent = t.copied));
  };
  return html`<div part="error" class="cover" role="alert">
    <p>${t.inApp}</p>
    <input part="link" readonly aria-label=${t.copy} .value=${href} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
    <button part="retry-button" class="retry" @click=${copy}>${t.copy}</button>
    ${/Android/i.test(navigator.userAgent) ? html`<a part="open-link" href=${intentUrl(href)}>${t.openBrowser}</a>` : nothing}
  </div>`;
}

/** The cover for what the session offers. */
export function renderOffer(offer: Extract<Phase, { name: 'offering' }>, t: FaceSignStrings, act: CoverActions): TemplateResult | typeof nothing {
  if (offer.via === 'browser') return openInBrowser(t);
  const why = t[REASON_TEXT[offer.reason]];
  if (offer.via === 'redirect') return cover(why, t.redirect, () => act.continueIn('redirect'));
  return cover(why, t.popup, () => act.continueIn('popup'));
}
