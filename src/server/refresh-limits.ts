// How often the ready-made refresh endpoint lets one session be refreshed: each refresh is a FaceSign call on the
// merchant's key, and one logged-in user feeding each answer's secret into the next request would otherwise
// spend the key's whole quota. Two limits, both measured in the secret's own lifetime so that a sandbox's
// 3-second secrets work the way FaceSign's 1-hour ones do:
// - a minimum age: a secret younger than `minSecretAge` (or a quarter of its lifetime, when that is shorter) is
//   not refreshed; the element refreshes a margin (60 s) before expiry, so a real user never asks that early;
// - a budget: `refreshBudget` refreshes in a burst, growing back by one every half lifetime (30 min).
// The state is this process's memory, bounded: sessions that rest (their budget full, their secret old enough)
// are dropped, and past MAX_TRACKED the least recently refreshed one is forgotten.

/** FaceSign's secrets live an hour; a refresh answer without `createdAt` / `expireAt` is taken to be one. */
const DEFAULT_LIFETIME = 3_600_000;
/** sessions whose limits are remembered at once (about 100 bytes each) */
export const MAX_TRACKED = 10_000;

export interface RefreshLimits {
  /** ms: a secret younger than this (or than a quarter of its lifetime) is not refreshed */
  minSecretAge: number;
  /** refreshes of one session in a burst; one grows back every half of the secret's lifetime */
  refreshBudget: number;
}

interface Entry {
  /** when this process last handed out a secret of the session (ms), or -Infinity */
  issuedAt: number;
  /** that secret's lifetime, ms */
  lifetime: number;
  /** the budget left as of `at` (fractional: it grows back continuously) */
  budget: number;
  at: number;
}

/** Why a refresh must wait, and how long (whole seconds, at least 1: a Retry-After). */
export type Wait = { reason: 'secret_too_new' | 'too_many_refreshes'; seconds: number };

export class RefreshLimiter {
  readonly #sessions = new Map<string, Entry>();
  readonly #limits: RefreshLimits;

  constructor(limits: RefreshLimits) {
    this.#limits = limits;
  }

  /** A refresh of session `id` may go to FaceSign now (its budget is spent by one), or must wait. */
  take(id: string): Wait | undefined {
    const now = Date.now();
    this.#sweep(now);
    const e = this.#sessions.get(id) ?? { issuedAt: -Infinity, lifetime: DEFAULT_LIFETIME, budget: this.#limits.refreshBudget, at: now };
    // most recently refreshed last: the first entries are the ones to forget
    this.#sessions.delete(id);
    this.#sessions.set(id, e);
    const young = e.issuedAt + this.#minAge(e) - now;
    if (young > 0) return { reason: 'secret_too_new', seconds: Math.max(1, Math.ceil(young / 1000)) };
    e.budget = this.#budget(e, now);
    e.at = now;
    if (e.budget < 1) return { reason: 'too_many_refreshes', seconds: Math.max(1, Math.ceil(((1 - e.budget) * e.lifetime) / 2 / 1000)) };
    e.budget -= 1;
    return undefined;
  }

  /** Session `id` has a new secret, valid from now for `lifetime` ms: its age starts now. */
  issued(id: string, lifetime: number | undefined): void {
    const e = this.#sessions.get(id);
    if (!e) return;
    e.issuedAt = Date.now();
    if (lifetime !== undefined && lifetime > 0) e.lifetime = lifetime;
  }

  #minAge(e: Entry): number {
    return Math.min(this.#limits.minSecretAge, e.lifetime / 4);
  }

  #budget(e: Entry, now: number): number {
    return Math.min(this.#limits.refreshBudget, e.budget + (now - e.at) / (e.lifetime / 2));
  }

  /** Forgets sessions that rest (remembering them changes nothing), and the least recent past MAX_TRACKED. */
  #sweep(now: number): void {
    for (const [id, e] of this.#sessions) {
      const rests = e.issuedAt + this.#minAge(e) <= now && this.#budget(e, now) >= this.#limits.refreshBudget;
      if (!rests && this.#sessions.size < MAX_TRACKED) break;
      this.#sessions.delete(id);
    }
  }
}

/** A new secret's lifetime in ms, from the API's `createdAt` / `expireAt` (Unix seconds). */
export function lifetimeOf(secret: { createdAt?: unknown; expireAt?: unknown }): number | undefined {
  const { createdAt, expireAt } = secret;
  if (typeof expireAt !== 'number' || !Number.isFinite(expireAt)) return undefined;
  const from = typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt * 1000 : Date.now();
  const ms = expireAt * 1000 - from;
  return ms > 0 ? ms : undefined;
}
