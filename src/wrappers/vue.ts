/**
 * `@facesign/verify/vue`: <FaceSignVerify> for Vue 3, with typed props and emits. Props go to the element as DOM
 * properties; each facesign-* event is re-emitted without its prefix (`@complete`, `@secret-refresh`, …) with its
 * detail. The raw element works in Vue too: see docs/frameworks.md ("Vue").
 */
import { defineComponent, h, withDirectives, type ObjectDirective, type PropType } from 'vue';
import { FaceSignVerifyElement } from '../element/facesign-verify.js';
import type { FaceSignEventMap } from '../base/events.js';
import type { FaceSignMode } from '../element/options.js';
import type { FaceSignDelegation, FaceSignFallback, FaceSignWebView } from '../element/options.js';
import type { FaceSignStringsByLang } from '../element/strings.js';
import type { FaceSignAppearance } from '../element/appearance.js';
import type { ClientSecretInput, FetchClientSecret } from '../base/client-secret.js';

FaceSignVerifyElement.define();

type Detail<K extends keyof FaceSignEventMap> = FaceSignEventMap[K]['detail'];
const EVENTS = [
  'ready',
  'start',
  'step',
  'complete',
  'cancel',
  'error',
  'close-request',
  'close',
  'secret-refresh',
  'secret-request',
  'secret-expired',
  'fallback',
] as const;
type Short = (typeof EVENTS)[number];
const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

type Props = Record<string, unknown>;
const set = (el: FaceSignVerifyElement, k: string, v: unknown) => ((el as unknown as Props)[k] = v);
/**
 * The props, set on the element as properties by us rather than by Vue: Vue turns a prop that goes back to
 * undefined into '' or 0 when the property reads a string or a number (its default), and the element would take
 * that as a value (verifyUrl '' is invalid, loadTimeout 0 times out at once). Assigned undefined, a property
 * reads its default again.
 */
const properties: ObjectDirective<FaceSignVerifyElement, Props> = {
  // before the element is in the document, as Vue sets props: its first session starts with them
  beforeMount(el, { value }) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) set(el, k, v);
  },
  // only what changed, as Vue patches: an `open` left true after the element closed itself is not applied again
  beforeUpdate(el, { value, oldValue }) {
    for (const [k, v] of Object.entries(value)) if (v !== oldValue?.[k]) set(el, k, v);
  },
  // the server's HTML: the props that are set, as attributes (`mode="modal"`); never the secret
  getSSRProps: ({ value }) => Object.fromEntries(Object.entries(value).filter(([k, v]) => v !== undefined && k !== 'clientSecret')),
};

export const FaceSignVerify = defineComponent({
  name: 'FaceSignVerify',
  props: {
    // one of clientSecret and fetchClientSecret (which can give the first secret too)
    clientSecret: { type: [String, Object] as PropType<string | ClientSecretInput>, default: undefined },
    mode: { type: String as PropType<FaceSignMode>, default: undefined },
    open: { type: Boolean, default: false },
    lang: { type: String, default: undefined },
    verifyUrl: { type: String, default: undefined },
    refreshUrl: { type: String, default: undefined },
    refreshMargin: { type: Number, default: undefined },
    expireAt: { type: Number, default: undefined },
    /** @deprecated use expireAt */
    expiresAt: { type: Number, default: undefined },
    fetchClientSecret: { type: Function as PropType<FetchClientSecret>, default: undefined },
    debug: { type: Boolean, default: undefined }, // undefined, not false: server-rendered, false is the attribute debug="false", which reads as true
    loadTimeout: { type: Number, default: undefined },
    refreshTimeout: { type: Number, default: undefined },
    refreshRetries: { type: Number, default: undefined },
    refreshRetryDelay: { type: Number, default: undefined },
    refreshCredentials: { type: String as PropType<RequestCredentials>, default: undefined },
    fallback: { type: String as PropType<FaceSignFallback>, default: undefined },
    returnUrl: { type: String, default: undefined },
    strings: { type: Object as PropType<FaceSignStringsByLang>, default: undefined },
    appearance: { type: Object as PropType<FaceSignAppearance>, default: undefined },
    webview: { type: String as PropType<FaceSignWebView>, default: undefined },
    nativeBridge: { type: String, default: undefined },
    delegate: { type: [String, Array] as PropType<string | readonly FaceSignDelegation[]>, default: undefined },
  },
  emits: {
    ready: (_: Detail<'facesign-ready'>) => true,
    start: (_: Detail<'facesign-start'>) => true,
    step: (_: Detail<'facesign-step'>) => true,
    complete: (_: Detail<'facesign-complete'>) => true,
    cancel: (_: Detail<'facesign-cancel'>) => true,
    error: (_: Detail<'facesign-error'>) => true,
    'close-request': (_: Detail<'facesign-close-request'>, __: Event) => true,
    close: (_: Detail<'facesign-close'>) => true,
    'secret-refresh': (_: Detail<'facesign-secret-refresh'>) => true,
    'secret-request': (_: Detail<'facesign-secret-request'>, __: Event) => true,
    /** @deprecated use secret-request */
    'secret-expired': (_: Detail<'facesign-secret-expired'>, __: Event) => true,
    /** cancelable: preventDefault() on the event, then continueIn() on the element */
    fallback: (_: Detail<'facesign-fallback'>, __: Event) => true,
  },
  setup(props, { emit, expose }) {
    const listeners = Object.fromEntries(
      EVENTS.map((name) => [
        // Vue's h() listens to `facesign-ready` for the prop `onFacesignReady`
        camel(`on-facesign-${name}`),
        // the cancelable ones also pass the event, so a listener can preventDefault()
        (e: CustomEvent) => (emit as (n: Short, d: unknown, ev: Event) => void)(name, e.detail, e),
      ]),
    );
    let el: FaceSignVerifyElement | undefined;
    expose({
      show: () => el?.show(),
      close: () => el?.close(),
      refreshSecret: () => el?.refreshSecret() ?? Promise.resolve(),
      continueIn: (via: 'popup' | 'redirect') => el?.continueIn(via),
    });
    return () =>
      // a copy of the props on each render: the directive compares it with the last one
      withDirectives(h('facesign-verify', { ...listeners, ref: (r: unknown) => (el = r as FaceSignVerifyElement | undefined) }), [
        [properties, { ...props }],
      ]);
  },
});

declare module 'vue' {
  interface GlobalComponents {
    FaceSignVerify: typeof FaceSignVerify;
  }
}

export { FaceSignVerifyElement };
export type * from '../base/events.js';
export type { ClientSecret, ClientSecretInput, FetchClientSecret } from '../base/client-secret.js';
