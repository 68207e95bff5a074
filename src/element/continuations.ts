/** Where a run got to, for a restart of the same verification by the same element. */
import type { Continuation } from '../session/host.js';
import type { Verification } from '../session/verification.js';
import { UNUSABLE } from './unusable.js';

/** A run that a restart of the same verification goes on from: running, or ended by an error a retry may mend. */
export function continuationOf(s: Verification): Continuation | undefined {
  const p = s.phase;
  const goesOn = p.name !== 'ended' || (p.outcome.status === 'error' && !UNUSABLE.includes(p.outcome.error.code));
  return goesOn ? s.continuation : undefined;
}
