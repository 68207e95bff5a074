/**
 * The build this code is part of, replaced by a literal when it is built (vite.config.ts; the browser tests'
 * esbuild plugin): `true` in the development build (the `development` export condition and
 * facesign-verify.dev.iife.js), `false` in the production build merchants' users get by default. Written
 * inline, as `__FACESIGN_DEV__ ? long : short`, so the minifier drops what only the development build says.
 */
declare const __FACESIGN_DEV__: boolean;

/**
 * The script tag's parts (vite.config.ts, `scriptTagParts`), made by its build: each part's file name beside the
 * script and its integrity hash (sha384), the global key its files register under (unique to the build), and
 * the modules of the first file that the parts import. Only the production script tag imports it.
 */
declare module 'virtual:facesign-script-tag' {
  export const PARTS: Readonly<Record<string, readonly [file: string, integrity: string]>>;
  export const KEY: string;
  export const shared: Readonly<Record<string, unknown>>;
}
