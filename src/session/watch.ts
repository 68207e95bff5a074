/**
 * One watch for the hosted page on every surface that has a window (the frame, the popup): the ways it can stop
 * being our page. A document that loaded and never said hello (framing refused, nothing at verify-url, or a
 * page that replaced ours), and, for a page whose hello listed `ping`, a long silence: a missed pong only makes
 * the page suspect (a face model compiling on a slow phone is one long task), it is lost after `silence` of it
 * while this page is visible, and the port stays open until then, so a page that recovers simply goes on.
 * Everything it sets up ends with `signal`.
 */

/** The watch's timings (ms). Internal: the tests shorten them. */
export const timing = {
  /** after a document's load, for its hello: the first load and every reload alike */
  helloAfterLoad: 5000,
  /** a ping this often while connected to a page that answers them */
  pingEvery: 2000,
  /** this long without a word from the page (while visible) and it is lost; at least 10 s on real pages */
  silence: 10_000,
};

export interface Watch {
  /** the surface's document finished loading (an iframe's load event) */
  loaded(): void;
  /** a handshake completed; `pings`: the page's hello said it answers them */
  connected(pings: boolean): void;
  /** any message from the page: it is alive */
  heard(): void;
}

export function watchPage(o: {
  ping: () => void;
  /** the first document loaded and never said hello */
  blocked: () => void;
  lost: (why: string) => void;
  log: (...a: unknown[]) => void;
  signal: AbortSignal;
}): Watch {
  let loads = 0;
  let connects = 0;
  let wait: ReturnType<typeof setTimeout> | undefined;
  let beat: ReturnType<typeof setInterval> | undefined;
  let heardAt = 0;
  let tickAt = 0;
  const stop = () => (clearTimeout(wait), clearInterval(beat));
  o.signal.addEventListener('abort', stop);
  const lost = (why: string) => (stop(), o.lost(why));
  const live = () => !o.signal.aborted;

  const tick = () => {
    const now = performance.now();
    const late = now - tickAt > timing.pingEvery * 2;
    tickAt = now;
    // a hidden tab throttles (or freezes) both pages, and a late timer means this page was not running: neither
    // is the hosted page's silence
    if (document.hidden || late) heardAt = now;
    else if (now - heardAt >= timing.silence) return lost('stopped answering');
    else if (now - heardAt > timing.pingEvery * 1.5) o.log('the hosted page is slow to answer (suspect)');
    o.ping();
  };

  return {
    loaded() {
      loads++;
      clearTimeout(wait);
      if (!live()) return;
      const at = loads;
      // our page says hello before or just after its load; any document gets the same time to do so
      wait = setTimeout(() => {
        if (connects >= at) return;
        if (connects) lost('was replaced by another document');
        else o.blocked();
      }, timing.helloAfterLoad);
    },
    connected(pings) {
      if (!live()) return;
      // a hello that came before its own load event counts for that load
      connects = Math.max(connects + 1, loads);
      clearTimeout(wait);
      clearInterval(beat);
      beat = undefined;
      heardAt = tickAt = performance.now();
      // a page that does not say it answers pings (an older one) is never judged by its silence
      if (pings) beat = setInterval(tick, timing.pingEvery);
    },
    heard() {
      heardAt = performance.now();
    },
  };
}
