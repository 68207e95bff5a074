/**
 * What keeps a verification from working in an embedded frame here, found before the user starts: checked with
 * what the browser can tell. A small table of in-app browsers instead of a detection library: the ones that fit
 * our size budget (bowser, ua-parser-js) are 10–20 kB and still need the same app tokens; these are tested with
 * real user-agent strings (test/browser/reach.test.ts, test/browser/webview.test.ts).
 */

/**
 * Social and messaging apps' in-app browsers, where getUserMedia is missing or the camera prompt never shows:
 * Instagram, Facebook (FBAN/FBAV/FB_IAB), Messenger, TikTok (musical_ly, Bytedance), Snapchat, LinkedIn, X
 * (Twitter), WeChat (MicroMessenger), LINE. Refused whatever the `webview` setting says: they are not the merchant's.
 */
const SOCIAL = /Instagram|FBAN|FBAV|FB_IAB|FBIOS|Messenger|musical_ly|Bytedance|TikTok|Snapchat|LinkedInApp|Twitter|MicroMessenger|\bLine\//i;
/** Android's WebView (`; wv)`): refused unless the merchant says it is its own app's, which grants the camera */
const ANDROID_WEBVIEW = /; wv\)/;

import type { BrowserObstacle } from '../base/events.js';

export type { BrowserObstacle } from '../base/events.js';

/**
 * The `webview` setting. `refuse` (default): an Android WebView is treated as an in-app browser, which cannot
 * verify. `own-app`: this page runs in the merchant's own app's WebView (Android, or iOS WKWebView), set up to grant
 * the camera: it is not refused, and a WebView that still has no camera API says so (`webview_no_camera`).
 */
export type FaceSignWebView = 'refuse' | 'own-app';
export const WEBVIEWS: readonly FaceSignWebView[] = ['refuse', 'own-app'];

/** the last user agent matched, and what kind of browser it is: a page's never changes, so once per page */
let seen: [string, 'social' | 'webview' | 'browser'] | undefined;

/** Why this browser cannot verify in a frame (or at all), or undefined. */
export function browserObstacle(ua = navigator.userAgent, webview: FaceSignWebView = 'refuse'): BrowserObstacle | undefined {
  if (seen?.[0] !== ua) seen = [ua, SOCIAL.test(ua) ? 'social' : ANDROID_WEBVIEW.test(ua) ? 'webview' : 'browser'];
  const own = webview === 'own-app';
  if (seen[1] === 'social' || (seen[1] === 'webview' && !own)) return 'in_app';
  // a frame in an http page is not a secure context: no camera there, but a top-level https page has one
  if (!isSecureContext) return 'insecure';
  // the merchant's app: its WebView's settings (or an old WebView) withhold the camera API, which the app can mend
  if (!navigator.mediaDevices?.getUserMedia) return own ? 'webview_no_camera' : 'no_camera';
  return undefined;
}

type Policy = { allowsFeature(feature: string, origin?: string): boolean };

/**
 * The `features` (by default the camera and microphone) our placed iframe is refused by the page's
 * Permissions-Policy, where the browser tells (Chromium's `iframe.featurePolicy`: it includes the allow attribute;
 * the document's own answers only for itself).
 */
export function blockedFeatures(frame: HTMLIFrameElement, origin: string, features: readonly string[] = ['camera', 'microphone']): string[] {
  const policy = (frame as { featurePolicy?: Policy }).featurePolicy;
  return policy ? features.filter((f) => !policy.allowsFeature(f, origin)) : [];
}
