/** The hosted page as a session embeds it: its URL with the channel's parameters, and what its origin is refused. */
import { PARAM, PROTOCOL_VERSION } from '../protocol/messages.js';

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
