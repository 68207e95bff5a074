/**
 * The frame surface: the hosted page in an iframe of the element (inline, or in its modal). A new iframe per
 * session, so no session-history entry is ever added; never moved once placed (moving reloads its document).
 */
import type { Surface, SurfaceEvents } from './surface.js';
import { blockedFeatures } from './obstacles.js';
import { end } from '../base/lifetime.js';

/** ms a closed session's iframe is kept (hidden) for the hosted page to handle `close` */
const LINGER = 1000;

export class FrameSurface implements Surface {
  readonly kind = 'frame';
  readonly iframe = document.createElement('iframe');
  /** hidden, kept until the hosted page handled `close` */
  lingering = false;
  #events: SurfaceEvents;
  #origin: string;
  #placed = false;
  #gone = new AbortController();

  constructor(url: string, origin: string, title: string, events: SurfaceEvents) {
    this.#events = events;
    this.#origin = origin;
    const f = this.iframe;
    f.part.add('frame');
    f.title = title;
    f.allow = 'camera; microphone; fullscreen; autoplay; clipboard-write';
    f.referrerPolicy = 'strict-origin';
    f.src = url;
    f.addEventListener('load', () => events.loaded(), { signal: this.#gone.signal });
  }

  window(): Window | null {
    return this.iframe.contentWindow;
  }

  /** Shown: in the DOM and not lingering. */
  get shown(): boolean {
    return !this.#gone.signal.aborted && !this.lingering;
  }

  /** Puts the iframe in `box`, in the task it was made: the page's Permissions-Policy is known before it loads. */
  place(box: Element | null | undefined): void {
    if (this.#placed || !box || this.#gone.signal.aborted) return;
    box.prepend(this.iframe);
    this.#placed = true;
    const blocked = blockedFeatures(this.iframe, this.#origin);
    if (blocked.length) this.#events.policyBlocks(blocked);
  }

  /** Keeps the iframe hidden up to a second for its page to handle `close`, then removes it; `onGone` after. */
  linger(onGone: () => void): void {
    if (this.lingering) return;
    if (!this.iframe.isConnected) return (this.close(), onGone());
    this.lingering = true;
    this.iframe.classList.add('lingering');
    const timer = setTimeout(() => (this.close(), onGone()), LINGER);
    this.#gone.signal.addEventListener('abort', () => clearTimeout(timer));
  }

  close(): void {
    end(this.#gone);
    this.lingering = false;
    // removed now, not at the next render: a disconnected element may never render again
    this.iframe.remove();
  }
}
