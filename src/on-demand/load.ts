/**
 * What loads on first need: the built-in translations and the redirect's leaving half. In the ESM build each is a
 * chunk of its own that a page only ever showing the frame never downloads; the script tag has them inside
 * (vite.config.ts swaps this module for load.inline.ts there, so it stays one file without lazy wrappers).
 */
export const loadLangs = () => import('../element/langs.js');
export const loadRedirect = () => import('../surfaces/redirect.js');
