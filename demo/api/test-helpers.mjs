// The simulator's test helpers, as Stripe's: a test decides a sandbox session's result without a camera.
// `POST /v1/test_helpers/sessions/{id}/outcome` with `{ "outcome": … }` and the merchant's sk_test_ key. The outcome
// applies at once, through the same transitions a run through the hosted page takes, so the webhooks and the session
// are the ones a real run gives; a hosted page open on the session learns it from its client session (it polls).
import { ApiError } from './api-error.mjs';

export const OUTCOMES = ['verified', 'not_verified', 'canceled', 'expired', 'error'];

/** The code a live key gets: test helpers never touch a live session. */
export const LIVE_KEY = 'test_helpers_live_key';

/** The code of the one client API failure a forced `error` leaves for the session's hosted page. */
export const FORCED_ERROR = 'sandbox_forced_error';

/** Refuses a live key before anything else is looked at. */
export function testKeyOnly(key) {
  if (!key.startsWith('sk_test_'))
    throw new ApiError(
      403,
      'authentication_error',
      'Test helpers work with test keys only: this request used a live key (sk_prod_…). Use your sk_test_ key, against the sandbox.',
      {},
      LIVE_KEY,
    );
}

/**
 * @param {any} s the session's record
 * @param {unknown} body the request's JSON
 * @param {object} run the simulator's own transitions
 * @param {(s: any) => void} run.start requiresInput -> processing, with its `session.started`
 * @param {(s: any, liveness: boolean, how: string) => void} run.complete -> complete, the report, `session.completed`
 * @param {(s: any, reason: string) => void} run.cancel -> canceled, `session.canceled`
 */
export function forceOutcome(s, body, run) {
  const outcome = body?.outcome;
  if (!OUTCOMES.includes(outcome))
    throw new ApiError(
      400,
      'validation_error',
      `outcome must be one of ${OUTCOMES.join(', ')} (got ${outcome === undefined ? 'none' : JSON.stringify(outcome).slice(0, 60)})`,
    );
  const { status } = s.session;
  if (status === 'complete' || status === 'canceled')
    throw new ApiError(
      400,
      'validation_error',
      `Session is already ${status}: an outcome can be forced only while it is requiresInput or processing`,
    );
  if (outcome === 'verified' || outcome === 'not_verified') {
    // a real run that ends has started: the merchant's webhook handler sees the same two events
    if (status === 'requiresInput') run.start(s);
    run.complete(s, outcome === 'verified', `outcome "${outcome}" forced by a test helper`);
  } else if (outcome === 'canceled') run.cancel(s, 'user_canceled');
  // the seeds: "canceled - Session was cancelled by user or expired"; no webhook of its own
  else if (outcome === 'expired') run.cancel(s, 'expired');
  // a run that fails leaves the session as it was (FaceSign has no error status and sends no webhook): the next
  // request of its hosted page fails, as when the service fails it, and the page shows its error screen
  else s.forcedError = true;
}
