/**
 * Every phase a verification can be in, as one value. The session (session.ts) holds one `SessionState` and
 * changes it in one place; the element reads it to render, and the public `status` is derived from it.
 */
import type { FaceSignError } from '../protocol/errors.js';
import type { FaceSignFallbackReason, FaceSignFallbackVia } from '../base/events.js';
import type { Surface } from '../surfaces/surface.js';

export type FaceSignStatus = 'idle' | 'loading' | 'requiresInput' | 'processing' | 'complete' | 'canceled' | 'error';

/** How far the person has come: it never goes back, so `facesign-ready` and `facesign-start` come once. */
export type Progress = 'loading' | 'requiresInput' | 'processing';

/** How a verification ended. */
export type Outcome = { status: 'complete'; sessionId: string } | { status: 'canceled'; reason: string } | { status: 'error'; error: FaceSignError };

export type Phase =
  /** made, not started yet */
  | { name: 'starting' }
  /** the first secret is on its way (fetchClientSecret alone) */
  | { name: 'fetching' }
  /** the hosted page is shown on `surface` (progress says whether it is ready, and started) */
  | { name: 'showing'; surface: Surface }
  /**
   * A recoverable error behind a cover whose Try again continues the same session: the first secret could not be
   * had, the page did not connect or was lost, or the path offered could not load. `surface`: still there (a
   * late page may connect after all); `offer`: what Try again offers again; `handoff`: where continuing on the phone
   * was when its relay (`surface`) was interrupted, where that relay's late page goes on.
   */
  | { name: 'interrupted'; error: FaceSignError; surface?: Surface; offer?: FaceSignFallbackReason; handoff?: Handoff }
  /** a new secret could not be had or handed over: the page waits behind a cover whose Try again refreshes */
  | { name: 'stalled'; error: FaceSignError; resume: Resumable }
  /**
   * The frame cannot verify here: another path is offered (`surface`: a frame that may still connect). `stage`:
   * 'announcing' while `facesign-fallback` is being dispatched (a path that fails from inside its listener is
   * offered without a second announcement), then 'offered'.
   */
  | {
      name: 'offering';
      stage: 'announcing' | 'offered';
      reason: FaceSignFallbackReason;
      via: FaceSignFallbackVia;
      error: FaceSignError;
      surface?: Surface;
    }
  /**
   * Continuing on the person's phone (handoff.ts): offered (the person chooses; `surface`: the frame that goes on
   * here if they stay), then the hosted page on this computer (`surface`, a relay frame) mints a one-time link and
   * says where the phone is.
   */
  | { name: 'handoff'; handoff: Handoff; surface?: Surface }
  /** the tab is leaving for the hosted page (the redirect): not an end, the verification goes on there */
  | { name: 'away'; from: Resumable }
  /** the one terminal event has been dispatched; `surface`: what is left to show (the hosted page's end screen) */
  | { name: 'ended'; outcome: Outcome; surface?: Surface };

/** Why the phone is offered: this computer (the merchant's `force`), or what keeps this device from verifying. */
export type HandoffReason = 'computer' | 'camera_denied' | 'camera_not_found' | 'camera_in_use' | 'in_app' | 'no_camera' | 'webview_no_camera';

/** Where continuing on the phone is. `steps`: how many steps the phone reported. */
export type Handoff =
  /** offered: the person chooses (the phone, or this device) */
  | { stage: 'offered'; reason: HandoffReason }
  /** chosen: the link is being made */
  | { stage: 'minting' }
  /** the one-time link, until `expiresAt` (ms since the epoch) */
  | { stage: 'waiting'; url: string; expiresAt: number }
  /** no phone opened it in time: a fresh one on request */
  | { stage: 'expired' }
  /** the phone opened it: the session is the phone's now */
  | { stage: 'on-phone'; steps: number }
  /** the phone's page went away (its tab closed): it can come back, or a new code starts over */
  | { stage: 'left'; steps: number };

/** The phases a stall or a departure can come back to. */
export type Resumable = Exclude<Phase, { name: 'stalled' | 'away' | 'ended' | 'starting' }>;

/** The session's one state: where it is, and how far the person has come. */
export interface SessionState {
  readonly phase: Phase;
  readonly progress: Progress;
}

/** The surface a phase shows the hosted page on. */
export function surfaceOf(p: Phase): Surface | undefined {
  switch (p.name) {
    case 'showing':
    case 'interrupted':
    case 'offering':
    case 'handoff':
    case 'ended':
      return p.surface;
    case 'stalled':
      return surfaceOf(p.resume);
    case 'away':
      // the page it leaves from stays until the tab goes (and is there again if it comes back)
      return surfaceOf(p.from);
    default:
      return undefined;
  }
}

/** The public status a state reads as. */
export function statusOf({ phase: p, progress }: SessionState): FaceSignStatus {
  switch (p.name) {
    case 'showing':
    case 'handoff':
      return progress;
    case 'interrupted':
    case 'offering':
      return 'error';
    case 'stalled':
      return statusOf({ phase: p.resume, progress });
    case 'away':
      return statusOf({ phase: p.from, progress });
    case 'ended':
      return p.outcome.status;
    default:
      return 'loading';
  }
}
