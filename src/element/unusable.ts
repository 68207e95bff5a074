import type { FaceSignErrorCode } from '../protocol/errors.js';

/** Codes after which trying again with the same secret cannot work: the merchant must create a new session. */
export const UNUSABLE: readonly FaceSignErrorCode[] = ['invalid_client_secret', 'session_not_found', 'session_finished', 'refresh_forbidden'];

/**
 * Codes a person cannot mend by trying again: the session is spent, or the page gave the element an input it
 * cannot use (a bad option or verify-url) that only the merchant can fix. Their screen offers no Try again.
 */
export const DEAD_END: readonly FaceSignErrorCode[] = [...UNUSABLE, 'invalid_option', 'invalid_verify_url'];
