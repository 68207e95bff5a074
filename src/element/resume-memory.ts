/**
 * Which FaceSign session each element of this tab was running, so that a page that comes back (a reload, a tab
 * the browser discarded, Back) can continue it: the element hands the id to `fetchClientSecret` on its next
 * start, and the merchant's backend answers with a secret of that session. Kept in sessionStorage (this tab,
 * this origin; gone with the tab), by the element's `id`. Only the session id, which is no credential: never a
 * secret, never a key. Forgotten when the verification ends (the outcome, or the person's or the merchant's cancel);
 * kept when the page only goes away. Where storage is refused (a sandboxed frame, a blocked origin), nothing is
 * remembered and every start is a new one.
 */
import type { Verification } from '../session/verification.js';
import { continuationOf } from './continuations.js';

const PREFIX = 'facesign-verify:session:';
/** what each element wrote last, so that its renders do not write again */
const written = new WeakMap<object, string>();

const keyOf = (id: string) => PREFIX + (id || 'default');

/** The session an element with this `id` was running in this tab and did not end, if any. */
export function resumableSession(id = ''): string | undefined {
  try {
    return sessionStorage.getItem(keyOf(id)) || undefined;
  } catch {
    return undefined;
  }
}

type Runner = { readonly id: string; readonly isConnected: boolean };
/**
 * The element running each session now: another element of the page does not take a session one still runs. Held
 * weakly: an element removed for good (its run ended with it) must not stay in memory for the session's sake.
 */
const runBy = new Map<string, WeakRef<Runner>>();

/** The session a new run of `el` continues: the one remembered for its id, unless another element runs it now. */
export function resumeFor(el: Runner): string | undefined {
  const s = resumableSession(el.id);
  const by = s && runBy.get(s)?.deref();
  return by && by !== el && by.isConnected ? undefined : s;
}

/** Brings the memory in step with `session`, the element's current run: its session id while it can go on, else none. */
export function keepInStep(el: Runner, session: Verification | undefined): void {
  if (!session) return;
  const goesOn = continuationOf(session);
  // not known yet (no ready): what was remembered stays until the page says which session it runs
  if (goesOn && !goesOn.sessionId) return;
  const now = goesOn?.sessionId ?? '';
  for (const [id, by] of runBy) {
    const who = by.deref();
    if (id !== now && (!who || who === el)) runBy.delete(id);
  }
  if (now && runBy.get(now)?.deref() !== el) runBy.set(now, new WeakRef(el));
  if (written.get(el) === now) return;
  written.set(el, now);
  try {
    if (now) sessionStorage.setItem(keyOf(el.id), now);
    else sessionStorage.removeItem(keyOf(el.id));
  } catch {
    // storage refused: this tab cannot resume, and says nothing about it
  }
}
