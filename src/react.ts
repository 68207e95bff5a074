/** `@facesign/verify/react`: <FaceSignVerify> for React 17+. */
export * from './wrappers/react.js';
