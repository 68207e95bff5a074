// the starter's config, and the glue a newcomer adds: /api goes to the backend (the sandbox's, in the test)
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: false },
  routeRules: { '/api/**': { proxy: `${process.env.FACESIGN_BACKEND}/api/**` } },
});
