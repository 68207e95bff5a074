/**
 * What the session does with what its page link reports: a handshake and the page's messages (page-messages.ts),
 * and a page that does not connect or stops. For those the surface's own policy says whether another path is
 * offered, once the server was asked whether it is there at all (unreachable.ts).
 */
import type { PageLinkEvents } from './page-link.js';
import { onHello, onPageMessage, type PageMessageSink } from './page-messages.js';
import { unlessUnreachable } from './unreachable.js';
import { refusal } from './hosted-page.js';
import { timing } from './watch.js';

export function linkEvents(s: PageMessageSink, origin: string): PageLinkEvents {
  return {
    hello: (h) => onHello(s, h),
    message: (m) => onPageMessage(s, m),
    blocked: () =>
      unlessUnreachable(s, () => {
        s.link!.judged();
        s.trouble(
          { offer: 'frame_blocked' },
          `${origin} loaded in the frame but did not connect within ${timing.helloAfterLoad / 1000} s${__FACESIGN_DEV__ ? ': it refuses to be framed (X-Frame-Options or CSP frame-ancestors), or nothing at verify-url runs the FaceSign page' : ''}`,
          s.surface,
        );
      }),
    refused: () => s.fail(refusal(origin)),
    lost: (why) => s.trouble(s.surface!.whenLost, `the hosted page ${why}; retry() continues the same session`),
    timedOut: (ms) =>
      unlessUnreachable(s, () =>
        s.trouble(
          s.surface!.whenTimedOut,
          `${origin} did not connect in ${ms}ms${__FACESIGN_DEV__ ? ': check verify-url, the network and CSP frame-src' : ''}`,
          s.surface,
          'load_timeout',
        ),
      ),
  };
}
