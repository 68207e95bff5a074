import '../../src/index.js';
import { sendMouse } from '@web/test-runner-commands';
import { FaceSignVerifyElement } from '../../src/element.js';
import { fallbackNow, loadFallback } from '../../src/element/on-demand/load.js';
import { timing } from '../../src/session/watch.js';
import { FRAME_ORIGIN, SECRET, commandWindow, fromFixture, hostedUrl, postWindow, tick } from './fixture.js';

export { FRAME_ORIGIN, SECRET, fromFixture, hostedUrl, tick } from './fixture.js';

export type Recorded = { type: string; detail: unknown };
export const TERMINAL = ['facesign-complete', 'facesign-cancel', 'facesign-error'];
const NAMES = ['ready', 'start', 'step', 'complete', 'cancel', 'error', 'close-request', 'close', 'secret-refresh', 'secret-request', 'fallback'].map(
  (n) => `facesign-${n}`,
);

export interface Mounted {
  el: FaceSignVerifyElement;
  events: Recorded[];
  /** terminal events so far (errors only when not recoverable) */
  terminal(): Recorded[];
}

/** Creates the element with attributes, records every facesign-* event from before it connects, appends it. */
export function mount(attrs: Record<string, string | boolean> = {}, parent: Node = document.body): Mounted {
  const el = document.createElement('facesign-verify');
  const m = record(el);
  const all: Record<string, string | boolean> = { 'client-secret': SECRET, 'verify-url': hostedUrl(), ...attrs };
  for (const [k, v] of Object.entries(all)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  parent.appendChild(el);
  mounted.push(el);
  return m;
}

/**
 * Records every facesign-* event `el` dispatches from now on: for an element made elsewhere (verify()), so that
 * waitFor finds an event that came before the wait began (a listener added late misses it and the test hangs).
 */
export function record(el: FaceSignVerifyElement): Mounted {
  const events: Recorded[] = [];
  for (const n of NAMES) el.addEventListener(n, (e) => events.push({ type: e.type, detail: (e as CustomEvent).detail }));
  return {
    el,
    events,
    terminal: () =>
      events.filter((e) => TERMINAL.includes(e.type) && !(e.type === 'facesign-error' && (e.detail as { recoverable: boolean }).recoverable)),
  };
}

const mounted: Element[] = [];
/** Forgets the sessions elements remembered for this tab (src/element/resume-memory.ts). */
export function forgetResumable(): void {
  for (const k of Object.keys(sessionStorage)) if (k.startsWith('facesign-verify:session:')) sessionStorage.removeItem(k);
}
// Every test starts with nothing to continue: an element of one test must not resume another test's session, nor
// go on from the run of an element the last test removed. That run is kept for a re-mount until the next timer
// task (src/element/continuations.ts), and a task the browser runs before that timer (the response to a test's
// first fetch) found it: the same secret string, so the last test's secret and expiry (WebKit and Firefox under
// load). A timer set now fires after it.
beforeEach(async () => {
  forgetResumable();
  await new Promise((done) => setTimeout(done, 1));
});

/** Removes what tests mounted (call in afterEach). */
export function cleanup() {
  for (const el of mounted.splice(0)) el.remove();
  document.querySelectorAll('iframe').forEach((f) => f.remove());
}

export const frameOf = (el: FaceSignVerifyElement) => el.shadowRoot!.querySelector('iframe');

/** Sends a command without waiting: for commands after which the frame is gone (navigation, an ending message). */
export function post(target: FaceSignVerifyElement, cmd: Record<string, unknown>): void {
  postWindow(frameOf(target)!.contentWindow!, cmd);
}

/** Sends a command to the fixture inside `el` (or a plain iframe) and waits for its acknowledgement. */
export const command = (target: FaceSignVerifyElement | HTMLIFrameElement, cmd: Record<string, unknown>): Promise<void> =>
  commandWindow(() => (target instanceof HTMLIFrameElement ? target : frameOf(target))?.contentWindow, cmd);

/**
 * Waits until `el` dispatched an event named `type` (or resolves at once if it already did since `from`). When a
 * fallback was offered by then, also until its cover can show: the offer covers and the popup are a module loaded
 * on demand (on-demand.test.ts tests the moment before), and tests go on to click them.
 */
export async function waitFor(m: Mounted, type: string, from = 0): Promise<Recorded> {
  const found =
    m.events.slice(from).find((e) => e.type === type) ??
    (await new Promise<Recorded>((resolve) =>
      m.el.addEventListener(type, (e) => resolve({ type, detail: (e as CustomEvent).detail }), { once: true }),
    ));
  if (m.events.some((e) => e.type === 'facesign-fallback') && !fallbackNow()) {
    await loadFallback();
    // the session's own requestUpdate, once it has the module, and that update's render
    await tick(0);
  }
  return found;
}

/**
 * Mounts an inline element and waits for facesign-ready and for the test page's own `init` report: the two travel
 * on different channels (port, window), so without both a later wait for an `init` could catch this stale one.
 */
export async function mountReady(attrs: Record<string, string | boolean> = {}): Promise<Mounted> {
  const m = mount(attrs);
  const init = fromFixture(
    () => frameOf(m.el)?.contentWindow,
    (f) => f.event === 'init',
  );
  await waitFor(m, 'facesign-ready');
  await init;
  return m;
}

/** Captures console.debug lines (debug logging) until restored. */
export function captureDebug(): { lines: string[]; restore(): void } {
  const orig = console.debug;
  const lines: string[] = [];
  console.debug = (...a: unknown[]) => lines.push(a.map(String).join(' '));
  return { lines, restore: () => void (console.debug = orig) };
}

export const types = (m: Mounted) => m.events.map((e) => e.type);

/** The details of the facesign-error events `m` recorded. */
export const errorsOf = (m: { events: { type: string; detail: unknown }[] }) =>
  m.events.filter((e) => e.type === 'facesign-error').map((e) => e.detail as { code: string; recoverable: boolean; message: string });

/** Polls `f` until `ok` (a positive condition: never use it to prove something did not happen). */
export async function until<T>(f: () => Promise<T> | T, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await f();
    if (ok(v)) return v;
    await tick(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Resolves once the element has handled every port message the hosted page sent before this call: the page
 * sends an unasked `pong` last (a MessagePort keeps order), which changes nothing, and the element's debug log
 * says when it handled it. Works before and after the terminal event (until the channel is gone). For negative
 * checks ("no second terminal event") without sleeping. (A resize cannot be the barrier: in Firefox the page's
 * own ResizeObserver answers a forced resize with its real height; a close-request closes an ended element.)
 */
export async function portBarrier(el: FaceSignVerifyElement): Promise<void> {
  const debug = el.debug;
  const orig = console.debug;
  const handled = new Promise<void>((resolve) => {
    console.debug = (...a: unknown[]) => {
      if (a.map(String).join(' ').includes('received pong')) resolve();
      else if (debug) orig(...a);
    };
  });
  el.debug = true;
  try {
    await command(el, { do: 'port-raw', data: { ns: 'facesign', v: 1, type: 'pong' } });
    await handled;
  } finally {
    console.debug = orig;
    el.debug = debug;
  }
}

let endpoints = 0;
/**
 * A fresh fake refresh endpoint (wtr/refresh-endpoint.mjs) with these scripted answers: on this page's origin, or
 * with `cors` on the other one (FRAME_ORIGIN), answering CORS as told.
 */
export async function endpoint(steps: unknown[] = [], { cors }: { cors?: 'star' | 'exact' | 'none' } = {}) {
  const id = `t${Date.now()}-${endpoints++}`;
  await fetch(`/refresh/${id}/script`, { method: 'POST', body: JSON.stringify(steps) });
  return {
    url: cors ? `${FRAME_ORIGIN}/refresh/${id}?cors=${cors}` : `/refresh/${id}`,
    log: async (): Promise<{ body: { clientSecret: string; sessionId?: string }; at: number; aborted: boolean; credentials: string }[]> =>
      (await fetch(`/refresh/${id}/log`)).json(),
  };
}

/**
 * Closes a window this page opened, as a user would, for good: Chromium loses a close() that lands while the
 * window's cross-origin navigation commits (`closed` reads true, then false; src/surfaces/popup.ts).
 */
export async function closeWindow(win: Window): Promise<void> {
  for (let shut = 0, i = 0; shut < 3 && i < 100; i++) {
    if (win.closed) shut++;
    else (win.close(), (shut = 0));
    await tick(20);
  }
}

/** A real click in the middle of `target`: a user gesture (popups need one; WebKit blocks window.open without it). */
export async function realClick(target: Element): Promise<void> {
  target.scrollIntoView({ block: 'center' });
  const r = target.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)] });
}

