/**
 * The computer's screens while the verification continues on the phone: the offer (the phone, or stay), the code
 * with its link and until when it works, then where the phone is. Loaded with the QR encoder when the phone is first
 * offered (on-demand/handoff-ui.ts), never on a page that does not offer it.
 */
import { html, type TemplateResult } from 'lit';
import type { Phase } from '../../session/state.js';
import type { FaceSignStrings } from '../texts-en.js';
import { loadingScreen, screen, type CoverActions } from '../cover.js';
import { handoffTexts } from './texts.js';
import { qrCode } from './qr.js';

type InHandoff = Extract<Phase, { name: 'handoff' }>;

/** The words of the camera problems after which the phone is offered (as the element's own covers say them). */
const REASON: Record<string, [keyof FaceSignStrings, keyof FaceSignStrings]> = {
  camera_denied: ['cameraDeniedTitle', 'cameraDenied'],
  camera_not_found: ['noCameraTitle', 'noCamera'],
  camera_in_use: ['cameraBusyTitle', 'cameraBusy'],
};

/** The link as text, with a copy button, for a person who cannot scan. */
function linkRow(url: string, t: FaceSignStrings): TemplateResult {
  const copy = (e: Event) => {
    const b = e.currentTarget as HTMLButtonElement;
    void navigator.clipboard?.writeText(url).then(() => (b.textContent = t.copied));
  };
  return html`<div class="link-row">
    <input part="link" class="link" dir="ltr" readonly aria-label=${t.copy} .value=${url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
    <button part="copy-button" class="secondary" dir="auto" @click=${copy} .textContent=${t.copy}></button>
  </div>`;
}

/** The time a code works until, in the element's language ("10:42"). */
const until = (ms: number, lang: string) => {
  try {
    return new Intl.DateTimeFormat(lang || undefined, { hour: 'numeric', minute: '2-digit' }).format(ms);
  } catch {
    return new Date(ms).toLocaleTimeString();
  }
};

export function renderHandoff(p: InHandoff, t: FaceSignStrings, act: CoverActions, lang: string): TemplateResult {
  const h = handoffTexts(lang, t);
  const s = p.handoff;
  const cancel = [t.cancel, act.cancel] as const;
  const renew = [h.phoneNewCode, act.renew] as const;
  switch (s.stage) {
    case 'offered': {
      const [title, body] = REASON[s.reason] ?? [];
      return screen({
        mark: title ? 'camera' : 'info',
        title: title ? t[title] : h.phoneBestTitle,
        body: body ? t[body] : h.phoneBest,
        primary: [h.phone, () => act.continueIn('phone')],
        secondary: [h.stayHere, act.stay],
      });
    }
    case 'minting':
      return loadingScreen(h.phoneMinting);
    case 'waiting':
      // the code beside its words (a computer's box is wider than tall), the link to copy for who cannot scan.
      // Scanning is the step here, so no button is primary; a new code is only for a code that leaked or is about
      // to run out, a quiet button beside its time
      return html`<div part="error" class="cover" role="status">
        <div class="fit"><div class="panel split">
          ${qrCode(s.url, h.phoneQr)}
          <div class="words">
            <h2 part="title" class="title" dir="auto">${h.phoneScanTitle}</h2>
            <p part="body" class="body" dir="auto">${h.phoneScan}</p>
            ${linkRow(s.url, t)}
            <p part="expiry" class="hint" dir="auto">
              ${h.phoneValidUntil} <bdi>${until(s.expiresAt, lang)}</bdi>
              <button part="renew-button" class="quiet" dir="auto" @click=${act.renew}>${h.phoneNewCode}</button>
            </p>
            <div class="actions">
              <button part="secondary-button" class="secondary" dir="auto" @click=${act.cancel}>${t.cancel}</button>
            </div>
          </div>
        </div></div>
      </div>`;
    case 'expired':
      return screen({ mark: 'info', title: h.phoneExpiredTitle, body: h.phoneExpired, primary: renew, secondary: cancel });
    case 'on-phone':
      return screen({
        mark: 'info',
        title: h.phoneOpenTitle,
        body: h.phoneOpen,
        extra: html`<p part="steps" class="hint" dir="auto">${h.phoneSteps} <bdi>${s.steps}</bdi></p>`,
        secondary: cancel,
      });
    case 'left':
      return screen({ mark: 'info', title: h.phoneLeftTitle, body: h.phoneLeft, primary: renew, secondary: cancel });
  }
}
