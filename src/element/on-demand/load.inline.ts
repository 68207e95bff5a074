/** The script tag's load.ts: the same modules, already in the file (one file, no lazy-init wrappers around them). */
import * as langs from '../langs.js';
import * as redirect from '../../surfaces/redirect.js';
import * as fallback from './fallback-ui.js';
import * as handoff from './handoff-ui.js';
import * as secretRefresh from '../../session/secret-refresh.js';

export const ONE_FILE = true;
export const langsNow = () => langs.LANGS;
export const loadLangs = () => Promise.resolve(langs);
export const loadRedirect = () => Promise.resolve(redirect);
export const loadFallback = () => Promise.resolve(fallback);
export const fallbackNow = () => fallback;
export const loadHandoff = () => Promise.resolve(handoff);
export const handoffNow = () => handoff;
export const loadRefresh = () => Promise.resolve(secretRefresh);
export const refreshNow = () => secretRefresh;
