/** The parts the element's sessions are built from: the real surfaces, channel and checks, and what comes on demand. */
import type { SessionParts } from '../session/host.js';
import { openHostChannel } from '../session/host-channel.js';
import { FrameSurface } from '../surfaces/frame.js';
import { browserObstacle } from '../surfaces/obstacles.js';
import { reachOf } from '../session/unreachable.js';
import { onComputer } from '../surfaces/handoff.js';
import { fallbackNow, handoffNow, loadFallback, loadHandoff, loadRedirect, loadRefresh, refreshNow } from './on-demand/load.js';

/** The real parts: the frame, the popup and the redirect on demand, the channel, the browser's obstacles. */
export const PARTS: SessionParts = {
  frame: (url, origin, title, events, delegate) => new FrameSurface(url, origin, title, events, delegate),
  popup: { now: () => fallbackNow()?.openPopup, load: () => loadFallback().then((m) => m.openPopup) },
  redirect: () => loadRedirect().then((m) => m.leaveForHostedPage),
  secrets: { now: refreshNow, load: loadRefresh },
  offerUi: loadFallback,
  openChannel: openHostChannel,
  obstacle: (webview) => browserObstacle(undefined, webview),
  reach: reachOf,
  handoff: {
    // its surface comes with its UI (on demand): none until then
    surface: (url, origin, title, events) => {
      const m = handoffNow();
      return m && new m.HandoffSurface(url, origin, title, events);
    },
    ui: loadHandoff,
    onComputer: () => onComputer(),
  },
};
