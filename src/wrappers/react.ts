/**
 * `@facesign/verify/react`: <FaceSignVerify> for React 17+ (React 19 included), via @lit/react. Props set the
 * element's properties (clientSecret, mode, open, lang, verifyUrl, refreshUrl, fetchClientSecret, …); `on*` props
 * listen to the facesign-* events with typed details. Safe to import during SSR (it renders the tag; the element
 * upgrades in the browser) and under StrictMode (one element, one iframe, one handshake).
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { FaceSignVerifyElement } from '../element/facesign-verify.js';
import type { FaceSignEventMap } from '../base/events.js';
import type { FaceSignMode } from '../element/options.js';
import type { FaceSignFallback } from '../surfaces/fallback.js';
import type { FaceSignWebView } from '../element/options.js';

FaceSignVerifyElement.define();

const event = <K extends keyof FaceSignEventMap>(name: K) => name as EventName<FaceSignEventMap[K]>;

export const FaceSignVerify = createComponent({
  tagName: 'facesign-verify',
  elementClass: FaceSignVerifyElement,
  react: React,
  displayName: 'FaceSignVerify',
  events: {
    onReady: event('facesign-ready'),
    onStart: event('facesign-start'),
    onStep: event('facesign-step'),
    onComplete: event('facesign-complete'),
    onCancel: event('facesign-cancel'),
    onError: event('facesign-error'),
    onCloseRequest: event('facesign-close-request'),
    onClose: event('facesign-close'),
    onSecretRefresh: event('facesign-secret-refresh'),
    onSecretRequest: event('facesign-secret-request'),
    onFallback: event('facesign-fallback'),
    /** @deprecated use onSecretRequest */
    onSecretExpired: event('facesign-secret-expired'),
  },
});

export type FaceSignVerifyProps = React.ComponentProps<typeof FaceSignVerify>;

/** Attributes of the raw <facesign-verify> in JSX (prefer <FaceSignVerify>: it sets properties and events). */
export interface FaceSignVerifyJSXAttributes extends React.HTMLAttributes<FaceSignVerifyElement> {
  'client-secret'?: string;
  mode?: FaceSignMode;
  open?: boolean;
  'verify-url'?: string;
  'refresh-url'?: string;
  'refresh-margin'?: number;
  'expire-at'?: number;
  /** @deprecated use expire-at */
  'expires-at'?: number;
  'load-timeout'?: number;
  'refresh-timeout'?: number;
  'refresh-retries'?: number;
  'refresh-retry-delay'?: number;
  'refresh-credentials'?: RequestCredentials;
  fallback?: FaceSignFallback;
  'return-url'?: string;
  webview?: FaceSignWebView;
  'native-bridge'?: string;
  delegate?: string;
  lang?: string;
  debug?: boolean;
  ref?: React.Ref<FaceSignVerifyElement>;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'facesign-verify': FaceSignVerifyJSXAttributes;
    }
  }
}
export { FaceSignVerifyElement };
export type * from '../base/events.js';
export type { ClientSecret, ClientSecretInput, FetchClientSecret } from '../base/client-secret.js';
