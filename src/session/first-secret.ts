/** The first secret of a session given only fetchClientSecret: with the same timeout, retries and abort as a refresh. */
import type { FaceSignError } from '../protocol/errors.js';
import { clock } from '../base/clock.js';
import type { RefreshSettings } from './refresh-settings.js';
import { obtainSecretVia } from './secret-request-on-demand.js';
import type { SessionCore } from './core.js';

/**
 * Asks for it; the session begins with it. A failure interrupts the session behind a cover whose Try again
 * (or refreshSecret()) asks again; the promise settles with that outcome.
 */
export function firstSecret(s: SessionCore): Promise<void> {
  let set: RefreshSettings;
  try {
    set = s.host.refreshSettings();
  } catch (e) {
    s.fail(e as FaceSignError);
    return Promise.reject(e);
  }
  if (s.phase.name !== 'fetching') s.go({ name: 'fetching' });
  s.host.log('fetching the first client secret');
  // the session this element ran before its page came back first: a backend that declines (null) gets asked for a new one
  const resumeFrom = s.inputs?.resumeFrom;
  const ask = set.fetchClientSecret!;
  const fetchClientSecret: typeof ask = resumeFrom
    ? async (ctx) => (await ask({ ...ctx, sessionId: resumeFrom })) ?? ask({ ...ctx, sessionId: undefined })
    : ask;
  const request = { current: () => '', signal: s.untilEnd, now: clock.now, log: (...a: unknown[]) => s.host.log(...a) };
  return obtainSecretVia(s.parts.secrets, { ...set, fetchClientSecret, refreshUrl: undefined }, request).then((r) => {
    if (!r || s.ended || s.phase.name !== 'fetching') return;
    if ('ok' in r) return s.begin(r.ok);
    s.fail(r.error);
    throw r.error;
  });
}
