/** `@facesign/verify/vue`: <FaceSignVerify> for Vue 3. */
export * from './wrappers/vue.js';
