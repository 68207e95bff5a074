/**
 * A hosted page that did not connect may not be there at all (offline, DNS failing, a refused connection,
 * FaceSign down): then no other window can reach it either, so no popup or redirect is offered for it, and the
 * browser coming back online tries again by itself. A frame whose load failed shows the browser's error page and
 * fires `load` like a frame refused by `frame-ancestors`, so the server is asked before the frame is judged refused.
 */
import { FaceSignError } from '../protocol/errors.js';
import { onPageEvent } from '../base/page-events.js';
import type { SessionCore } from './core.js';
import type { SessionState } from './state.js';
import type { Reach } from './host.js';

/**
 * Whether the server at `url` answers at all: a `no-cors` HEAD without cookies or referrer, whose opaque answer
 * counts whatever its status (a 5xx is an answer; the frame then shows it, and Try again is the way on).
 */
export async function reachOf(url: string, signal: AbortSignal): Promise<Reach> {
  if (navigator.onLine === false) return 'unreachable';
  let refused = false;
  const onViolation = (e: SecurityPolicyViolationEvent) => void (e.effectiveDirective === 'connect-src' && (refused = true));
  document.addEventListener('securitypolicyviolation', onViolation);
  try {
    await fetch(url, { method: 'HEAD', mode: 'no-cors', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', signal });
    return 'reachable';
  } catch {
    // the violation is reported in a task of its own, after the rejection in some engines
    await new Promise((r) => setTimeout(r, 50));
    return refused || signal.aborted ? 'unknown' : 'unreachable';
  } finally {
    document.removeEventListener('securitypolicyviolation', onViolation);
  }
}

type Asking = SessionCore & { readonly state: SessionState };

/**
 * `otherwise()`, unless the hosted page cannot be reached: then the session is interrupted with a recoverable
 * `hosted_page_unreachable` (its surface closed), which Try again or the browser coming back online continues.
 * Nothing, when the session moved on or the page connected while the server was asked.
 */
export function unlessUnreachable(s: Asking, otherwise: () => void): void {
  const asked = s.state;
  const hellos = s.link?.hellos;
  void s.parts.reach(s.url, s.untilEnd).then((reach) => {
    // moot: the session moved on, or the page connected (a hello changes no state) while the server was asked
    if (s.state !== asked || s.ended || s.link?.hellos !== hellos) return;
    if (reach !== 'unreachable') return otherwise();
    const origin = new URL(s.url).origin;
    s.fail(
      new FaceSignError(
        'hosted_page_unreachable',
        `${origin} cannot be reached${__FACESIGN_DEV__ ? ': the browser is offline, or the name does not resolve, or nothing answers there (check verify-url); the element tries again when the browser comes back online' : ''}`,
        true,
      ),
      undefined,
    );
  });
}

/** The session tries again by itself when the browser comes back online after a failure of the network. */
export function retryWhenOnline(s: SessionCore & { retry(): void }): void {
  onPageEvent(
    'online',
    () => {
      const p = s.phase;
      if (p.name === 'interrupted' && (p.error.code === 'hosted_page_unreachable' || p.error.code === 'network_error')) s.retry();
    },
    s.untilEnd,
  );
}
