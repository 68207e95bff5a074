/**
 * Every error the SDK reports has one of these stable codes. docs/errors.md lists what each means.
 * Codes from the hosted page that are not in this list arrive as `hosted_page_error`.
 */
export const ERROR_CODES = [
  // bad input from the host page (no iframe is created, no request is made)
  'invalid_client_secret',
  'invalid_option',
  'invalid_verify_url',
  // loading and the channel
  'load_timeout',
  'hosted_page_unreachable',
  // the hosted page may not be embedded by this page's origin (both ends report it)
  'origin_not_allowed',
  // a frame that cannot verify here (a fallback is offered)
  'camera_blocked',
  'unsupported_browser',
  'webview_no_camera',
  'frame_blocked',
  'hosted_page_lost',
  'popup_blocked',
  'redirect_blocked',
  // continuing on the phone cannot start: the hosted page does not take part in it, or its module did not load
  'handoff_unavailable',
  'not_embedded',
  'handshake_timeout',
  'connection_destroyed',
  // the client secret's lifecycle
  'secret_expired',
  'secret_refresh_failed',
  'invalid_refresh_response',
  'refreshed_secret_expired',
  'secret_rejected',
  'refresh_forbidden',
  // reported by the hosted verify page
  'session_not_found',
  'session_finished',
  'camera_unavailable',
  // a camera or microphone problem named (only to a host whose init lists `camera-codes`)
  'camera_denied',
  'camera_not_found',
  'camera_in_use',
  'microphone_denied',
  'network_error',
  'hosted_page_error',
  // the promise API
  'already_open',
  'unsupported_environment',
] as const;

export type FaceSignErrorCode = (typeof ERROR_CODES)[number];

/**
 * The camera problems a hosted page names. A host that knows them says so in `init` (`caps` lists `camera-codes`);
 * to any other (an older host would report an unknown code as `hosted_page_error`) the page says `camera_unavailable`.
 */
export const CAMERA_CODES: readonly string[] = ['camera_denied', 'camera_not_found', 'camera_in_use', 'microphone_denied'];

export const isErrorCode = (code: unknown): code is FaceSignErrorCode => (ERROR_CODES as readonly unknown[]).includes(code);

/**
 * What `facesign-error` carries: a plain object, so `JSON.stringify(e.detail)` and any logger keep all of it.
 * A union over the codes: `switch (detail.code)` narrows.
 */
export type FaceSignErrorDetail = {
  [C in FaceSignErrorCode]: { code: C; message: string; recoverable: boolean };
}[FaceSignErrorCode];

/** The one error class of the SDK (promise rejections, `instanceof`): `code` is stable, `message` says what to fix. */
export class FaceSignError extends Error {
  override readonly name = 'FaceSignError';
  constructor(
    readonly code: FaceSignErrorCode,
    message: string,
    /** true when the session can still go on (retry, a new secret); false ends it */
    readonly recoverable = false,
  ) {
    super(message);
  }

  /** The plain, serializable form (also what JSON.stringify gives). */
  toJSON(): FaceSignErrorDetail {
    return { code: this.code, message: this.message, recoverable: this.recoverable } as FaceSignErrorDetail;
  }

  /** Back from the plain form, e.g. a `facesign-error` detail. */
  static from(d: FaceSignErrorDetail): FaceSignError {
    return new FaceSignError(d.code, d.message, d.recoverable);
  }
}
