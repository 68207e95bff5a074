/**
 * What loads on first need: the built-in translations, the fallback's UI (the popup surface, the offer covers)
 * and the redirect's leaving half. In the ESM build each is a chunk of its own that a page only ever showing the
 * frame never downloads; the script tag has them inside (vite.config.ts swaps this module for load.inline.ts
 * there, so it stays one file without lazy wrappers).
 */
import { warnOnce } from '../../base/warn-once.js';

type FallbackUi = typeof import('./fallback-ui.js');
type HandoffUi = typeof import('./handoff-ui.js');
type SecretRefresh = typeof import('../../session/secret-refresh.js');

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
 * query of its own; a browser that names none is asked the plain way again. The URL named may be a module the
 * chunk imports (a chunk a bundler shares between two), not the chunk itself: what that retry gives is used only
 * when it has the chunk's export `key`, else the chunk is asked for the plain way.
 */
function retriable<M>(load: () => Promise<M>, key: keyof M): () => Promise<M> {
  let failed: string | undefined;
  let tries = 0;
  return () => {
    const url = failed && `${failed}${failed.includes('?') ? '&' : '?'}retry=${++tries}`;
    // bundlers leave this import to the browser: it names a module the bundler already placed
    const again = url && (import(/* @vite-ignore */ /* webpackIgnore: true */ /* turbopackIgnore: true */ url) as Promise<M>);
    return (again ? again.then((m) => (key in (m as object) ? m : load())) : load()).catch((e: unknown) => {
      failed ??= /\b(https?:\/\/[^\s'"]+)/.exec(String((e as Error)?.message ?? ''))?.[1];
      throw e;
    });
  };
}

/** Which module each on-demand part is, and what the element does without it: the development build's alone. */
const TOLD = __FACESIGN_DEV__
  ? {
      langs: ['the other languages (element/langs.js)', 'the element stays in English'],
      redirect: ["the redirect's leaving half (surfaces/redirect.js)", 'the redirect reports network_error and keeps its offer'],
      fallback: ["the fallback's UI (on-demand/fallback-ui.js)", "the error's cover with Try again shows instead of the offer"],
      refresh: ["the secret's refresh (session/secret-refresh.js)", 'a refresh fails with secret_refresh_failed, and Try again asks for it again'],
    }
  : undefined;

/**
 * The development build says, once per module, which one did not load and what the element does instead: the
 * element goes on (English, the error's cover), so a page whose CSP or deploy refuses a chunk would not notice.
 */
function told<M>(part: 'langs' | 'redirect' | 'fallback' | 'refresh', load: () => Promise<M>): () => Promise<M> {
  if (!__FACESIGN_DEV__) return load;
  return () =>
    load().catch((e: unknown) => {
      if (__FACESIGN_DEV__) {
        const [what, instead] = TOLD![part];
        warnOnce(
          `on-demand:${part}`,
          `${what} did not load (${String((e as Error)?.message ?? e)}): ${instead}. Serve your app's chunks with it and allow them in your CSP (README, "What loads on demand")`,
        );
      }
      throw e;
    });
}

let fallback: FallbackUi | undefined;
export const loadLangs = told('langs', () => import('../langs.js'));
export const loadRedirect = told(
  'redirect',
  retriable(() => import('../../surfaces/redirect.js'), 'leaveForHostedPage'),
);
const fallbackUi = told(
  'fallback',
  retriable(() => import('./fallback-ui.js'), 'openPopup'),
);
/** Loads the fallback's UI (once; again after a failed load); `fallbackNow` has it from then on. */
export const loadFallback = (): Promise<FallbackUi> => fallbackUi().then((m) => (fallback = m));
/** The fallback's UI if it is loaded: a popup must open in the click's own task, so it cannot wait for a chunk. */
export const fallbackNow = (): FallbackUi | undefined => fallback;

let handoff: HandoffUi | undefined;
const handoffUi = retriable(() => import('./handoff-ui.js'), 'HandoffSurface');
/** Continuing on the phone's screens and QR encoder, loaded when the phone is first offered; `handoffNow` from then on. */
export const loadHandoff = (): Promise<HandoffUi> => handoffUi().then((m) => (handoff = m));
export const handoffNow = (): HandoffUi | undefined => handoff;

let secretRefresh: SecretRefresh | undefined;
const secretRefreshCode = told(
  'refresh',
  retriable(() => import('../../session/secret-refresh.js'), 'SecretRefresh'),
);
/**
 * How new secrets are got and handed over: loaded when a page is ready with a refresh set, or on the first refresh;
 * `refreshNow` from then on. Its failure names the module (its secret_refresh_failed carries it): WebKit's failed
 * import names no URL.
 */
export const loadRefresh = (): Promise<SecretRefresh> =>
  secretRefreshCode().then(
    (m) => (secretRefresh = m),
    (e: unknown) => {
      throw new Error(`session/secret-refresh.js: ${(e as Error)?.message ?? e}`);
    },
  );
export const refreshNow = (): SecretRefresh | undefined => secretRefresh;
