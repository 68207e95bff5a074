/**
 * `@facesign/verify/server`: the FaceSign API client for your backend (Node 20+, Bun, Deno, Workers, Next.js route
 * handlers): sessions, webhook verification, and the element's refresh endpoint. fetch and Web Crypto only.
 */
export { FaceSign, DEFAULT_BASE_URL, type FaceSignOptions, type CreateSessionOptions } from './server/client.js';
export type { RequestOptions } from './server/http.js';
export type { ForcedOutcome, TestHelpers } from './server/test-helpers.js';
export { FaceSignServerError, FaceSignAPIError, FaceSignConnectionError, FaceSignSignatureError } from './server/errors.js';
export type { FaceSignAPIErrorType, FaceSignServerErrorCode, FaceSignSignatureErrorCode } from './server/errors.js';
export { verifyWebhook, type VerifyWebhookOptions, type WebhookHeaders } from './server/webhooks.js';
export {
  refreshHandler,
  type RefreshHandlerOptions,
  type RefreshRequest,
  type StoredVerification,
  type AuthorizeResult,
} from './server/refresh-handler.js';
export { toNodeHandler, type NodeHandlerOptions, type NodeRequest, type NodeResponse } from './server/node-handler.js';
export type * from './server/types.js';
export { VERSION } from './version.js';
