import { end } from './lifetime.js';

/**
 * Runs `f` once the document is parsed and its deferred and module scripts have run: DOMContentLoaded, or `load`
 * when that has passed (readyState alone cannot tell: it is `interactive` both while those scripts run and after).
 */
export function afterParse(f: () => void): void {
  if (document.readyState === 'complete') return void setTimeout(f);
  const once = new AbortController();
  const go = () => (end(once), setTimeout(f));
  for (const [t, on] of [
    ['DOMContentLoaded', document],
    ['load', window],
  ] as const)
    on.addEventListener(t, go, { signal: once.signal });
}
