/**
 * What the element shows over (or instead of) the frame, read from the session's phase: loading, a stalled
 * secret, an interruption, the popup elsewhere, or the end; the paths beside the frame (a popup, a redirect, the
 * user's own browser) are offer-covers.ts, loaded on demand.
 */
import { nothing } from 'lit';
import { loadingScreen, screen, type CoverActions, type Screen } from './cover.js';

export type { CoverActions } from './cover.js';
// a box with no session because there is no secret to start one: the development build's hint
export { missingSecretHint } from './missing-secret.js';
import type { Verification } from '../session/verification.js';
import type { Phase } from '../session/state.js';
import type { FaceSignError, FaceSignErrorCode } from '../protocol/errors.js';
import type { FaceSignStrings } from './strings.js';
import type { Mark } from './marks.js';
import { fallbackNow, handoffNow } from './on-demand/load.js';
import { DEAD_END } from './unusable.js';

/** What a person can read out to support: the error's code and, when known, the session's id. */
export const referenceOf = (error: FaceSignError, session: Verification | undefined) =>
  [error.code, session?.continuation?.sessionId].filter(Boolean).join(' · ');

type Words = readonly [Mark, title: keyof FaceSignStrings, body: keyof FaceSignStrings];
/**
 * The errors with words of their own: each says what the person can do about it. A camera problem the hosted page
 * named: allow it in the browser's settings, use a device that has one, close the app that holds it.
 */
const OWN_WORDS: Partial<Record<FaceSignErrorCode, Words>> = {
  // offline, DNS, a refused connection, a 5xx: another window could not reach it either, so only Try again
  hosted_page_unreachable: ['offline', 'unreachableTitle', 'unreachable'],
  camera_denied: ['camera', 'cameraDeniedTitle', 'cameraDenied'],
  camera_not_found: ['camera', 'noCameraTitle', 'noCamera'],
  camera_in_use: ['camera', 'cameraBusyTitle', 'cameraBusy'],
  microphone_denied: ['mic', 'micDeniedTitle', 'micDenied'],
};

/** A recoverable error: Try again, and Cancel beside it. An error with words of its own says what to do. */
function interrupted(t: FaceSignStrings, error: FaceSignError, reference: string, act: CoverActions): Screen {
  const [mark, title, body] = OWN_WORDS[error.code] ?? ['error', 'errorTitle', 'error'];
  return {
    mark,
    title: t[title],
    body: t[body],
    primary: [t.tryAgain, act.retry],
    secondary: [t.cancel, act.cancel],
    reference,
    urgent: true,
  };
}

/** The end, when no hosted page shows its own: done, closed, or an error (with Try again only where it can help). */
function ended(
  t: FaceSignStrings,
  session: Verification,
  act: CoverActions,
  outcome: Extract<Verification['phase'], { name: 'ended' }>['outcome'],
): Screen {
  const close = act.close;
  switch (outcome.status) {
    case 'complete':
      return { mark: 'done', title: t.complete, body: t.completeBody, primary: [t.done, close ?? act.done] };
    case 'canceled':
      return { mark: 'info', title: t.canceled, body: t.canceledBody, primary: close ? [t.done, close] : [t.startAgain, act.retry] };
    case 'error': {
      const reference = referenceOf(outcome.error, session);
      // this page may not show it at all (the merchant's embed settings): only they can help
      const here = outcome.error.code === 'origin_not_allowed';
      if (here || DEAD_END.includes(outcome.error.code))
        return {
          mark: 'error',
          title: t.unusableTitle,
          body: here ? t.frameBlocked : t.unusable,
          primary: close && [t.done, close],
          reference,
          urgent: true,
        };
      return { ...interrupted(t, outcome.error, reference, act), primary: close ? [t.done, close] : [t.tryAgain, act.retry], secondary: undefined };
    }
  }
}

/** Busy only while what the box shows is on its way: a screen with choices or buttons is there to be read. */
export const busy = (p?: Phase['name']) => !p || p === 'starting' || p === 'fetching' || p === 'showing';

export function renderCover(session: Verification | undefined, t: FaceSignStrings, act: CoverActions, lang: string) {
  const p = session?.phase;
  const show = (s: Screen) => screen(s, t.reference);
  switch (p?.name) {
    case undefined:
      return nothing;
    case 'starting':
    case 'fetching':
      return loadingScreen(t.loading);
    case 'stalled':
      return show({
        mark: 'error',
        title: t.stalledTitle,
        body: t.stalled,
        primary: [t.tryAgain, act.retry],
        secondary: [t.cancel, act.cancel],
        reference: referenceOf(p.error, session),
        urgent: true,
      });
    case 'interrupted':
      return show(interrupted(t, p.error, referenceOf(p.error, session), act));
    case 'offering':
      // the offer's cover comes with the fallback's module (loaded when the session offered it): a spinner meanwhile
      return fallbackNow()?.renderOffer(p, t, act) ?? loadingScreen('');
    case 'away':
      return loadingScreen('');
    case 'handoff':
      // its screens come with its module (loaded when the phone was offered): a spinner meanwhile
      return handoffNow()?.renderHandoff(p, t, act, lang) ?? loadingScreen('');
    case 'showing':
      if (p.surface.shownIn === 'window')
        return show({
          mark: 'info',
          title: t.popupOpenTitle,
          body: t.popupOpen,
          primary: [t.showPopup, () => act.continueIn('popup')],
          secondary: [t.cancel, act.cancel],
        });
      return session!.state.progress === 'loading' ? loadingScreen(t.loading) : nothing;
    case 'ended':
      // the hosted page's own end screen, where it is seen in the box
      return p.surface?.visible && p.surface.shownIn === 'element' ? nothing : show(ended(t, session!, act, p.outcome));
  }
}
