/** Old names still accepted until 1.0: each warns once per page, saying what to use instead. */
const warned = new Set<string>();

export function deprecated(old: string, now: string): void {
  if (warned.has(old)) return;
  warned.add(old);
  console.warn(`[facesign-verify] ${old} is deprecated and will stop working in 1.0: use ${now}`);
}
