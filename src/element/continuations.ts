/**
 * Where a run got to, for a restart of the same verification: by the same element (its own memory), or by a new
 * element that replaces it in the same task. A framework re-mounting the element (a React `key` change, a Vue
 * `:key`, a keyed Svelte block) removes the old element and connects the new one in one synchronous commit, with
 * the same props; the new one goes on from the old one's current secret and session id, which a refresh may have
 * changed (the secret it is given is then dead). Kept in memory only, never stored, until the next timer task: a
 * task the browser runs before that timer (a network response) may still find it, for an element given the same
 * string there, which is the same session's secret. Tests that reuse one string wait a timer between them.
 */
import type { Continuation } from '../session/host.js';
import type { Verification } from '../session/verification.js';
import { UNUSABLE } from './unusable.js';
import { goodbyeIn } from '../session/goodbye.js';

/**
 * A run that a restart of the same verification goes on from: running, ended by an error a retry may mend, or
 * ended by a leave (a popup the user closed): its FaceSign session is still open.
 */
export function continuationOf(s: Verification): Continuation | undefined {
  const p = s.phase;
  const goesOn =
    p.name !== 'ended' ||
    (p.outcome.status === 'error' && !UNUSABLE.includes(p.outcome.error.code)) ||
    (p.outcome.status === 'canceled' && goodbyeIn(p) === 'leave');
  return goesOn ? s.continuation : undefined;
}

/**
 * Runs of elements removed in this task, by what they were given (their secret, or their fetchClientSecret), by
 * whom, and with which other inputs (verify-url, mode, lang): a re-mount passes the same props, so an element set
 * up otherwise is another verification.
 */
const leftThisTask = new Map<unknown, { c: Continuation; by: object; how: readonly unknown[] }>();

/** Remembers, until the end of this task, where the run of an element (`by`) removed and given `given` got to. */
export function leave(given: unknown, c: Continuation, by: object, how: readonly unknown[]): void {
  if (!leftThisTask.size) setTimeout(() => leftThisTask.clear());
  leftThisTask.set(given, { c, by, how });
}

const sameInputs = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * The run a new session of element `by` goes on from: its own last run (`own`), else one that an element removed in
 * this task, given the same `given` and set up the same (`how`), left (a framework re-mount), taken once. An element with a run of its own
 * takes only its own entry (moved in this task): another's is left to the element it belongs to.
 */
export function runFor(given: unknown, by: object, how: readonly unknown[], own?: Continuation): Continuation | undefined {
  const left = leftThisTask.get(given);
  if (own && left?.by !== by) return own;
  if (left && !sameInputs(left.how, how)) return own;
  leftThisTask.delete(given);
  return own ?? left?.c;
}
