/**
 * What the element shows over (or instead of) the frame, read from the session's phase: loading, a stalled
 * secret, an interruption, the popup elsewhere, or the end; the paths beside the frame (a popup, a redirect, the
 * user's own browser) are offer-covers.ts, loaded on demand.
 */
import { html, nothing } from 'lit';
import { cover, type CoverActions } from './cover.js';

export type { CoverActions } from './cover.js';
import type { Verification } from '../session/verification.js';
import type { FaceSignStrings } from './strings.js';
import { fallbackNow } from './on-demand/load.js';
import { UNUSABLE } from './unusable.js';

const spinner = (text: string) => html`<div part="loading" class="cover" role="status"><span class="spinner"></span>${text}</div>`;

export function renderCover(session: Verification | undefined, t: FaceSignStrings, act: CoverActions) {
  const p = session?.phase;
  switch (p?.name) {
    case undefined:
      return nothing;
    case 'starting':
    case 'fetching':
      return spinner(t.loading);
    case 'stalled':
      return cover(t.stalled, t.tryAgain, act.retry);
    case 'interrupted':
      return cover(t.error, t.tryAgain, act.retry);
    case 'offering':
      // the offer's cover comes with the fallback's module (loaded when the session offered it): a spinner meanwhile
      return fallbackNow()?.renderOffer(p, t, act) ?? spinner('');
    case 'away':
      return spinner('');
    case 'showing':
      if (p.surface.shownIn === 'window') return cover(t.popupOpen, t.showPopup, () => act.continueIn('popup'));
      return session!.state.progress === 'loading' ? spinner(t.loading) : nothing;
    case 'ended': {
      if (p.surface?.visible) return nothing;
      const o = p.outcome;
      const code = o.status === 'error' && o.error.code;
      if (code && UNUSABLE.includes(code)) return cover(t.unusable);
      // this page may not show it at all: trying again cannot help, the merchant's settings can
      if (code === 'origin_not_allowed') return cover(t.frameBlocked);
      if (o.status === 'complete') return cover(t.complete);
      if (act.close) return cover(t[o.status], t.close, act.close);
      return cover(t[o.status], o.status === 'error' ? t.tryAgain : t.startAgain, act.retry);
    }
  }
}
