/**
 * `@facesign/verify/element`: the element class without registering it (no side effects). Register it with
 * `FaceSignVerifyElement.define(tag?, registry?)` or `defineFaceSignVerify()`.
 */
export { FaceSignVerifyElement, type FaceSignStatus } from './element/facesign-verify.js';
export type * from './base/events.js';
