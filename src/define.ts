import { FaceSignVerifyElement } from './element/facesign-verify.js';

export const TAG_NAME = 'facesign-verify';

/** Registers `<facesign-verify>` (or `tag`); see FaceSignVerifyElement.define. */
export const defineFaceSignVerify = (tag: string = TAG_NAME, registry?: CustomElementRegistry): void => FaceSignVerifyElement.define(tag, registry);

declare global {
  interface HTMLElementTagNameMap {
    'facesign-verify': FaceSignVerifyElement;
  }
}
