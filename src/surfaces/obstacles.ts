/**
 * What keeps a verification from working in an embedded frame here, found before the user starts: checked with
 * what the browser can tell. A small table of in-app browsers instead of a detection library: the ones that fit
 * our size budget (bowser, ua-parser-js) are 10–20 kB and still need the same app tokens; these are tested with
 * real user-agent strings (test/browser/reach.test.ts).
 */

/**
 * In-app browsers and WebViews, where getUserMedia is missing or the camera prompt never shows: Instagram,
 * Facebook (FBAN/FBAV/FB_IAB), Messenger, TikTok (musical_ly, Bytedance), Snapchat, LinkedIn, X (Twitter), WeChat
 * (MicroMessenger), LINE, and Android's WebView (`; wv)`).
 */
const IN_APP = /Instagram|FBAN|FBAV|FB_IAB|FBIOS|Messenger|musical_ly|Bytedance|TikTok|Snapchat|LinkedInApp|Twitter|MicroMessenger|\bLine\/|; wv\)/i;

import type { BrowserObstacle } from '../base/events.js';

export type { BrowserObstacle } from '../base/events.js';

/** the last user agent matched, and whether it is an in-app browser's: a page's never changes, so once per page */
let seen: [string, boolean] | undefined;

/** Why this browser cannot verify in a frame (or at all), or undefined. */
export function browserObstacle(ua = navigator.userAgent): BrowserObstacle | undefined {
  if (seen?.[0] !== ua) seen = [ua, IN_APP.test(ua)];
  if (seen[1]) return 'in_app';
  // a frame in an http page is not a secure context: no camera there, but a top-level https page has one
  if (!isSecureContext) return 'insecure';
  if (!navigator.mediaDevices?.getUserMedia) return 'no_camera';
  return undefined;
}

type Policy = { allowsFeature(feature: string, origin?: string): boolean };

/**
 * The features our placed iframe is refused by the page's Permissions-Policy, where the browser tells
 * (Chromium's `iframe.featurePolicy`: it includes the allow attribute; the document's own answers only for itself).
 */
export function blockedFeatures(frame: HTMLIFrameElement, origin: string): string[] {
  const policy = (frame as { featurePolicy?: Policy }).featurePolicy;
  return policy ? ['camera', 'microphone'].filter((f) => !policy.allowsFeature(f, origin)) : [];
}
