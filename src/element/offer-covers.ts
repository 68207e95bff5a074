/**
 * The covers that offer a path beside the frame (a popup, a redirect, the user's own browser): loaded with the
 * popup surface when a session first offers one (src/on-demand/fallback-ui.ts), never on a page whose frame works.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { intentUrl, type FaceSignFallbackReason } from '../surfaces/fallback.js';
import type { Phase } from '../session/state.js';
import type { FaceSignStrings } from './texts-en.js';
import { screen, type CoverActions } from './cover.js';

/** What the cover says for each reason the frame cannot verify (the in-app ones get their own cover). */
const REASON_TEXT: Record<FaceSignFallbackReason, keyof FaceSignStrings> = {
  camera_blocked: 'cantHere',
  frame_blocked: 'frameBlocked',
  hosted_page_lost: 'pageLost',
  popup_blocked: 'popupBlocked',
  insecure: 'insecure',
  in_app: 'inApp',
  no_camera: 'inApp',
  webview_no_camera: 'inApp',
};

/** An in-app browser: the page's link to copy, on Android an intent that opens the default browser, and the phone. */
function openInBrowser(t: FaceSignStrings, act: CoverActions): TemplateResult {
  const href = location.href;
  const copy = (e: Event) => {
    const b = e.currentTarget as HTMLButtonElement;
    void navigator.clipboard?.writeText(href).then(() => (b.textContent = t.copied));
  };
  const android = /Android/i.test(navigator.userAgent);
  const link = html`<input part="link" class="link" dir="ltr" readonly aria-label=${t.copy} .value=${href} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />`;
  // another device with a camera may be nearer than another browser (its words are the handoff's)
  const phone = act.phone ? ([act.phone, () => act.continueIn('phone')] as const) : undefined;
  return screen({
    mark: 'info',
    title: t.inAppTitle,
    body: t.inApp,
    // on Android the intent takes the secondary place, and the phone goes under the link
    extra: android && phone ? html`${link}<button part="phone-button" class="secondary" dir="auto" @click=${phone[1]}>${phone[0]}</button>` : link,
    primary: [t.copy, copy],
    // a link styled as the secondary button: the intent must be followed as a navigation
    secondary: android ? html`<a part="open-link" class="secondary" dir="auto" href=${intentUrl(href)}>${t.openBrowser}</a>` : phone,
  });
}

/** The cover for what the session offers. */
export function renderOffer(offer: Extract<Phase, { name: 'offering' }>, t: FaceSignStrings, act: CoverActions): TemplateResult | typeof nothing {
  if (offer.via === 'browser') return openInBrowser(t, act);
  const via = offer.via;
  return screen({
    mark: 'info',
    title: t.offerTitle,
    body: t[REASON_TEXT[offer.reason]],
    primary: [via === 'redirect' ? t.redirect : t.popup, () => act.continueIn(via)],
    secondary: [t.cancel, act.cancel],
  });
}
