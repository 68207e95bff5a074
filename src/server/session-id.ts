// A session id as one path segment of an API URL.
import { FaceSignServerError, described } from './errors.js';

/**
 * `.` and `..` (which URL resolution turns into another path of the API, the secret key with it), slashes, percent
 * signs and control characters are refused, not encoded.
 */
export function checkId(id: unknown, what: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (typeof id !== 'string' || !id.trim() || /^\.{1,2}$/.test(id) || /[/\\%\u0000-\u001f\u007f]/.test(id))
    throw new FaceSignServerError(
      'invalid_argument',
      `${what} must be a session id (a string like fs_session_…, no "/", "%", "." or ".."): got ${described(id)}`,
    );
  return encodeURIComponent(id);
}