/**
 * Records the page's timers from now on: which are still pending (a timeout not yet fired or cleared, an interval
 * not cleared) and how often intervals fired. For proofs of absence without sleeping: "no timer left", or "the
 * check ran N times and found nothing". `restore()` puts the real functions back.
 */
export function trackTimers() {
  const live = new Map<unknown, { kind: 'timeout' | 'interval'; ms: number }>();
  const made: { kind: 'timeout' | 'interval'; ms: number }[] = [];
  let fired = 0;
  const real = { setTimeout, setInterval, clearTimeout, clearInterval };
  type Fn = (...a: unknown[]) => void;
  window.setTimeout = ((f: Fn, ms?: number, ...a: unknown[]) => {
    const id = real.setTimeout.call(window, (...x: unknown[]) => (live.delete(id), f(...x)), ms, ...a);
    live.set(id, { kind: 'timeout', ms: Number(ms) || 0 });
    made.push({ kind: 'timeout', ms: Number(ms) || 0 });
    return id;
  }) as typeof setTimeout;
  window.setInterval = ((f: Fn, ms?: number, ...a: unknown[]) => {
    const id = real.setInterval.call(window, (...x: unknown[]) => (fired++, f(...x)), ms, ...a);
    live.set(id, { kind: 'interval', ms: Number(ms) || 0 });
    made.push({ kind: 'interval', ms: Number(ms) || 0 });
    return id;
  }) as typeof setInterval;
  window.clearTimeout = ((id?: number) => (live.delete(id), real.clearTimeout.call(window, id))) as typeof clearTimeout;
  window.clearInterval = ((id?: number) => (live.delete(id), real.clearInterval.call(window, id))) as typeof clearInterval;
  return {
    /** pending timers, of a kind and a delay when given */
    live: (kind?: 'timeout' | 'interval', ms?: number) =>
      [...live.values()].filter((t) => (!kind || t.kind === kind) && (ms === undefined || t.ms === ms)).length,
    /** timers made so far, of a kind and a delay when given */
    made: (kind?: 'timeout' | 'interval', ms?: number) => made.filter((t) => (!kind || t.kind === kind) && (ms === undefined || t.ms === ms)).length,
    /** interval callbacks run so far */
    fired: () => fired,
    restore: () => Object.assign(window, real),
  };
}

