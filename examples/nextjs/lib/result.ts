// What the page says about a verification, from what the server stored: shared by the page (server) and the
// client component, so both say the same.
import type { SessionStatus } from '@facesign/verify/server';

/** FaceSign's session statuses, and any a later API adds */
export type VerificationStatus = SessionStatus | (string & {});

/** The statuses after which a verification never changes again. */
export const FINISHED: ReadonlySet<string> = new Set(['complete', 'canceled']);

export type ResultState = 'none' | 'pending' | 'verified' | 'not_verified' | 'canceled' | 'ended';

export function resultState(v: { status: VerificationStatus; isVerified: boolean | null } | null | undefined): ResultState {
  if (!v) return 'none';
  if (v.status === 'complete') return v.isVerified ? 'verified' : 'not_verified';
  if (v.status === 'canceled') return 'canceled';
  if (v.status === 'requiresInput' || v.status === 'processing') return 'pending';
  return 'ended';
}
