/**
 * Watches one session's iframe for the ways it can stop being our hosted page: its document loaded but never
 * said hello (framing refused, or nothing listening at verify-url), its document was replaced after the handshake
 * (a link, a redirect, a script setting its location), or it stopped answering the heartbeat (crashed, hung).
 * Everything it sets up ends with `signal`.
 */

/** ms after the iframe's load for its document's hello */
export const HELLO_AFTER_LOAD = 5000;
/** a document loaded after the handshake must complete its own handshake within this, or the page is lost */
const RECONNECT_GRACE = 1000;
/** while connected: a ping this often; once the page has answered one, no pong within PONG_WITHIN means lost */
const PING_EVERY = 2000;
const PONG_WITHIN = 3000;

export interface FrameWatch {
  /** a handshake completed (the first, or a new document's) */
  connected(): void;
  /** the hosted page answered a ping */
  pong(): void;
  /** ends everything the watch set up (as `signal` does) */
  stop(): void;
}

export function watchFrame(o: {
  frame: HTMLIFrameElement;
  ping: () => void;
  blocked: () => void;
  lost: (why: string) => void;
  signal: AbortSignal;
}): FrameWatch {
  let loads = 0;
  let connects = 0;
  let wait: ReturnType<typeof setTimeout> | undefined;
  let beat: ReturnType<typeof setInterval> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let answers = false;
  let stopped = false;
  const pause = () => (clearTimeout(wait), clearInterval(beat), clearTimeout(deadline), (deadline = undefined));
  const stop = () => ((stopped = true), pause());
  o.signal.addEventListener('abort', stop);
  const lost = (why: string) => (pause(), o.lost(why));

  o.frame.addEventListener(
    'load',
    () => {
      loads++;
      clearTimeout(wait);
      if (stopped) return;
      if (!connects) wait = setTimeout(o.blocked, HELLO_AFTER_LOAD);
      // a document that has not connected (yet): a reload of our page says hello before or just after its load
      else if (connects < loads) wait = setTimeout(() => connects < loads && lost('was replaced by another document'), RECONNECT_GRACE);
    },
    { signal: o.signal },
  );

  return {
    stop,
    connected() {
      // a stopped watch (its frame gone to a popup, or the session ended) starts nothing
      if (stopped) return;
      connects++;
      pause();
      answers = false;
      // heartbeat: a page from before protocol pings never answers one, and is never judged by it
      beat = setInterval(() => {
        if (deadline) return;
        const sent = performance.now();
        o.ping();
        deadline = setTimeout(() => {
          deadline = undefined;
          // a late timer means this page was throttled or frozen (hidden tab): that is not the hosted page's silence
          if (answers && !document.hidden && performance.now() - sent < PONG_WITHIN + 1000) lost('stopped answering');
        }, PONG_WITHIN);
      }, PING_EVERY);
    },
    pong() {
      answers = true;
      clearTimeout(deadline);
      deadline = undefined;
    },
  };
}
