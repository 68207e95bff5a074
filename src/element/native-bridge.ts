/**
 * The native bridge (`native-bridge="facesign"`): every `facesign-*` event the element dispatches, forwarded to the
 * merchant's own app where it has a known channel, so that its native code learns the result without scraping the
 * DOM. One channel, the first found at each event: iOS `window.webkit.messageHandlers.<name>.postMessage(message)`,
 * Android's `@JavascriptInterface` object `window.<name>.postMessage(json)`, React Native WebView's
 * `window.ReactNativeWebView.postMessage(json)`. The message is `{ ns: 'facesign', v: 1, type, detail }` with the
 * event's own detail: no detail carries a secret. Its listeners end with the element's connection.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FaceSignEventName } from '../base/events.js';
import { end } from '../base/lifetime.js';
import { checkBridgeName } from './options.js';

/** every event the element dispatches (the compiler checks none is missing) */
const FORWARDED: Record<FaceSignEventName, 1> = {
  'facesign-ready': 1,
  'facesign-start': 1,
  'facesign-step': 1,
  'facesign-complete': 1,
  'facesign-cancel': 1,
  'facesign-error': 1,
  'facesign-close-request': 1,
  'facesign-close': 1,
  'facesign-secret-refresh': 1,
  'facesign-secret-request': 1,
  'facesign-fallback': 1,
  'facesign-secret-expired': 1,
};

export interface BridgeMessage {
  ns: 'facesign';
  v: 1;
  type: FaceSignEventName;
  detail: unknown;
}

type Poster = { postMessage(m: unknown): void };
const posts = (o: unknown): o is Poster => typeof (o as Poster | undefined)?.postMessage === 'function';
/** a window (a named iframe's, `window.self`…) posts to a page, not to native code; a cross-origin one may not be read */
function isWindow(o: object): boolean {
  try {
    return (o as { window?: unknown }).window === o;
  } catch {
    return true;
  }
}

/** The app's channel under `name` now, or undefined where this page runs in no app that listens. */
function channel(name: string): ((m: BridgeMessage) => void) | undefined {
  const w = globalThis as unknown as Record<string, unknown> & { webkit?: { messageHandlers?: Record<string, unknown> } };
  const ios = w.webkit?.messageHandlers?.[name];
  if (posts(ios)) return (m) => ios.postMessage(m);
  // Android's interface takes strings only
  const android = w[name];
  if (posts(android) && !isWindow(android)) return (m) => android.postMessage(JSON.stringify(m));
  const rn = w.ReactNativeWebView;
  if (posts(rn)) return (m) => rn.postMessage(JSON.stringify(m));
  return undefined;
}

type BridgeHost = ReactiveControllerHost & HTMLElement & { nativeBridge?: unknown; log(...a: unknown[]): void };

/** Forwards the element's events to its app's native code while it is connected, when `nativeBridge` names a handler. */
export class NativeBridge implements ReactiveController {
  readonly #el: BridgeHost;
  #untilDisconnected?: AbortController;

  constructor(el: BridgeHost) {
    this.#el = el;
    el.addController(this);
  }

  hostConnected(): void {
    const signal = (this.#untilDisconnected = new AbortController()).signal;
    // capture: at the target, before the page's own listeners, whatever they stop
    for (const type of Object.keys(FORWARDED)) this.#el.addEventListener(type, (e) => this.#forward(e as CustomEvent), { signal, capture: true });
  }

  hostDisconnected(): void {
    if (this.#untilDisconnected) end(this.#untilDisconnected);
  }

  #forward(e: CustomEvent): void {
    let name: string | undefined;
    try {
      name = checkBridgeName(this.#el.nativeBridge);
    } catch {
      // the session reports the bad name (invalid_option) at its start
    }
    const send = name && channel(name);
    if (!send) return;
    try {
      // read only where an app listens: in the development build, a facesign-error whose detail nobody read is warned about
      send({ ns: 'facesign', v: 1, type: e.type as FaceSignEventName, detail: e.detail });
    } catch (err) {
      // the app's channel refused it: the page's own events go on regardless
      this.#el.log('native bridge:', (err as Error)?.message ?? err);
    }
  }
}
