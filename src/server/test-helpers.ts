// `facesign.testHelpers`: what a merchant's tests use against the sandbox, as Stripe's test helpers are. Test keys
// only: with a live key nothing is sent at all.
import { FaceSignServerError, described } from './errors.js';
import { request, type RequestOptions, type Transport } from './http.js';
import { checkId } from './session-id.js';
import type { Session } from './types.js';

/** The results a test can force: the same session, webhooks and hosted-page screens as a run that ends so. */
export type ForcedOutcome = 'verified' | 'not_verified' | 'canceled' | 'expired' | 'error';
const OUTCOMES: readonly string[] = ['verified', 'not_verified', 'canceled', 'expired', 'error'] satisfies ForcedOutcome[];

export interface TestHelpers {
  readonly sessions: {
    /**
     * Ends an open session (requiresInput or processing) with `outcome` at once and returns it, as
     * `sessions.retrieve` would. `verified` / `not_verified`: complete, `report.isVerified` true / false,
     * `session.completed` (after `session.started` if it had not started); `canceled` / `expired`: canceled,
     * `session.canceled`; `error`: the session stays as it is, its hosted page shows its error screen.
     */
    forceOutcome(sessionId: string, outcome: ForcedOutcome, options?: RequestOptions): Promise<Session>;
  };
}

export function testHelpers(transport: Transport, mode: () => 'test' | 'prod'): TestHelpers {
  return {
    sessions: {
      forceOutcome: async (sessionId, outcome, options) => {
        if (mode() !== 'test')
          throw new FaceSignServerError(
            'test_mode_only',
            'testHelpers need a test key (sk_test_…): this client has a live key (sk_prod_…), and a live session is never forced. Use your sk_test_ key against the sandbox.',
          );
        const id = checkId(sessionId, 'sessionId');
        if (!OUTCOMES.includes(outcome as string))
          throw new FaceSignServerError(
            'invalid_argument',
            `outcome must be one of ${OUTCOMES.join(', ')}: got ${typeof outcome === 'string' ? JSON.stringify(outcome.slice(0, 40)) : described(outcome)}`,
          );
        const { session } = await request<{ session: Session }>(transport, {
          ...options,
          method: 'POST',
          path: `test_helpers/sessions/${id}/outcome`,
          body: { outcome },
        });
        return session;
      },
    },
  };
}
