// The server client's errors. Every one has a stable `code`; none ever carries the API key (requests are never
// attached to errors, the key lives in a private field of the client, and what the API or fetch says is redacted).
import { redactKey } from './redact.js';

/** The error types FaceSign's API answers with (the seeds' `error.type`), plus the simulator's idempotency check. */
export type FaceSignAPIErrorType =
  'authentication_error' | 'validation_error' | 'not_found_error' | 'rate_limit_error' | 'idempotency_error' | 'api_error';

const API_ERROR_TYPES: readonly string[] = [
  'authentication_error',
  'validation_error',
  'not_found_error',
  'rate_limit_error',
  'idempotency_error',
  'api_error',
];

/** An error message, not a document: an API message longer than this is cut. */
const MAX_MESSAGE = 1000;

/** Codes of errors raised before or around a request, not by the API. */
export type FaceSignServerErrorCode = 'invalid_api_key' | 'browser_environment' | 'invalid_option' | 'invalid_argument' | 'test_mode_only';

/** The base class: `code` is stable, `message` says what to fix. */
export class FaceSignServerError extends Error {
  override name = 'FaceSignServerError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * What a refused value was, for messages: a number as it is, anything else by its kind (a string by its length):
 * a value in the wrong place may be a secret, and messages end up in logs.
 */
export const described = (v: unknown): string =>
  typeof v === 'number' ? String(v) : typeof v === 'string' ? `a string of ${v.length} characters` : v === null ? 'null' : typeof v;

/**
 * The one check of a numeric option (the client's `timeout`, `maxRetries`, refreshHandler's limits, the webhook
 * `tolerance` / `now`): a finite number, above 0 when `positive`, whole when `integer`; otherwise `invalid_option`
 * naming it. NaN matters most: `Number(process.env.X)` of an unset variable must not switch a limit off.
 */
export function checkNumber(name: string, v: unknown, { positive = false, integer = false, unit = '' } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive ? v <= 0 : v < 0) || (integer && !Number.isInteger(v)))
    throw new FaceSignServerError(
      'invalid_option',
      `${name} must be a finite ${integer ? 'whole number' : 'number'}${unit && ` of ${unit}`} ${positive ? '> 0' : '≥ 0'} (got ${described(v)}): ` +
        'check how it is read, e.g. Number(process.env.…) of an unset variable is NaN',
    );
  return v;
}

/** The API answered with an error status. Narrow by `type` (the API's) or `status`. */
export class FaceSignAPIError extends FaceSignServerError {
  override name = 'FaceSignAPIError';
  declare readonly code: FaceSignAPIErrorType;
  /** seconds to wait before retrying, from the API's `Retry-After` */
  readonly retryAfter: number | undefined;
  constructor(
    readonly status: number,
    readonly type: FaceSignAPIErrorType,
    message: string,
    retryAfter?: number,
  ) {
    super(type, message);
    this.retryAfter = retryAfter;
  }

  /**
   * From an error response: the seeds' `{ error: { type, message } }`, or whatever else came back. The API's
   * message goes through `redact` before the error exists (its stack repeats the message): an API that echoes
   * the Authorization header must not put the key into logs. Without one, anything shaped like a key goes.
   */
  static fromResponse(status: number, body: unknown, retryAfter?: number, redact: (text: string) => string = redactKey): FaceSignAPIError {
    const e = (body as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
    const type = typeof e?.type === 'string' && API_ERROR_TYPES.includes(e.type) ? (e.type as FaceSignAPIErrorType) : 'api_error';
    const message =
      typeof e?.message === 'string' && e.message
        ? redact(e.message.length > MAX_MESSAGE ? `${e.message.slice(0, MAX_MESSAGE)}…` : e.message)
        : `FaceSign answered HTTP ${status}${body === undefined ? ' with a body that is not JSON' : ''}`;
    return new FaceSignAPIError(status, type, message, retryAfter);
  }
}

/** The request never got an answer: a network failure (`connection_error`) or no answer within `timeout` (`timeout`). */
export class FaceSignConnectionError extends FaceSignServerError {
  override name = 'FaceSignConnectionError';
  declare readonly code: 'connection_error' | 'timeout';
  constructor(code: 'connection_error' | 'timeout', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type FaceSignSignatureErrorCode =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'invalid_signature'
  | 'invalid_body'
  | 'invalid_secret'
  | 'invalid_payload';

/** A webhook delivery that must not be trusted; `code` says why. Answer it with 400. */
export class FaceSignSignatureError extends FaceSignServerError {
  override name = 'FaceSignSignatureError';
  declare readonly code: FaceSignSignatureErrorCode;
  constructor(code: FaceSignSignatureErrorCode, message: string) {
    super(code, message);
  }
}
