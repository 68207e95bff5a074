/**
 * The page leaving and coming back. Leaving (a reload, a navigation, the back/forward cache) ends a running
 * session exactly once, as a leave (its FaceSign session stays open), but a redirect leaving for the hosted page:
 * the session goes on there. Brought back from the back/forward cache, an inline element goes on with the run
 * that left with the page; a modal stays closed until it is opened again (its `open` is the page's to set, and
 * then the run goes on), and verify()'s element stays ended (its promise has settled).
 */
import type { FaceSignCancelReason } from '../base/events.js';
import { onPageEvent } from '../base/page-events.js';
import type { Verification } from '../session/verification.js';

interface Follower {
  readonly session?: Verification;
  close(reason: FaceSignCancelReason): void;
  retry(): void;
}

export function followPage(c: Follower, goesOnWhenBack: () => boolean, signal: AbortSignal): void {
  onPageEvent(
    'pagehide',
    () => {
      const s = c.session;
      if (s && !s.ended && s.phase.name !== 'away') c.close('page_hidden');
    },
    signal,
  );
  onPageEvent(
    'pageshow',
    (e) => {
      const p = c.session?.phase;
      const left = p?.name === 'ended' && p.outcome.status === 'canceled' && p.outcome.reason === 'page_hidden';
      if ((e as PageTransitionEvent).persisted && left && goesOnWhenBack()) c.retry();
    },
    signal,
  );
}
