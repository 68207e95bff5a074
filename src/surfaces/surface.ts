/**
 * A surface is one way of showing the hosted page: the frame (inline or in the modal), the popup, the redirect.
 * The session talks to whichever is current and swaps it for a fallback; a surface only opens, watches and
 * closes its own window. What "closing" means differs: a frame is removed, a popup is closed, and a redirect
 * leaving the page is not a cancel.
 */
export type SurfaceKind = 'frame' | 'popup' | 'redirect';

export interface Surface {
  readonly kind: SurfaceKind;
  /** the window the hosted page runs in: the channel's hello must come from it */
  window(): Window | null | undefined;
  /** closes what it opened (idempotent); the session has ended, or moved to another surface */
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
