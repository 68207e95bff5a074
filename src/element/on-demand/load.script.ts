/**
 * The script tag's load.ts (vite.config.ts swaps it in for the production script tag): the same on-demand modules,
 * each a part beside the script (parts.ts), loaded on first need and checked against the hash built into it.
 */
import { part } from './parts.js';

type FallbackUi = typeof import('./fallback-ui.js');
type HandoffUi = typeof import('./handoff-ui.js');

export const ONE_FILE = false;
export const langsNow = (): Record<string, string> | undefined => undefined;
let fallback: FallbackUi | undefined;
export const loadLangs = () => part<typeof import('../langs.js')>('langs');
export const loadRedirect = () => part<typeof import('../../surfaces/redirect.js')>('redirect');
export const loadFallback = (): Promise<FallbackUi> => part<FallbackUi>('fallback').then((m) => (fallback = m));
export const fallbackNow = (): FallbackUi | undefined => fallback;
let handoff: HandoffUi | undefined;
export const loadHandoff = (): Promise<HandoffUi> => part<HandoffUi>('handoff').then((m) => (handoff = m));
export const handoffNow = (): HandoffUi | undefined => handoff;
type SecretRefresh = typeof import('../../session/secret-refresh.js');
let secretRefresh: SecretRefresh | undefined;
export const loadRefresh = (): Promise<SecretRefresh> => part<SecretRefresh>('refresh').then((m) => (secretRefresh = m));
export const refreshNow = (): SecretRefresh | undefined => secretRefresh;
