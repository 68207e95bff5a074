import { deprecated } from '../base/warn-once.js';
import { DEFAULTS } from './options.js';

/** a removed number attribute is unset (undefined), not null */
export const toNumber = { fromAttribute: (v: string | null) => (v === null ? undefined : Number(v)) };

/**
 * Properties with a default read it back while unset, or set to undefined/null (an attribute removed, a framework
 * passing undefined): a constructor assignment would overwrite values set before the upgrade. Lit wraps these
 * accessors with its own change tracking. And `expiresAt`, the old name of `expireAt`, forwards to it with a warning.
 */
export function defaultedProperties(proto: object): void {
  for (const [name, value] of Object.entries(DEFAULTS)) {
    const key = Symbol(name);
    type Slots = Record<symbol, unknown>;
    Object.defineProperty(proto, name, {
      get(this: Slots) {
        return this[key] ?? value;
      },
      set(this: Slots, v: unknown) {
        this[key] = v;
      },
      configurable: true,
    });
  }
  Object.defineProperty(proto, 'expiresAt', {
    get(this: { expireAt: unknown }) {
      return this.expireAt;
    },
    set(this: { expireAt: unknown }, v: unknown) {
      if (__FACESIGN_DEV__) deprecated('expiresAt (expires-at)', "expireAt (expire-at), the API's name");
      this.expireAt = v;
    },
    configurable: true,
  });
}
