import '../../src/index.js';
import { FaceSignVerifyElement } from '../../src/element.js';

/** The test page is on localhost; the hosted page comes from 127.0.0.1 on the same server: another origin. */
export const FRAME_ORIGIN = `http://127.0.0.1:${location.port}`;
export const hostedUrl = (query = '') => `${FRAME_ORIGIN}/test/fixtures/hosted.html${query ? `?${query}` : ''}`;
export const SECRET = 'vs_test123_secret_abcDEF456';

export type Recorded = { type: string; detail: unknown };
export const TERMINAL = ['facesign-complete', 'facesign-cancel', 'facesign-error'];
const NAMES = ['ready', 'start', 'step', 'complete', 'cancel', 'error', 'close-request', 'close', 'secret-refresh', 'secret-expired'].map((n) => `facesign-${n}`);

export interface Mounted {
  el: FaceSignVerifyElement;
  events: Recorded[];
  /** terminal events so far (errors only when not recoverable) */
  terminal(): Recorded[];
}

/** Creates the element with attributes, records every facesign-* event from before it connects, appends it. */
export function mount(attrs: Record<string, string | boolean> = {}, parent: Node = document.body): Mounted {
  const el = document.createElement('facesign-verify');
  const events: Recorded[] = [];
  for (const n of NAMES) el.addEventListener(n, (e) => events.push({ type: e.type, detail: (e as CustomEvent).detail }));
  const all: Record<string, string | boolean> = { 'client-secret': SECRET, 'verify-url': hostedUrl(), ...attrs };
  for (const [k, v] of Object.entries(all)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  parent.appendChild(el);
  mounted.push(el);
  return {
    el,
    events,
    terminal: () => events.filter((e) => TERMINAL.includes(e.type) && !(e.type === 'facesign-error' && (e.detail as { recoverable: boolean }).recoverable)),
  };
}

const mounted: Element[] = [];
/** Removes what tests mounted (call in afterEach). */
export function cleanup() {
  for (const el of mounted.splice(0)) el.remove();
  document.querySelectorAll('iframe').forEach((f) => f.remove());
}

export const frameOf = (el: FaceSignVerifyElement) => el.shadowRoot!.querySelector('iframe');

/** Resolves with the next `{ fixture }` report from `win` matching `pred`. */
export function fromFixture(win: () => Window | null | undefined, pred: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (e: MessageEvent) => {
      const f = (e.data as { fixture?: Record<string, unknown> })?.fixture;
      if (f && e.source === win() && pred(f)) {
        removeEventListener('message', on);
        resolve(f);
      }
    };
    addEventListener('message', on);
  });
}

let nextId = 1;
/** Sends a command without waiting: for commands after which the frame is gone (navigation, an ending message). */
export function post(target: FaceSignVerifyElement, cmd: Record<string, unknown>): void {
  frameOf(target)!.contentWindow!.postMessage({ cmd, id: nextId++ }, FRAME_ORIGIN);
}

/** Sends a command to the fixture inside `el` (or a plain iframe) and waits for its acknowledgement. */
export async function command(target: FaceSignVerifyElement | HTMLIFrameElement, cmd: Record<string, unknown>): Promise<void> {
  const win = () => (target instanceof HTMLIFrameElement ? target : frameOf(target))?.contentWindow;
  const id = nextId++;
  const acked = fromFixture(win, (f) => f.ack === id);
  win()!.postMessage({ cmd, id }, FRAME_ORIGIN);
  await acked;
}

/** Waits until `el` dispatched an event named `type` (or resolves at once if it already did since `from`). */
export function waitFor(m: Mounted, type: string, from = 0): Promise<Recorded> {
  const found = m.events.slice(from).find((e) => e.type === type);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => m.el.addEventListener(type, (e) => resolve({ type, detail: (e as CustomEvent).detail }), { once: true }));
}

/** Mounts an inline element and waits for facesign-ready. */
export async function mountReady(attrs: Record<string, string | boolean> = {}): Promise<Mounted> {
  const m = mount(attrs);
  await waitFor(m, 'facesign-ready');
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
/** One macrotask for the browser to deliver anything already posted. */
export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
