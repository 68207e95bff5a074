// Type tests, checked by the typecheck (`tsc --noEmit`): valid usage compiles; each @ts-expect-error line must be
// an error, or the typecheck fails.
import {
  FaceSignVerifyElement,
  FaceSignError,
  verify,
  type ClientSecret,
  type ClientSecretInput,
  type FaceSignErrorDetail,
  type FaceSignStepDetail,
} from '../../src/index.js';
import type { ClientSecret as ServerClientSecret } from '../../src/server.js';
import { FaceSignVerify } from '../../src/react.js';
import { FaceSignVerify as VueFaceSignVerify } from '../../src/vue.js';
import { h } from 'vue';

const el = document.createElement('facesign-verify');
el satisfies FaceSignVerifyElement;
el.clientSecret = 'fs_client_secret_x';
el.clientSecret = { secret: 'fs_client_secret_x', expireAt: 1, url: 'https://verify.facesign.ai/' };
// the API's object as the server gets it is one type on both sides, and the element takes it whole
const fromServer: ServerClientSecret = { secret: 'fs_client_secret_x', createdAt: 0, expireAt: 1, url: 'https://verify.facesign.ai/' };
fromServer satisfies ClientSecret;
el.clientSecret = fromServer;
const partial: ClientSecretInput = { secret: 'fs_client_secret_x' };
el.clientSecret = partial;
// @ts-expect-error: the API's object has every field
const incomplete: ClientSecret = { secret: 'fs_client_secret_x' };
void incomplete;
el.mode = 'modal';
// @ts-expect-error: unknown mode
el.mode = 'popup';
// @ts-expect-error: a secret is a string or the API's object
el.clientSecret = 42;
// @ts-expect-error: open is a boolean
el.open = 'yes';
el.fetchClientSecret = async ({ sessionId }) => `fs_client_secret_${sessionId}`;
// @ts-expect-error: fetchClientSecret returns a promise
el.fetchClientSecret = () => 'fs_client_secret_x';

el.addEventListener('facesign-step', (e) => {
  const d: FaceSignStepDetail = e.detail;
  d.nodeId.toUpperCase();
  // @ts-expect-error: a step has no sessionId
  void e.detail.sessionId;
});
el.addEventListener('facesign-complete', (e) => void e.detail.sessionId.toUpperCase());
el.addEventListener('facesign-error', (e) => {
  e.detail satisfies FaceSignErrorDetail;
  // a plain object, not an Error
  // @ts-expect-error: no stack on the detail
  void e.detail.stack;
  // narrowed per code
  if (e.detail.code === 'load_timeout') {
    const c: 'load_timeout' = e.detail.code;
    void c;
  }
  // @ts-expect-error: not a code
  void (e.detail.code === 'no_such_code');
  // @ts-expect-error: recoverable is a boolean
  e.detail.recoverable.toUpperCase();
});
el.addEventListener('facesign-close-request', (e) => (e.detail.source === 'escape' ? e.preventDefault() : undefined));

void verify({ clientSecret: 'fs_client_secret_x' })
  .then((r) => (r.status === 'complete' ? r.sessionId : r.reason))
  .catch((e: unknown) => e instanceof FaceSignError && e.toJSON().code);
// @ts-expect-error: clientSecret is required
void verify({ mode: 'modal' });
// @ts-expect-error: unknown mode
void verify({ clientSecret: 'x', mode: 'popup' });

export const ok = (
  <FaceSignVerify
    clientSecret="fs_client_secret_x"
    mode="modal"
    open
    lang="en"
    refreshUrl="/refresh"
    onComplete={(e) => e.detail.sessionId}
    onStep={(e) => e.detail.nodeType}
  />
);
// @ts-expect-error: unknown mode
export const badMode = <FaceSignVerify clientSecret="x" mode="popup" />;
// @ts-expect-error: the complete detail has no reason
export const badDetail = <FaceSignVerify clientSecret="x" onComplete={(e) => e.detail.reason} />;
// @ts-expect-error: open is a boolean
export const badOpen = <FaceSignVerify clientSecret="x" open="yes" />;

// the raw element in JSX
export const raw = <facesign-verify client-secret="fs_client_secret_x" mode="inline" />;
// @ts-expect-error: unknown mode on the raw element
export const rawBad = <facesign-verify client-secret="x" mode="popup" />;

// Vue
export const vnode = h(VueFaceSignVerify, { clientSecret: 'fs_client_secret_x', mode: 'modal', onComplete: (d) => d.sessionId });
// @ts-expect-error: unknown mode
export const vnodeBad = h(VueFaceSignVerify, { clientSecret: 'x', mode: 'popup' });
