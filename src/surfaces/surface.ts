/**
 * A surface is one way of showing the hosted page: the frame (inline or in the modal) or the popup. The session
 * talks to whichever is current and swaps it for another; what differs between them is decided here, by the
 * surface, so nothing outside src/surfaces asks which one it has. (The redirect is not a surface: the tab
 * leaves, see redirect.ts.)
 */
import type { FaceSignFallbackReason } from '../base/events.js';

/** What the session does when something goes wrong on a surface: end with an error cover, or offer another path. */
export type OnTrouble = { interrupt: true } | { offer: FaceSignFallbackReason };

export interface Surface {
  /** the mode `init` names for the hosted page: the element's own (inline, modal), or where the surface puts it */
  initMode(elementMode: string): string;
  /** the page went silent, or its document was replaced */
  readonly whenLost: OnTrouble;
  /** the page said no hello within loadTimeout */
  readonly whenTimedOut: OnTrouble;
  /** the hosted page reports the camera blocked in its document: the frame offers a window of its own */
  readonly whenCameraBlocked: OnTrouble | undefined;
  /**
   * 'element': the hosted page is seen in the element's box; 'window': elsewhere, the box says where; 'phone': on
   * the person's phone, the box shows how to get it there and where it is
   */
  readonly shownIn: 'element' | 'window' | 'phone';
  /** a capability the page's hello must list for this surface to work (the relay's `handoff`); none: any page */
  readonly requires?: string;
  /**
   * the features delegated to the hosted page on request that it can use, space-separated (`init.delegated`): a
   * frame's, as its `allow` gives them; '' for a window of its own, a top-level page that needs no delegation
   */
  delegated(): string;
  /** whether `source` (a window message's) is the window the hosted page runs in: the channel's hello must come from it */
  sentBy(source: MessageEventSource | null): boolean;
  /** puts it in the element's box, where it has a place there (in the task it was made) */
  place(box: Element | null | undefined): void;
  /** brings it to the user's attention (a popup behind the page) */
  focus(): void;
  /** renames it for assistive technology (the element's language changed) */
  retitle(title: string): void;
  /** seen now: in the DOM and not on its way out */
  readonly visible: boolean;
  /** holds a node in the element's box (shown or lingering): the box must stay rendered */
  readonly holdsBox: boolean;
  /**
   * The session is over: the surface goes, in its own way (a frame is kept hidden up to a second for its page to
   * handle `close`, a popup closes); `gone` when nothing of it is left.
   */
  release(gone: () => void): void;
  /** the verification ended: what is still useful stays (a frame shows the hosted page's end screen), the rest closes */
  ended(): void;
  /** closes what it opened, at once (idempotent) */
  close(): void;
}

/** What a surface reports to its session. */
export interface SurfaceEvents {
  /** the surface's document finished loading (the frame's load event) */
  loaded(): void;
  /** the user closed the popup; `severed`: it closed at once, before its page could say hello */
  closed(severed: boolean): void;
  /** the page's Permissions-Policy refuses these features to the placed frame */
  policyBlocks(features: string[]): void;
}
