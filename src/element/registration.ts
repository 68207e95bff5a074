/** Registering the element: safe with two copies of the SDK on one page, and under several tag names. */
import { VERSION } from '../version.js';

let versionWarned = false;
/** the constructors this copy registered, per registry: one constructor can back one tag per registry */
const registered = new WeakMap<CustomElementRegistry, WeakSet<object>>();

/** See FaceSignVerifyElement.define. */
export function defineOnce(cls: CustomElementConstructor & { version?: string }, tag: string, registry: CustomElementRegistry | undefined): void {
  if (!registry) return;
  const existing = registry.get(tag) as { version?: string } | undefined;
  if (!existing) {
    const mine = registered.get(registry) ?? new WeakSet();
    registered.set(registry, mine);
    // one constructor can back one tag per registry, so another tag gets a subclass; tracked here rather than
    // with registry.getName (Chrome 117, Safari 17), and caught when another script defined cls class itself
    try {
      registry.define(tag, mine.has(cls) ? class extends cls {} : cls);
    } catch (e) {
      if (!mine.has(cls) && (e as DOMException).name === 'NotSupportedError') registry.define(tag, class extends cls {});
      else throw e;
    }
    mine.add(cls);
  } else if (__FACESIGN_DEV__ && existing.version !== VERSION && !versionWarned) {
    versionWarned = true;
    console.warn(
      `[facesign-verify] <${tag}> is already defined by version ${existing.version ?? 'unknown'}; this copy (${VERSION}) is not used. Load the SDK once.`,
    );
  }
}
