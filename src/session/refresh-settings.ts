/** How a session gets new secrets: the settings, read at each refresh, and why a refresh starts. */
import type { FetchClientSecret } from '../base/client-secret.js';

/** Why a refresh started. */
export type RefreshTrigger = 'expiring' | 'expired' | 'manual';

/** How refreshes are made; read at each refresh, so a page can change them mid-session. */
export interface RefreshSettings {
  fetchClientSecret?: FetchClientSecret;
  /** checked and absolute */
  refreshUrl?: string;
  /** seconds before expireAt to refresh */
  margin: number;
  /** ms one attempt may take; also how long the page has to supply a secret after facesign-secret-request */
  timeout: number;
  retries: number;
  retryDelay: number;
  /** the refresh-url request's credentials mode */
  credentials: RequestCredentials;
}