/**
 * Records the window and document listeners our code (a stack through /src/) adds from now on, and which are
 * still there: removed with removeEventListener or by their AbortSignal, or fired once with `once`. The page's
 * shared listeners (src/base/page-events.ts: its lifecycle events and window messages, one each for every element)
 * are kept for the page's life, so the listeners that module adds are not counted, whatever their type: any other
 * module's `message` or `pagehide` listener is. `restore()` puts the real functions back.
 */
export function trackListeners() {
  type Entry = { target: EventTarget; type: string; fn: unknown; capture: boolean };
  const live = new Set<Entry>();
  const targets = [window, document] as EventTarget[];
  const real = targets.map((t) => ({ t, add: t.addEventListener, remove: t.removeEventListener }));
  for (const { t, add, remove } of real) {
    t.addEventListener = function (type: string, fn: unknown, o?: boolean | AddEventListenerOptions) {
      add.call(t, type, fn as EventListener, o);
      const stack = new Error().stack ?? '';
      if (!fn || !/\/src\//.test(stack) || /\/src\/base\/page-events\.ts/.test(stack)) return;
      const capture = typeof o === 'boolean' ? o : !!o?.capture;
      const signal = typeof o === 'object' ? o.signal : undefined;
      if (signal?.aborted) return;
      const entry = { target: t, type, fn, capture };
      live.add(entry);
      signal?.addEventListener('abort', () => live.delete(entry));
      if (typeof o === 'object' && o.once) add.call(t, type, () => live.delete(entry), { once: true });
    } as typeof t.addEventListener;
    t.removeEventListener = function (type: string, fn: unknown, o?: boolean | EventListenerOptions) {
      remove.call(t, type, fn as EventListener, o);
      const capture = typeof o === 'boolean' ? o : !!o?.capture;
      for (const e of live) if (e.target === t && e.type === type && e.fn === fn && e.capture === capture) live.delete(e);
    } as typeof t.removeEventListener;
  }
  return {
    /** the listeners still there, as `type` names */
    live: () => [...live].map((e) => e.type),
    restore: () => {
      for (const { t, add, remove } of real) Object.assign(t, { addEventListener: add, removeEventListener: remove });
    },
  };
}

/** Records the MessageChannels this page makes from now on: `open()` is how many of their first ports are not closed. */
export function trackPorts() {
  const made: MessagePort[] = [];
  const closed = new WeakSet<MessagePort>();
  const Real = window.MessageChannel;
  const realClose = MessagePort.prototype.close;
  window.MessageChannel = class extends Real {
    constructor() {
      super();
      made.push(this.port1);
    }
  };
  MessagePort.prototype.close = function (this: MessagePort) {
    closed.add(this);
    realClose.call(this);
  };
  return {
    made: () => made.length,
    open: () => made.filter((p) => !closed.has(p)).length,
    restore: () => {
      window.MessageChannel = Real;
      MessagePort.prototype.close = realClose;
    },
  };
}

/** window.open recorded, and every window it opened closed after the test. */
export function recordPopups() {
  const real = window.open;
  const opened: { win: Window | null; name: string }[] = [];
  window.open = (...a: Parameters<typeof window.open>) => {
    const win = real.apply(window, a);
    opened.push({ win, name: String(a[1]) });
    return win;
  };
  return {
    opened,
    restore() {
      window.open = real;
      for (const o of opened) o.win?.close();
    },
  };
}

/** Clicks the cover's "Continue in a new window" for real; resolves with the window it opened. */
export async function clickPopup(m: Mounted, popups: ReturnType<typeof recordPopups>): Promise<Window> {
  await m.el.updateComplete;
  const before = popups.opened.length;
  await realClick(m.el.shadowRoot!.querySelector<HTMLButtonElement>('button.retry')!);
  await until(
    () => popups.opened.length,
    (n) => n > before,
    'window.open',
  );
  return popups.opened.at(-1)!.win!;
}

/** An element whose frame is refused (CSP frame-ancestors), offering the popup; its button clicked for real. */
export async function inPopup(popups: ReturnType<typeof recordPopups>, attrs: Record<string, string | boolean> = {}, query = '') {
  const m = mount({ 'verify-url': hostedUrl(`frame=deny${query ? `&${query}` : ''}`), ...attrs });
  await waitFor(m, 'facesign-fallback');
  return { m, popup: await clickPopup(m, popups) };
}

/** Runs `f` with the watch's timings shortened, then puts them back. */
export async function withTiming<T>(t: Partial<typeof timing>, f: () => Promise<T>): Promise<T> {
  const saved = { ...timing };
  Object.assign(timing, t);
  try {
    return await f();
  } finally {
    Object.assign(timing, saved);
  }
}
