import { defineFaceSignVerify } from './define.js';

defineFaceSignVerify();

export { FaceSignVerifyElement, type FaceSignStatus } from './element/facesign-verify.js';
export { defineFaceSignVerify, TAG_NAME } from './define.js';
export { FaceSignError, ERROR_CODES, type FaceSignErrorCode, type FaceSignErrorDetail } from './protocol/errors.js';
export type * from './base/events.js';
export type { BridgeMessage } from './element/native-bridge.js';
export { DEFAULT_VERIFY_URL, type FaceSignDelegation, type FaceSignMode, type FaceSignWebView } from './element/options.js';
export type { FaceSignFallback, FaceSignFallbackReason, FaceSignFallbackVia } from './surfaces/fallback.js';
export { handleRedirectResult, type FaceSignRedirectResult } from './surfaces/redirect-return.js';
export type { FaceSignStrings, FaceSignStringsByLang } from './element/strings.js';
export type { FaceSignAppearance, FaceSignColorScheme } from './element/appearance.js';
export { PROTOCOL_VERSION } from './protocol/messages.js';
export type { ClientSecret, ClientSecretInput, FetchClientSecret } from './base/client-secret.js';
export { verify, type VerifyOptions, type VerifyResult, type VerifySettings } from './api/verify.js';
export { resumableSession } from './element/resume-memory.js';
export { VERSION, VERSION as version } from './version.js';
