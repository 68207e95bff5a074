import { defineFaceSignVerify } from './define.js';

defineFaceSignVerify();

export { FaceSignVerifyElement, type FaceSignStatus } from './element.js';
export { defineFaceSignVerify, TAG_NAME } from './define.js';
export { FaceSignError, ERROR_CODES, type FaceSignErrorCode } from './errors.js';
export type * from './events.js';
export { DEFAULT_VERIFY_URL, type FaceSignMode } from './options.js';
export { PROTOCOL_VERSION } from './protocol.js';
export type { ClientSecret, FetchClientSecret } from './secret.js';
export { verify, type VerifyOptions, type VerifyResult } from './verify.js';
export { VERSION, VERSION as version } from './version.js';
