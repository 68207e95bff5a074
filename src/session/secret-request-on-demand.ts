/**
 * The refresh's code (secret-refresh.ts, with secret-request.ts) comes on demand. A load that fails, or that has
 * not arrived within refreshTimeout (a refresh never waits forever), is a failed request like any other,
 * recoverable: Try again or refreshSecret() asks again, and loads it again. The session ending meanwhile ends the
 * wait at once, with nothing; what arrives after the wait ended does nothing.
 */
import { FaceSignError } from '../protocol/errors.js';
import type { SessionParts } from './host.js';
import type { RefreshSettings } from './refresh-settings.js';
import type { Outcome, obtainSecret } from './secret-request.js';

type RefreshCode = NonNullable<ReturnType<SessionParts['secrets']['now']>>;

/**
 * The refresh's code: at once where it is here; else once it arrives, or undefined when `signal` aborted first; a
 * recoverable secret_refresh_failed when it did not load within `ms`.
 */
export function refreshCode(code: SessionParts['secrets'], ms: number, signal: AbortSignal): Promise<RefreshCode | undefined> {
  const now = code.now();
  if (now || signal.aborted) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    let waiting = true;
    const stop = () => {
      waiting = false;
      clearTimeout(timer);
      signal.removeEventListener('abort', ended);
    };
    const ended = () => waiting && (stop(), resolve(undefined));
    const failed = (why: string) =>
      waiting &&
      (stop(),
      reject(
        new FaceSignError(
          'secret_refresh_failed',
          `the code that asks for a new client secret did not load (${why}); call refreshSecret() to try again`,
          true,
        ),
      ));
    const timer = setTimeout(failed, ms, `not within ${ms}ms`);
    signal.addEventListener('abort', ended);
    code.load().then(
      (m) => waiting && (stop(), resolve(m)),
      (e: unknown) => failed(String((e as Error)?.message ?? e)),
    );
  });
}

/** `obtainSecret` from the code on demand (the first secret): its outcome, its load's failure, or nothing once the signal aborted. */
export const obtainSecretVia = (
  code: SessionParts['secrets'],
  set: RefreshSettings,
  request: Parameters<typeof obtainSecret>[1],
): Promise<Outcome | void> =>
  // at once where it is here: the request goes out in this task
  code.now()?.obtainSecret(set, request) ??
  refreshCode(code, set.timeout, request.signal).then(
    (m) => m?.obtainSecret(set, request),
    (error: FaceSignError) => ({ error }),
  );
