/**
 * What the element shows over (or instead of) the frame: loading, a stalled secret, an error or the end; the
 * paths beside the frame (a popup, a redirect, the user's own browser) are offer-covers.ts, loaded on demand.
 * One template per state, in its texts.
 */
import { html, nothing } from 'lit';
import type { FaceSignStatus, Session } from '../session/session.js';
import type { FaceSignStrings } from './strings.js';
import { fallbackNow } from '../on-demand/load.js';

export interface CoverActions {
  retry(): void;
  refresh(): void;
  continueIn(via: 'popup' | 'redirect'): void;
}

export const cover = (text: string, label?: string, action?: () => unknown) =>
  html`<div part="error" class="cover" role="alert">
    <p>${text}</p>
    ${label ? html`<button part="retry-button" class="retry" @click=${action}>${label}</button>` : nothing}
  </div>`;

const spinner = (text: string) => html`<div part="loading" class="cover" role="status"><span class="spinner"></span>${text}</div>`;

export function renderCover(s: FaceSignStatus, session: Session | undefined, hasFrame: boolean, t: FaceSignStrings, act: CoverActions) {
  const offer = session?.offer;
  if (session?.stall) return cover(t.stalled, t.tryAgain, act.refresh);
  // the offer's cover comes with the fallback's module (loaded when the session offered it): a spinner meanwhile
  if (offer && !session.ended) return fallbackNow()?.renderOffer(offer, session, t, act) ?? spinner('');
  if (s === 'loading') return spinner(t.loading);
  if (session?.unusable) return cover(t.unusable);
  if (s === 'error' || (!hasFrame && s !== 'idle'))
    return cover(t[s as 'error' | 'canceled' | 'complete'], s === 'complete' ? '' : s === 'error' ? t.tryAgain : t.startAgain, act.retry);
  return nothing;
}
