/**
 * The build this code is part of, replaced by a literal when it is built (vite.config.ts; the browser tests'
 * esbuild plugin): `true` in the development build (the `development` export condition and
 * facesign-verify.dev.iife.js), `false` in the production build merchants' users get by default. Written
 * inline, as `__FACESIGN_DEV__ ? long : short`, so the minifier drops what only the development build says.
 */
declare const __FACESIGN_DEV__: boolean;
