/**
 * The frame surface: the hosted page in an iframe of the element (inline, or in its modal). A new iframe per
 * session, so no session-history entry is ever added; never moved once placed (moving reloads its document).
 */
import type { OnTrouble, Surface, SurfaceEvents } from './surface.js';
import { blockedFeatures } from './obstacles.js';
import { usable, type FaceSignDelegation } from './delegation.js';
import { end } from '../base/lifetime.js';

/** ms a closed session's iframe is kept (hidden) for the hosted page to handle `close` */
const LINGER = 1000;

/** What the hosted page that verifies here uses: the camera and microphone, its video full screen, copying a reference. */
export const VERIFYING_PAGE = ['camera', 'microphone', 'fullscreen', 'autoplay', 'clipboard-write'] as const;

export class FrameSurface implements Surface {
  readonly whenLost: OnTrouble = { interrupt: true };
  readonly whenTimedOut: OnTrouble = { interrupt: true };
  readonly whenCameraBlocked: OnTrouble = { offer: 'camera_blocked' };
  readonly shownIn = 'element';
  readonly iframe = document.createElement('iframe');
  #events: SurfaceEvents;
  #origin: string;
  #delegate: readonly FaceSignDelegation[];
  #placed = false;
  /** ends when the iframe goes (at once, or after lingering) */
  #untilGone = new AbortController();
  /** ends when it starts lingering: hidden from then on */
  #untilHidden = new AbortController();

  /** `features`: what the page may use (a hidden relay, none); `delegate`: what the merchant added to them */
  constructor(
    url: string,
    origin: string,
    title: string,
    events: SurfaceEvents,
    delegate: readonly FaceSignDelegation[] = [],
    features: readonly string[] = VERIFYING_PAGE,
  ) {
    this.#events = events;
    this.#origin = origin;
    this.#delegate = delegate;
    const f = this.iframe;
    f.part.add('frame');
    f.title = title;
    // what the merchant asked for beyond the page's own, and nothing more
    f.allow = [...features, ...delegate].join('; ');
    f.referrerPolicy = 'strict-origin';
    f.src = url;
    f.addEventListener('load', () => events.loaded(), { signal: this.#untilGone.signal });
  }

  initMode(elementMode: string): string {
    return elementMode;
  }

  /**
   * The page itself and windows that are not this page's frames are told apart before the iframe is asked for its
   * window: in Chromium the first contentWindow of a frame whose cross-origin navigation has not committed yet
   * creates the script context of its initial about:blank document (0.6 to 20 ms a frame on a 2-core machine; 50
   * elements mounted in one task made the page's next own message take 75 to 270 ms), and a page's own traffic
   * must not pay that. A window's `parent` is readable across origins.
   */
  sentBy(source: MessageEventSource | null): boolean {
    return !!source && source !== window && (source as Window).parent === window && source === this.iframe.contentWindow;
  }

  delegated(): string {
    return usable(this.iframe, this.#origin, this.#delegate).join(' ');
  }

  get visible(): boolean {
    return !this.#untilHidden.signal.aborted;
  }

  get holdsBox(): boolean {
    return !this.#untilGone.signal.aborted && this.iframe.isConnected;
  }

  /** Puts the iframe in `box`, in the task it was made: the page's Permissions-Policy is known before it loads. */
  place(box: Element | null | undefined): void {
    if (this.#placed || !box || this.#untilGone.signal.aborted) return;
    box.prepend(this.iframe);
    this.#placed = true;
    const blocked = blockedFeatures(this.iframe, this.#origin);
    if (blocked.length) this.#events.policyBlocks(blocked);
  }

  focus(): void {
    this.iframe.focus();
  }

  retitle(title: string): void {
    this.iframe.title = title;
  }

  ended(): void {
    // the hosted page's end screen stays until the element closes
  }

  /** Keeps the iframe hidden up to a second for its page to handle `close`, then removes it; `gone` after. */
  release(gone: () => void): void {
    if (!this.visible) return;
    end(this.#untilHidden);
    if (!this.iframe.isConnected) return (this.close(), gone());
    this.iframe.classList.add('lingering');
    const timer = setTimeout(() => (this.close(), gone()), LINGER);
    this.#untilGone.signal.addEventListener('abort', () => clearTimeout(timer));
  }

  close(): void {
    end(this.#untilHidden);
    end(this.#untilGone);
    // removed now, not at the next render: a disconnected element may never render again
    this.iframe.remove();
  }
}
