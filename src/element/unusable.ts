import type { FaceSignErrorCode } from '../protocol/errors.js';

/** Codes after which trying again with the same secret cannot work: the merchant must create a new session. */
export const UNUSABLE: readonly FaceSignErrorCode[] = ['invalid_client_secret', 'session_not_found', 'session_finished', 'refresh_forbidden'];
