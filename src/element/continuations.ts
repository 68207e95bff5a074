/**
 * Where each verification of this page got to, by the secret its element was given. A run that ends without
 * finishing (the element removed or its inputs replaced, or an error a retry may mend) leaves its current secret
 * and session id here; an element given the same secret later (a framework re-mounting it, a React `key` change)
 * goes on from there instead of from the original secret, which a refresh has killed. In memory for the page's
 * life only, never stored; a finished run leaves nothing.
 */
import type { Continuation } from '../session/host.js';
import type { Verification } from '../session/verification.js';
import { UNUSABLE } from './unusable.js';

const byGiven = new Map<unknown, Continuation>();

/** A run that a restart of the same verification goes on from: running, or ended by an error a retry may mend. */
export function continuationOf(s: Verification): Continuation | undefined {
  const p = s.phase;
  const goesOn = p.name !== 'ended' || (p.outcome.status === 'error' && !UNUSABLE.includes(p.outcome.error.code));
  return goesOn ? s.continuation : undefined;
}

/** Remembers where the run for `given` got to. */
export function leave(given: unknown, c: Continuation): void {
  if (given !== undefined) byGiven.set(given, c);
}

/** Where an earlier run for `given` got to, once. */
export function take(given: unknown): Continuation | undefined {
  const c = byGiven.get(given);
  byGiven.delete(given);
  return c;
}
