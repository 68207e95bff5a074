// ─── REPLACE THIS FILE ─── with your database. It keeps everything in this process's memory, so a restart forgets
// every verification, and two instances of the app would not see each other's. The interface below is what the
// routes need: give your database the same four functions and the rest of the example stays as it is.
import { FINISHED, type VerificationStatus } from './result';

/** One FaceSign verification of one of your users, as your server keeps it. */
export interface Verification {
  /** FaceSign's session id (`fs_session_…`) */
  sessionId: string;
  /** your user's id */
  userId: string;
  /**
   * the session's current client secret (a refresh replaces it): what the browser must hold to get a new one, so
   * keep it where your users' other credentials are
   */
  clientSecret: string;
  /** FaceSign's session status */
  status: VerificationStatus;
  /** FaceSign's verdict (`report.isVerified`), once `complete`: from the signed webhook only, never from the browser */
  isVerified: boolean | null;
  /** ISO time of the last change */
  updatedAt: string;
}

export interface Store {
  createVerification(v: Omit<Verification, 'updatedAt'>): Promise<void>;
  /** the user's newest verification */
  latestVerificationOf(userId: string): Promise<Verification | undefined>;
  /** after a refresh: the old secret no longer works */
  saveSecret(sessionId: string, clientSecret: string): Promise<void>;
  /**
   * A signed webhook's session, applied once per webhook id (FaceSign retries a delivery until it gets a 2xx, and a
   * replayed one has a valid signature too). In a database: one transaction, with a unique index on the event id.
   * A finished verification never moves back (deliveries can arrive out of order).
   */
  applyWebhookOnce(
    eventId: string,
    session: { id: string; status: VerificationStatus; report?: { isVerified: boolean } },
  ): Promise<'applied' | 'duplicate' | 'unknown_session'>;
}

function createMemoryStore(): Store {
  /** by session id */
  const verifications = new Map<string, Verification>();
  /** webhook ids already applied */
  const applied = new Set<string>();
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

// one store for the whole process: Next.js bundles each route on its own, and a module-level Map would be one per
// route (and a new one after each reload in `next dev`)
const shared = globalThis as typeof globalThis & { facesignExampleStore?: Store };
export const store: Store = (shared.facesignExampleStore ??= createMemoryStore());
