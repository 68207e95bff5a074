/**
 * The handoff surface, the relay: the hosted page in a hidden frame, in `handoff` mode. It holds the client secret,
 * mints the one-time link the phone opens, and relays where the phone is (docs/protocol.md, "Continue on the
 * phone"); the element's box shows the link and the phone's progress instead of the page. Its policy: it needs no
 * camera here (a blocked one changes nothing), a page that goes silent interrupts, and only a page whose hello lists
 * `handoff` can relay. Loaded with the handoff's UI (on demand), never in the first file.
 */
import { CAPS } from '../protocol/messages.js';
import { FrameSurface } from './frame.js';
import type { OnTrouble, Surface, SurfaceEvents } from './surface.js';

export class HandoffSurface implements Surface {
  readonly whenLost: OnTrouble = { interrupt: true };
  readonly whenTimedOut: OnTrouble = { interrupt: true };
  readonly whenCameraBlocked = undefined;
  readonly shownIn = 'phone';
  readonly requires = CAPS.handoff;
  readonly #frame: FrameSurface;

  constructor(url: string, origin: string, title: string, events: SurfaceEvents) {
    // the camera is the phone's: this page's Permissions-Policy does not matter here, and the relay is allowed no
    // feature at all (least privilege: it only makes the link and says where the phone is)
    this.#frame = new FrameSurface(url, origin, title, { ...events, policyBlocks: () => {} }, [], []);
    // a relay, never seen: the box shows the link; CSSOM, so a strict CSP allows it
    this.#frame.iframe.style.display = 'none';
    this.#frame.iframe.tabIndex = -1;
  }

  initMode(): string {
    return 'handoff';
  }
  delegated(): string {
    return '';
  }
  sentBy(source: MessageEventSource | null): boolean {
    return this.#frame.sentBy(source);
  }
  place(box: Element | null | undefined): void {
    this.#frame.place(box);
  }
  focus(): void {
    // nothing here to focus: the person is on their phone
  }
  retitle(title: string): void {
    this.#frame.retitle(title);
  }
  get visible(): boolean {
    return this.#frame.visible;
  }
  get holdsBox(): boolean {
    return this.#frame.holdsBox;
  }
  release(gone: () => void): void {
    this.#frame.release(gone);
  }
  /** The end: the box shows the end; the relay stays (hidden) until the element lets go, for a `close` on its way. */
  ended(): void {}
  close(): void {
    this.#frame.close();
  }
}
