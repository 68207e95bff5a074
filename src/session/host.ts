/**
 * What a session is given: its checked inputs, what it needs from its element (the host), and the parts it is
 * built from (real ones in the element, fakes in the session's unit tests).
 */
import type { ClientSecretInput } from '../base/client-secret.js';
import type { BrowserObstacle } from '../base/events.js';
import type { Outbox } from '../base/outbox.js';
import type { FaceSignFallback } from '../surfaces/fallback.js';
import type { FaceSignWebView } from '../surfaces/obstacles.js';
import type { FaceSignDelegation } from '../surfaces/delegation.js';
import type { Surface, SurfaceEvents } from '../surfaces/surface.js';
import type { FaceSignCrossDevice } from '../surfaces/handoff.js';
import type { leaveForHostedPage } from '../surfaces/redirect.js';
import type { HostChannel, HostChannelOptions } from './host-channel.js';
import type { RefreshSettings } from './refresh-settings.js';
import type * as SecretRefreshCode from './secret-refresh.js';

export type FaceSignMode = 'inline' | 'modal';

/** The inputs a session starts with, already checked. */
export interface SessionInputs {
  /** undefined: fetchClientSecret gives the first one */
  secret?: ClientSecretInput;
  /** the hosted page's URL and exact origin for this secret (throws invalid_verify_url) */
  hostedPage: (secret: ClientSecretInput) => { base: string; origin: string };
  mode: FaceSignMode;
  lang: string;
  /** ms the hosted page has to say hello */
  loadTimeout: number;
  /** the `fallback` setting as it is now (throws invalid_option) */
  fallback: () => FaceSignFallback;
  /** where a redirect comes back to (default: this page's origin and path, never its query or fragment) */
  returnUrl?: string;
  /** the session this element ran in this tab and did not end (resume-memory.ts): asked for first */
  resumeFrom?: string;
  /** the merchant's appearance, checked, as JSON: handed to a hosted page that takes it (its hello says so) */
  appearance?: string;
  /** whether a WebView here is the merchant's own app's, which grants the camera */
  webview: FaceSignWebView;
  /** the features the frame is given beyond the camera's (its `allow`), on request */
  delegate: readonly FaceSignDelegation[];
  /** the `crossDevice` setting as it is now (throws invalid_option) */
  crossDevice: () => FaceSignCrossDevice;
}

/** Where an earlier run of the same verification got to: a restart goes on from there. */
export interface Continuation {
  secret: ClientSecretInput;
  sessionId?: string;
}

/** What a session needs from its element. */
export interface SessionHost {
  /** the element's events, in order */
  readonly events: Outbox;
  /** every input checked (throws the FaceSignError of the first bad one) */
  readInputs(): SessionInputs;
  /** the refresh settings, read at each refresh (throws a FaceSignError when one became invalid) */
  refreshSettings(): RefreshSettings;
  /** one render of the element */
  update(): void;
  /** a new surface: put it in the element's box now, in the task it was made */
  place(surface: Surface): void;
  /** the hosted page reported its height */
  resizeFrame(height: number): void;
  /** the hosted page asked to close (a cancelable facesign-close-request while the session runs) */
  requestClose(source: 'hosted_page'): void;
  frameTitle(): string;
  log(...a: unknown[]): void;
}

/** Opens the hosted page in a window of its own; undefined when the browser blocked it. */
export type PopupOpener = (url: string, name: string, events: SurfaceEvents) => Surface | undefined;

/** Whether a server answers: 'unknown' where this page's CSP (connect-src) refused the question. */
export type Reach = 'reachable' | 'unreachable' | 'unknown';

/** The parts a session is built from. */
export interface SessionParts {
  frame(url: string, origin: string, title: string, events: SurfaceEvents, delegate: readonly FaceSignDelegation[]): Surface;
  /** the popup, which comes on demand: `now` while it is loaded, `load` to get it (again after a failure) */
  popup: { now(): PopupOpener | undefined; load(): Promise<PopupOpener> };
  /** the redirect's leaving half, on demand */
  redirect(): Promise<typeof leaveForHostedPage>;
  /**
   * How new client secrets are got and handed to the hosted page (secret-refresh.ts), on demand: `now` once it is
   * loaded, `load` to get it (again after a failure). Loaded when the page is ready where a refresh is configured,
   * so a refresh does not wait for it; otherwise on the first refresh.
   */
  secrets: { now(): typeof SecretRefreshCode | undefined; load(): Promise<typeof SecretRefreshCode> };
  /** the UI that offers another path, on demand: loaded when a path is offered, before the user can click */
  offerUi(): Promise<unknown>;
  openChannel(o: HostChannelOptions): HostChannel;
  /** what keeps a frame from working in this browser, found before anything loads */
  obstacle(webview: FaceSignWebView): BrowserObstacle | undefined;
  /** whether the hosted page's server answers at all (unreachable.ts) */
  reach(url: string, signal: AbortSignal): Promise<Reach>;
  /**
   * Continuing on the phone (handoff.ts): its relay surface, its UI on demand (the QR code), and whether this is a
   * computer. Absent from a build without it (the script tag): the phone is never offered there.
   */
  handoff?: {
    /** undefined while its module is not loaded (`ui` loads it) */
    surface(url: string, origin: string, title: string, events: SurfaceEvents): Surface | undefined;
    ui(): Promise<unknown>;
    onComputer(): boolean;
  };
}
