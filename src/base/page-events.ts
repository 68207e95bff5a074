/**
 * One window (or document) listener per page event, shared by every element on the page. Each element
 * registering its own costs a millisecond or more now and then (measured by `npm run bench` in Chromium: median
 * 0.03 ms, spikes to 6 ms per addEventListener('pagehide') on a page with cross-origin frames), so the listener is
 * added once, with the first subscriber, and kept for the page's life; idle, it costs nothing. Subscriptions end
 * with their AbortSignal. `message` too: a message from another window is one call that each element's source
 * check runs in, not one listener call per element; one the page posts itself (analytics and chat widgets do, some
 * every few ms) is nobody's here, as no element's surface is the page, and is told apart once, before any check.
 */
type PageEvent = 'pagehide' | 'pageshow' | 'visibilitychange' | 'online' | 'message';

const subscribers = new Map<PageEvent, Set<(e: Event) => void>>();

export function onPageEvent(type: PageEvent, callback: (e: Event) => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  let set = subscribers.get(type);
  if (!set) {
    const s = (set = new Set());
    subscribers.set(type, s);
    // a copy: a callback may end subscriptions (its own or others') while the event is delivered. One that throws
    // is reported as its own listener's would be, and the others still run.
    (type === 'visibilitychange' ? document : window).addEventListener(type, (e) => {
      if ((e as MessageEvent).source === window) return;
      for (const f of [...s])
        try {
          if (s.has(f)) f(e);
        } catch (x) {
          reportError(x);
        }
    });
  }
  set.add(callback);
  signal.addEventListener('abort', () => set.delete(callback), { once: true });
}
