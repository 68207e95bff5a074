/**
 * What loads on first need: the built-in translations, the fallback's UI (the popup surface, the offer covers)
 * and the redirect's leaving half. In the ESM build each is a chunk of its own that a page only ever showing the
 * frame never downloads; the script tag has them inside (vite.config.ts swaps this module for load.inline.ts
 * there, so it stays one file without lazy wrappers).
 */
type FallbackUi = typeof import('./fallback-ui.js');

/**
 * false: these modules come on demand. The script tag's load.inline.ts says true, and the callers' code for
 * waiting on a module is dropped there (the bundler inlines this constant into their conditions).
 */
export const ONE_FILE = false;
/** The translations if this build has them inside (the script tag's); here they come with `loadLangs`. */
export const langsNow = (): Record<string, string> | undefined => undefined;

let fallback: FallbackUi | undefined;
export const loadLangs = () => import('../langs.js');
export const loadRedirect = () => import('../../surfaces/redirect.js');
/** Loads the fallback's UI (once; again after a failed load); `fallbackNow` has it from then on. */
export const loadFallback = (): Promise<FallbackUi> => import('./fallback-ui.js').then((m) => (fallback = m));
/** The fallback's UI if it is loaded: a popup must open in the click's own task, so it cannot wait for a chunk. */
export const fallbackNow = (): FallbackUi | undefined => fallback;
