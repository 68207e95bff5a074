/**
 * Warnings a page gets once, however often the cause repeats: the development build's only (call them behind
 * `if (__FACESIGN_DEV__)`, so the production build carries neither the call nor its text).
 */
const warned = new Set<string>();

export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`[facesign-verify] ${message}`);
}

/** Old names still accepted until 1.0: each warns once per page, saying what to use instead. */
export const deprecated = (old: string, now: string): void => warnOnce(old, `${old} is deprecated and will stop working in 1.0: use ${now}`);
