/**
 * What the element shows over (or instead of) the frame: loading, a stalled secret, an error or the end, and the
 * paths beside the frame (a popup, a redirect, the user's own browser). One template per state, in its texts.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { intentUrl, type FaceSignFallbackReason } from '../surfaces/fallback.js';
import type { FaceSignStatus, Session } from '../session/session.js';
import type { FaceSignStrings } from './strings.js';

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

export interface CoverActions {
  retry(): void;
  refresh(): void;
  continueIn(via: 'popup' | 'redirect'): void;
}

const cover = (text: string, label?: string, action?: () => unknown) =>
  html`<div part="error" class="cover" role="alert">
    <p>${text}</p>
    ${label ? html`<button part="retry-button" class="retry" @click=${action}>${label}</button>` : nothing}
  </div>`;

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

export function renderCover(s: FaceSignStatus, session: Session | undefined, hasFrame: boolean, t: FaceSignStrings, act: CoverActions) {
  const offer = session?.offer;
  if (session?.stall) return cover(t.stalled, t.tryAgain, act.refresh);
  if (offer && !session.ended) {
    if (offer.via === 'browser') return openInBrowser(t);
    const why = t[REASON_TEXT[offer.reason]];
    if (offer.via === 'redirect') return session.away ? nothing : cover(why, t.redirect, () => act.continueIn('redirect'));
    return session.surface?.kind === 'popup'
      ? cover(t.popupOpen, t.showPopup, () => act.continueIn('popup'))
      : cover(why, t.popup, () => act.continueIn('popup'));
  }
  if (s === 'loading') return html`<div part="loading" class="cover" role="status"><span class="spinner"></span>${t.loading}</div>`;
  if (session?.unusable) return cover(t.unusable);
  if (s === 'error' || (!hasFrame && s !== 'idle'))
    return cover(t[s as 'error' | 'canceled' | 'complete'], s === 'complete' ? '' : s === 'error' ? t.tryAgain : t.startAgain, act.retry);
  return nothing;
}
