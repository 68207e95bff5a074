import type { FaceSignErrorDetail } from '../protocol/errors.js';

/**
 * What keeps a verification from working in an embedded frame here, found before anything loads;
 * `webview_no_camera`: the merchant's own app's WebView (`webview="own-app"`) gives no camera API.
 */
export type BrowserObstacle = 'in_app' | 'insecure' | 'no_camera' | 'webview_no_camera';
/** Why the frame cannot verify. */
export type FaceSignFallbackReason = 'camera_blocked' | 'frame_blocked' | 'hosted_page_lost' | 'popup_blocked' | BrowserObstacle;
/** What is offered: a popup, a redirect, or opening this page in the user's own browser. */
export type FaceSignFallbackVia = 'popup' | 'redirect' | 'browser';

/** What asked to close: the user (Esc, close button, backdrop) or the hosted page. */
export type FaceSignCloseSource = 'escape' | 'close_button' | 'backdrop' | 'hosted_page';

/**
 * Why a session was canceled: the hosted page's own reason (e.g. "user_canceled"), a close source, or
 * `closed` (close() / open=false), `removed` (element left the DOM), `page_hidden` (the page was unloaded or
 * put in the back/forward cache), `replaced` (client-secret, verify-url, mode or lang changed mid-session),
 * `popup_closed` (the user closed the popup the verification ran in).
 */
export type FaceSignCancelReason = FaceSignCloseSource | 'closed' | 'removed' | 'page_hidden' | 'replaced' | 'popup_closed' | (string & {});

/** The reasons a cancel can carry from the sandbox and FaceSign's hosted page, and the SDK's own. */
export const CANCEL_REASONS = [
  'user_canceled',
  'closed_by_host',
  'escape',
  'close_button',
  'backdrop',
  'hosted_page',
  'closed',
  'removed',
  'page_hidden',
  'replaced',
  'popup_closed',
] as const;

export interface FaceSignReadyDetail {
  /** true when this run continues the session the element ran before this page came back (a reload, Back, a discarded tab) */
  resumed?: true;
}
export type FaceSignStartDetail = Record<string, never>;
export interface FaceSignStepDetail {
  /** id of the flow node now shown (the session's `flow[].id`) */
  nodeId: string;
  /** its type, e.g. "conversation" */
  nodeType: string;
}
export interface FaceSignCompleteDetail {
  /** Confirm the result on your server (webhook or GET /sessions/:id): a browser event can be forged. */
  sessionId: string;
}
export interface FaceSignCancelDetail {
  reason: FaceSignCancelReason;
}
export type { FaceSignErrorDetail } from '../protocol/errors.js';
export interface FaceSignCloseRequestDetail {
  source: FaceSignCloseSource;
}
export interface FaceSignCloseDetail {
  reason: FaceSignCancelReason | 'complete' | 'error';
}

export interface FaceSignSecretRefreshDetail {
  /** what started the refresh: the proactive timer, the hosted page, or refreshSecret() */
  trigger: 'expiring' | 'expired' | 'manual';
  /** the new secret's expiry (unix seconds), when known. The secret itself is never in an event. */
  expireAt?: number;
}
export interface FaceSignSecretRequestDetail {
  /** `expiring`: within the refresh margin; `expired`: the hosted page refused it; `manual`: refreshSecret() */
  trigger: 'expiring' | 'expired' | 'manual';
  /** the current secret's expiry (unix seconds), when known */
  expireAt?: number;
}
export interface FaceSignFallbackDetail {
  /** why the frame cannot verify here */
  reason: FaceSignFallbackReason;
  /** the path about to be offered; preventDefault() to offer your own UI, then call `continueIn(via)` */
  via: FaceSignFallbackVia;
}
/** @deprecated the event is `facesign-secret-request` now */
export type FaceSignSecretExpiredDetail = FaceSignSecretRequestDetail;

export interface FaceSignEventMap {
  /** the hosted page is loaded and connected */
  'facesign-ready': CustomEvent<FaceSignReadyDetail>;
  /** the user started the verification */
  'facesign-start': CustomEvent<FaceSignStartDetail>;
  /** the flow moved to another node */
  'facesign-step': CustomEvent<FaceSignStepDetail>;
  /** terminal: the flow finished (confirm server-side) */
  'facesign-complete': CustomEvent<FaceSignCompleteDetail>;
  /** terminal: the session was canceled */
  'facesign-cancel': CustomEvent<FaceSignCancelDetail>;
  /** an error; terminal when `detail.recoverable` is false */
  'facesign-error': CustomEvent<FaceSignErrorDetail>;
  /** cancelable: the user or the hosted page asks to close; preventDefault() keeps it open */
  'facesign-close-request': CustomEvent<FaceSignCloseRequestDetail>;
  /** the verification UI was closed */
  'facesign-close': CustomEvent<FaceSignCloseDetail>;
  /** a new client secret reached the hosted page (for your logs; no secret inside) */
  'facesign-secret-refresh': CustomEvent<FaceSignSecretRefreshDetail>;
  /** cancelable, only without refreshUrl / fetchClientSecret: a new client secret is needed; preventDefault() and set `clientSecret` */
  'facesign-secret-request': CustomEvent<FaceSignSecretRequestDetail>;
  /** cancelable: the frame cannot verify here and another path is about to be offered */
  'facesign-fallback': CustomEvent<FaceSignFallbackDetail>;
  /** @deprecated until 1.0: the old name of `facesign-secret-request`, dispatched after it when nobody handled that */
  'facesign-secret-expired': CustomEvent<FaceSignSecretRequestDetail>;
}

export type FaceSignEventName = keyof FaceSignEventMap;
export type FaceSignEventDetail<K extends FaceSignEventName> = FaceSignEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * Dispatches a typed event from `target`; returns false when a listener called preventDefault(). `read`: told
 * when a listener reads the detail (the development build's unheard errors, unheard.ts).
 */
export function emit<K extends FaceSignEventName>(
  target: EventTarget,
  name: K,
  detail: FaceSignEventDetail<K>,
  cancelable = false,
  read?: () => void,
) {
  const event = new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable });
  if (read) Object.defineProperty(event, 'detail', { get: () => (read(), detail) });
  return target.dispatchEvent(event);
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends FaceSignEventMap {}
}
