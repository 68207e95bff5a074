/**
 * The element's own texts (the hosted page has its own), in the languages FaceSign offers (`GET /langs`). A small
 * table rather than @lit/localize: that needs a build step per locale or runtime-loaded modules and ~2 kB of
 * its own, while the element has twenty short strings. English is here; the other languages (langs.ts, in the
 * order of `EN`'s keys) load on first need. The `strings` property replaces any text or adds a language.
 */
import { ONE_FILE, langsNow, loadLangs as loadModule } from './on-demand/load.js';

import { EN, type FaceSignStrings, type FaceSignStringsByLang } from './texts-en.js';

export { EN, type FaceSignStrings, type FaceSignStringsByLang } from './texts-en.js';

const KEYS = Object.keys(EN) as (keyof FaceSignStrings)[];
/** here from the start in the script tag, which has them inside */
let LANGS: Record<string, string> | undefined = langsNow();
/** the languages langs.ts has: only these are worth loading it for */
export const BUILT_IN = ['es', 'fr', 'de', 'it', 'pt', 'zh', 'ja'];
let loading: Promise<unknown> | undefined;
/** The translations, loaded once per page; resolves when they are here (a failed load leaves English). */
export const loadLangs = (): Promise<unknown> =>
  (loading ??= loadModule().then(
    (m) => (LANGS = m.LANGS),
    () => (LANGS = {}),
  ));
const builtIn = (code: string): Partial<FaceSignStrings> =>
  LANGS?.[code] ? Object.fromEntries(LANGS[code].split('|').map((t, i) => [KEYS[i], t])) : {};

/** Scripts written right to left (ISO 15924). */
const RTL_SCRIPTS = /^(arab|hebr|thaa|syrc|nkoo|adlm|rohg|mand|samr|mend)$/i;
/** Languages written right to left when no script is named (engines' locale data misses some: WebKit's `dv`). */
const RTL_LANGS = /^(ar|arc|bal|ckb|dv|fa|glk|he|iw|ji|khw|ks|lrc|mzn|nqo|pnb|prs|ps|sd|skr|syr|ug|ur|yi)(-|$)/i;

/**
 * Right to left: the element's UI gets `dir="rtl"`, whatever language its texts come from. A script the tag names
 * decides (`pa-Arab`, `ku-Arab`, `uz-Latn`); else the list above (`iw`, `ps`, `yi`, `ckb`, `ug`, `sd`, `dv`…);
 * else the engine's own answer (`getTextInfo()`, or the older `textInfo`), or the script the language is likely
 * written in (`Intl.Locale.maximize()`).
 */
export function isRtl(lang: string): boolean {
  const script = /^[a-z]{2,8}-([a-z]{4})(-|$)/i.exec(lang)?.[1];
  if (script) return RTL_SCRIPTS.test(script);
  if (RTL_LANGS.test(lang)) return true;
  try {
    const l = new Intl.Locale(lang) as Intl.Locale & { getTextInfo?: () => { direction?: string }; textInfo?: { direction?: string } };
    const dir = (l.getTextInfo?.() ?? l.textInfo)?.direction;
    return dir ? dir === 'rtl' : RTL_SCRIPTS.test(l.maximize().script ?? '');
  } catch {
    // not a well-formed tag, or no Intl.Locale
    return false;
  }
}

/**
 * The texts for `lang` (`es-MX` uses `es`): English, then the built-in language, then the page's own; `pending`
 * while another language's translations are still loading (call `loadLangs`, then ask again).
 */
export function textsFor(lang: string, own: FaceSignStringsByLang | undefined): { t: FaceSignStrings; pending: boolean } {
  const code = lang.toLowerCase();
  const base = code.split('-')[0]!;
  const mine = (k: string) => (own && typeof own === 'object' ? Object.entries(own).find(([l]) => l.toLowerCase() === k)?.[1] : undefined);
  // ONE_FILE (the script tag) folds this to false, and BUILT_IN goes with it
  return { t: { ...EN, ...builtIn(base), ...mine(base), ...mine(code) }, pending: !ONE_FILE && !LANGS && BUILT_IN.includes(base) };
}
