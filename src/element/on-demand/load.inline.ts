/** The script tag's load.ts: the same modules, already in the file (one file, no lazy-init wrappers around them). */
import * as langs from '../langs.js';
import * as redirect from '../../surfaces/redirect.js';
import * as fallback from './fallback-ui.js';

export const ONE_FILE = true;
export const langsNow = () => langs.LANGS;
export const loadLangs = () => Promise.resolve(langs);
export const loadRedirect = () => Promise.resolve(redirect);
export const loadFallback = () => Promise.resolve(fallback);
export const fallbackNow = () => fallback;
// the script tag stays one small file: continuing on the phone (its screens, the QR encoder) is the npm build's only
export const loadHandoff = (): Promise<typeof import('./handoff-ui.js')> => Promise.reject(new Error('not in the script tag'));
export const handoffNow = (): typeof import('./handoff-ui.js') | undefined => undefined;
