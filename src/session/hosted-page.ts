/** The hosted page as a session embeds it (its URL, why it refused) and as a redirect comes back from it. */
import { FaceSignError } from '../protocol/errors.js';
import { PARAM, PROTOCOL_VERSION } from '../protocol/messages.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import { secretKey } from '../base/secret-key.js';
import { takeRedirectResult } from '../surfaces/redirect-return.js';
import type { Outcome } from './state.js';

/** The hosted page's URL for a frame or popup: the channel's parameters, never the secret. */
export function embeddedUrl(base: string, channel: string, lang: string): string {
  const url = new URL(base);
  url.hash = '';
  // clientSecret.url carries the secret for top-level use; an embedded page gets it over the port only
  url.searchParams.delete('client_secret');
  url.searchParams.set(PARAM.channel, channel);
  url.searchParams.set(PARAM.version, String(PROTOCOL_VERSION));
  url.searchParams.set(PARAM.origin, location.origin);
  if (lang) url.searchParams.set(PARAM.lang, lang);
  return url.href;
}

/** Why this page's Permissions-Policy refuses `features` to the hosted page at `origin`, and what to do. */
export const policyText = (origin: string, features: string[]): string =>
  /^https?:\/\/\[::1\]/.test(origin)
    ? `verify-url is on IPv6 loopback (${origin})${__FACESIGN_DEV__ ? `: Chromium gives an [::1] frame no ${features.join(' or ')} under allow="camera", only under allow="camera *", which this SDK never sets; use http://127.0.0.1 or http://localhost instead` : ''}`
    : `this page's Permissions-Policy does not allow ${features.join(' and ')} for ${origin}${__FACESIGN_DEV__ ? `: allow it (e.g. camera=(self "${origin}")), or let the user continue in a popup` : ''}`;

/** The hosted page at `origin` refused this page's origin as its host: the merchant did not allow it to embed. */
export const refusal = (origin: string): FaceSignError =>
  new FaceSignError(
    'origin_not_allowed',
    `${location.origin} may not embed ${origin}${__FACESIGN_DEV__ ? `: add ${location.origin} to the allowed embed origins of your FaceSign account (and keep the hosted page's URL as clientSecret.url gives it: it names your account)` : ''}`,
  );

/**
 * The outcome in this page's URL when it is the page a redirect of this session came back to (bound to `secret`;
 * without one, a session whose first secret is still to come, to any redirect this tab started).
 */
export function returnedOutcome(secret: ClientSecretInput | undefined, log: (...a: unknown[]) => void): Outcome | undefined {
  const back = takeRedirectResult(secret && [secretKey(secret.secret)], log);
  return back && (back.status === 'complete' ? back : { status: 'canceled', reason: back.reason });
}
