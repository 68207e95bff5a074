/**
 * Features the frame is given only when the merchant asks (`delegate`): least privilege, since a frame that holds
 * a feature can use it without the embedding page's knowledge. The Digital Credentials API (mobile driver's
 * licences, EU wallets) and passkeys: a cross-origin frame needs them in its `allow` attribute, and the page's own
 * Permissions-Policy must not refuse them.
 */
import { blockedFeatures } from './obstacles.js';

export type FaceSignDelegation = 'digital-credentials-get' | 'publickey-credentials-get';
export const DELEGATIONS: readonly FaceSignDelegation[] = ['digital-credentials-get', 'publickey-credentials-get'];

/** the interface a browser that implements each feature has (both only in a secure context) */
const API: Record<FaceSignDelegation, string> = {
  'digital-credentials-get': 'DigitalCredential',
  'publickey-credentials-get': 'PublicKeyCredential',
};

/**
 * Of the features delegated to `frame`, those the hosted page can use as far as this page can tell: the browser
 * implements them, and its policy (where it tells: Chromium) does not refuse them to the frame.
 */
export function usable(frame: HTMLIFrameElement, origin: string, delegated: readonly FaceSignDelegation[]): FaceSignDelegation[] {
  const blocked = blockedFeatures(frame, origin, delegated);
  return delegated.filter((f) => typeof (globalThis as Record<string, unknown>)[API[f]] === 'function' && !blocked.includes(f));
}
