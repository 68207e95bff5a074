// ─── REPLACE THIS FILE ─── with your database. It keeps everything in this process's memory, so a restart forgets
// every verification, and two instances of the server would not see each other's. The interface below is what the
// server needs: give your database the same four functions (each async) and the rest of the example stays as it is.

/**
 * One FaceSign verification of one of your users, as your server keeps it.
 * @typedef {object} Verification
 * @property {string} sessionId FaceSign's session id (`fs_session_…`)
 * @property {string} userId your user's id
 * @property {string} clientSecret the session's current client secret (a refresh replaces it): what the browser
 *   must hold to get a new one, so keep it where your users' other credentials are
 * @property {string} status FaceSign's session status: `requiresInput`, `processing`, `complete`, `canceled`
 * @property {boolean | null} isVerified FaceSign's verdict (`report.isVerified`), once `complete`; from the signed
 *   webhook only, never from the browser
 * @property {string} updatedAt ISO time of the last change
 */

/** The statuses after which a verification never changes again. */
export const FINISHED = new Set(['complete', 'canceled']);

/**
 * @typedef {object} Store
 * @property {(v: Omit<Verification, 'updatedAt'>) => Promise<void>} createVerification
 * @property {(userId: string) => Promise<Verification | undefined>} latestVerificationOf the user's newest one
 * @property {(sessionId: string, clientSecret: string) => Promise<void>} saveSecret after a refresh: the old secret no longer works
 * @property {(eventId: string, session: { id: string, status: string, report?: { isVerified: boolean } }) =>
 *   Promise<'applied' | 'duplicate' | 'unknown_session'>} applyWebhookOnce
 *   a signed webhook's session, applied once per webhook id (FaceSign retries a delivery until it gets a 2xx, and
 *   a replayed one has a valid signature too). In a database: one transaction, with a unique index on the event
 *   id. A finished verification never moves back (deliveries can arrive out of order).
 */

/** @returns {Store} */
export function createMemoryStore() {
  /** @type {Map<string, Verification>} by session id */
  const verifications = new Map();
  /** webhook ids already applied */
  const applied = new Set();
  const now = () => new Date().toISOString();

  return {
    async createVerification(v) {
      verifications.set(v.sessionId, { ...v, updatedAt: now() });
    },
    async latestVerificationOf(userId) {
      // Map keeps insertion order: the last one of this user is the newest
      return [...verifications.values()].filter((v) => v.userId === userId).at(-1);
    },
    async saveSecret(sessionId, clientSecret) {
      const v = verifications.get(sessionId);
      if (v) Object.assign(v, { clientSecret, updatedAt: now() });
    },
    async applyWebhookOnce(eventId, session) {
      if (applied.has(eventId)) return 'duplicate';
      const v = verifications.get(session.id);
      if (!v) return 'unknown_session';
      applied.add(eventId);
      if (FINISHED.has(v.status)) return 'applied';
      Object.assign(v, { status: session.status, isVerified: session.report?.isVerified ?? null, updatedAt: now() });
      return 'applied';
    },
  };
}
