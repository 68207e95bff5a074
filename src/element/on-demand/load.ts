/**
 * What loads on first need: the built-in translations, the fallback's UI (the popup surface, the offer covers)
 * and the redirect's leaving half. In the ESM build each is a chunk of its own that a page only ever showing the
 * frame never downloads; the script tag has them inside (vite.config.ts swaps this module for load.inline.ts
 * there, so it stays one file without lazy wrappers).
 */
type FallbackUi = typeof import('./fallback-ui.js');
type HandoffUi = typeof import('./handoff-ui.js');

/**
 * false: these modules come on demand. The script tag's load.inline.ts says true, and the callers' code for
 * waiting on a module is dropped there (the bundler inlines this constant into their conditions).
 */
export const ONE_FILE = false;
/** The translations if this build has them inside (the script tag's); here they come with `loadLangs`. */
export const langsNow = (): Record<string, string> | undefined => undefined;

/**
 * An on-demand module that can be asked for again after it failed to load (offline, a deploy replaced it). Browsers
 * that predate https://github.com/whatwg/html/pull/10327 keep a failed import per URL and fail again without a
 * request (Firefox ESR here), so a retry asks for the URL the failure named (Chromium and Firefox name it) with a
 * query of its own; a browser that names none is asked the plain way again.
 */
function retriable<M>(load: () => Promise<M>): () => Promise<M> {
  let failed: string | undefined;
  let tries = 0;
  return () => {
    const url = failed && `${failed}${failed.includes('?') ? '&' : '?'}retry=${++tries}`;
    // bundlers leave this import to the browser: it names a module the bundler already placed
    return (url ? (import(/* @vite-ignore */ /* webpackIgnore: true */ /* turbopackIgnore: true */ url) as Promise<M>) : load()).catch(
      (e: unknown) => {
        failed ??= /\b(https?:\/\/[^\s'"]+)/.exec(String((e as Error)?.message ?? ''))?.[1];
        throw e;
      },
    );
  };
}

let fallback: FallbackUi | undefined;
export const loadLangs = () => import('../langs.js');
export const loadRedirect = retriable(() => import('../../surfaces/redirect.js'));
const fallbackUi = retriable(() => import('./fallback-ui.js'));
/** Loads the fallback's UI (once; again after a failed load); `fallbackNow` has it from then on. */
export const loadFallback = (): Promise<FallbackUi> => fallbackUi().then((m) => (fallback = m));
/** The fallback's UI if it is loaded: a popup must open in the click's own task, so it cannot wait for a chunk. */
export const fallbackNow = (): FallbackUi | undefined => fallback;

let handoff: HandoffUi | undefined;
const handoffUi = retriable(() => import('./handoff-ui.js'));
/** Continuing on the phone's screens and QR encoder, loaded when the phone is first offered; `handoffNow` from then on. */
export const loadHandoff = (): Promise<HandoffUi> => handoffUi().then((m) => (handoff = m));
export const handoffNow = (): HandoffUi | undefined => handoff;
