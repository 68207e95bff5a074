/**
 * The clock secret expiry is measured with. Internal: not exported from any entry, so it is not public API; the
 * tests replace `clock.now` to move time without waiting.
 */
export const clock = { now: (): number => Date.now() };
