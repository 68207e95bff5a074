/** What the buttons of the element's covers do: the element's own methods, and the running session's choices. */
import type { CoverActions } from './cover.js';
import type { FaceSignCloseSource } from '../base/events.js';
import type { SessionController } from './session-controller.js';
import type { FaceSignStrings } from './texts-en.js';
import { handoffNow } from './on-demand/load.js';
import { PHONE_BESIDE } from '../session/offers.js';
import type { HandoffReason } from '../session/state.js';

export interface CoverActionsHost {
  readonly mode: string;
  readonly status: string;
  readonly afterEnd: 'restart' | 'close';
  retry(): void;
  continueIn(via: 'popup' | 'redirect' | 'phone'): void;
  close(): void;
  requestClose(source: FaceSignCloseSource): void;
}

/**
 * An in-app browser or a browser without a camera: the phone may be offered beside its own path, in the words of
 * the handoff's module (here once it is: the session loads it with such an offer).
 */
function phoneHere(session: SessionController, t: FaceSignStrings, lang: string): string | undefined {
  const p = session.session?.phase;
  if (p?.name !== 'offering' || !PHONE_BESIDE.includes(p.reason)) return undefined;
  try {
    if (!session.session!.handoffs.offerable(p.reason as HandoffReason)) return undefined;
  } catch {
    // an invalid setting: reported when the phone is chosen
    return undefined;
  }
  return handoffNow()?.handoffTexts(lang, t).phone;
}

export function coverActions(el: CoverActionsHost, session: SessionController, t: FaceSignStrings, lang: string): CoverActions {
  return {
    retry: () => el.retry(),
    continueIn: (via) => el.continueIn(via),
    stay: () => session.session?.handoffs.stay(),
    renew: () => session.session?.handoffs.renew(),
    cancel: () => el.close(),
    // the end screen's Done: a dialog closes; inline, the page hears facesign-close and takes the element away
    done: () => (el.mode === 'modal' ? el.requestClose('close_button') : session.events.post(['facesign-close', { reason: el.status }])),
    close: el.afterEnd === 'close' ? () => session.close('closed') : undefined,
    phone: phoneHere(session, t, lang),
  };
}
