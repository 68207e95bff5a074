/**
 * What asks for new client secrets (secret-refresh.ts, with secret-request.ts) comes on demand: at once where it is
 * loaded, after it arrives where not. A load that fails is a failed request like any other, recoverable: Try again
 * or refreshSecret() asks again, and loads it again.
 */
import { FaceSignError } from '../protocol/errors.js';
import type { SessionParts } from './host.js';
import type { RefreshSettings } from './refresh-settings.js';
import type { Outcome, obtainSecret } from './secret-request.js';

/** The recoverable failure of a refresh whose code did not load. */
export const unloaded = (e: unknown): FaceSignError =>
  new FaceSignError(
    'secret_refresh_failed',
    `the code that asks for a new client secret did not load (${(e as Error)?.message ?? e}); call refreshSecret() to try again`,
    true,
  );

/** `obtainSecret` from the code on demand: its outcome, that of its load failing, or nothing once `signal` aborted. */
export function obtainSecretVia(
  code: SessionParts['secrets'],
  set: RefreshSettings,
  request: Parameters<typeof obtainSecret>[1],
): Promise<Outcome | void> {
  const now = code.now();
  if (now) return now.obtainSecret(set, request);
  return code.load().then(
    (m) => (request.signal.aborted ? undefined : m.obtainSecret(set, request)),
    (e: unknown): Outcome | void => (request.signal.aborted ? undefined : { error: unloaded(e) }),
  );
}
