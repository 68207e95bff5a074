import { FaceSignVerifyElement } from './element.js';
import { VERSION } from './version.js';

export const TAG_NAME = 'facesign-verify';
let warned = false;

/**
 * Registers the element, safely: when the tag is already defined (an npm copy and a script-tag copy on one
 * page), the first definition wins and a different version warns once instead of throwing.
 * Does nothing where there is no registry (Node, SSR).
 */
export function defineFaceSignVerify(tag: string = TAG_NAME, registry: CustomElementRegistry | undefined = globalThis.customElements): void {
  if (!registry) return;
  const existing = registry.get(tag) as { version?: string } | undefined;
  if (!existing) {
    // one constructor can back one tag per registry, so another tag gets a subclass
    const taken = registry.getName?.(FaceSignVerifyElement);
    registry.define(tag, taken ? class extends FaceSignVerifyElement {} : FaceSignVerifyElement);
  } else if (existing.version !== VERSION && !warned) {
    warned = true;
    console.warn(`[facesign-verify] <${tag}> is already defined by version ${existing.version ?? 'unknown'}; this copy (${VERSION}) is not used. Load the SDK once.`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'facesign-verify': FaceSignVerifyElement;
  }
}
