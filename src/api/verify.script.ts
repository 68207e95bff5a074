/**
 * The script tag's verify(): the promise API is a part beside the script (src/element/on-demand/parts.ts), loaded
 * on the first call, since most pages embed the element and never call it. Calls keep their order (a second one
 * while the first is open still gets already_open). A part that cannot load rejects with a recoverable
 * network_error that says why: calling verify() again asks for it again.
 */
import type { VerifyOptions, VerifyResult } from './verify.js';
import { part } from '../element/on-demand/parts.js';
import { FaceSignError } from '../protocol/errors.js';

export type { VerifyOptions, VerifyResult, VerifySettings } from './verify.js';

export function verify(options: VerifyOptions): Promise<VerifyResult> {
  return part<typeof import('./verify.js')>('verify').then(
    (m) => m.verify(options),
    (e: Error) => {
      throw new FaceSignError('network_error', `verify() is not here: ${e.message}`, true);
    },
  );
}
