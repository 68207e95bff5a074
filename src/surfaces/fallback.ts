/**
 * The paths beside the embedded frame: a popup (the same channel over `window.opener`), a top-level redirect
 * with a return URL, or "open in your browser" for in-app browsers: which one a reason gets, and the error each
 * reason is reported with.
 */
import { FaceSignError, type FaceSignErrorCode } from '../protocol/errors.js';
import type { FaceSignFallbackReason, FaceSignFallbackVia } from '../base/events.js';

export type { FaceSignFallbackReason, FaceSignFallbackVia } from '../base/events.js';

/** The `fallback` setting: `auto` offers the best path that works here; `none` only reports the error. */
export type FaceSignFallback = 'auto' | 'popup' | 'redirect' | 'none';
export const FALLBACKS: readonly FaceSignFallback[] = ['auto', 'popup', 'redirect', 'none'];

/** This page is in a frame (reading `top` is allowed cross-origin). */
export const framed = (): boolean => globalThis.top !== globalThis.window;

/** The path to offer for `reason` under `setting`, or undefined for none. */
export function fallbackVia(setting: FaceSignFallback, reason: FaceSignFallbackReason): FaceSignFallbackVia | undefined {
  if (setting === 'none') return undefined;
  // an in-app browser or one without a camera cannot verify in any window of its own
  if (reason === 'in_app' || reason === 'no_camera' || reason === 'webview_no_camera') return 'browser';
  // a cross-origin isolated page (COOP same-origin) severs every popup it opens from itself; a page that is itself
  // in a frame cannot send the tab away (the redirect would navigate its frame, and its return lands in a storage
  // partition of another site): there, no redirect is offered
  if (setting === 'redirect' || reason === 'popup_blocked' || globalThis.crossOriginIsolated) return framed() ? undefined : 'redirect';
  return 'popup';
}

/** the error each reason is reported with */
const REASON_CODE: Record<FaceSignFallbackReason, FaceSignErrorCode> = {
  camera_blocked: 'camera_blocked',
  frame_blocked: 'frame_blocked',
  hosted_page_lost: 'hosted_page_lost',
  popup_blocked: 'popup_blocked',
  in_app: 'unsupported_browser',
  insecure: 'unsupported_browser',
  no_camera: 'unsupported_browser',
  webview_no_camera: 'webview_no_camera',
};
const REASON_MESSAGE: Partial<Record<FaceSignFallbackReason, string>> = __FACESIGN_DEV__
  ? {
      in_app: 'an in-app browser (or WebView) cannot use the camera here: the user can open this page in their browser',
      insecure: 'this page is not a secure context (https), so a frame in it has no camera: the user can continue in a popup',
      no_camera: 'this browser has no camera API (navigator.mediaDevices.getUserMedia)',
      webview_no_camera:
        'this app\'s WebView has no camera API (navigator.mediaDevices.getUserMedia): check its settings (docs/fallbacks.md, "WebView: your own app"), or open the page in the system browser',
      popup_blocked:
        'the browser blocked the popup, or the page cannot reach it (a Cross-Origin-Opener-Policy of same-origin severs it: send same-origin-allow-popups)',
    }
  : {
      in_app: 'an in-app browser cannot use the camera here',
      insecure: 'this page is not a secure context (https)',
      no_camera: 'this browser has no camera API',
      webview_no_camera: "this app's WebView has no camera API",
      popup_blocked: 'the browser blocked the popup, or the page cannot reach it',
    };

/** The recoverable error a reason is reported with; `message` for the reasons whose detail only the caller knows. */
export const reasonError = (reason: FaceSignFallbackReason, message = REASON_MESSAGE[reason] ?? reason) =>
  new FaceSignError(REASON_CODE[reason], message, true);

/** An Android intent that opens `href` in the default browser (in-app browsers ignore plain links to it). */
export function intentUrl(href: string): string {
  const u = new URL(href);
  return `intent://${u.host}${u.pathname}${u.search}#Intent;scheme=${u.protocol.slice(0, -1)};S.browser_fallback_url=${encodeURIComponent(href)};end`;
}
