/**
 * The hosted verify page's end of the channel (`@facesign/verify/frame`).
 * The page calls `connectToHost({ allowedHostOrigins })`; to a host of an allowed origin it announces itself
 * (`window.parent`, or `window.opener` in a popup), receives a private MessagePort, and resolves with the init data
 * (secret, mode, lang) once the host sent it over that port. Any other host is refused before the hello.
 */
import { CAMERA_CODES, FaceSignError } from '../protocol/errors.js';
import {
  CAPS,
  HOST_CAPS,
  hasCap,
  PARAM,
  PROTOCOL_VERSION,
  message,
  parseConnect,
  parseHostMessage,
  type HostMessage,
  type Message,
  type Payload,
} from '../protocol/messages.js';

export type { HostMessage, FrameMessage, Payload } from '../protocol/messages.js';
export { FaceSignError } from '../protocol/errors.js';

export type InitData = Payload<'init'>;
type Listener<K extends HostMessage['type']> = (m: Message<K>) => void;

export interface ConnectOptions {
  /**
   * The exact origins allowed to embed this page (a frame's parent, a popup's opener): the merchant's setting. Any
   * other `fs_origin` is refused before the hello: the host gets one `refused` message, which carries nothing of
   * the session, and the promise rejects with `origin_not_allowed`.
   */
  allowedHostOrigins: readonly string[];
  /** ms to wait for the host's init before rejecting with `handshake_timeout` (default 10000) */
  timeout?: number;
  /** report the document's height to the host with a ResizeObserver (default true) */
  autoResize?: boolean;
  /** in modal mode, Escape inside the page asks the host to close (default true) */
  escapeCloses?: boolean;
  /** logs dropped messages (never a secret) */
  debug?: boolean;
  /**
   * answer the host's heartbeat (default true): the hello says so, and the host then finds a page that stops
   * answering for 10 s lost. false: the host never judges this page by its silence (as with pages built before it)
   */
  heartbeat?: boolean;
  /** this page wears the merchant's appearance (default false): the hello says so, and `init.appearance` carries it as JSON */
  appearance?: boolean;
  /**
   * this page uses features the merchant may delegate to its frame (default false): the hello says so, and
   * `init.delegated` lists those it can use here (`digital-credentials-get`, `publickey-credentials-get`)
   */
  delegation?: boolean;
  /**
   * this page can continue a verification on the person's phone (default false): the hello says so, and the host
   * may then start it in `handoff` mode, where it relays where the phone is with `handoff()` (docs/protocol.md)
   */
  handoff?: boolean;
}

export interface HostConnection {
  /**
   * the init data: the secret, the mode, the language (if the host set one), the appearance (when asked for), and
   * `delegated`: the features the merchant delegated to this frame that it can use here (space-separated; absent: none)
   */
  /** the init data: the secret, the mode, the language (if the host set one), what the host understands (`caps`) */
  readonly init: InitData;
  /** the host page's origin */
  readonly hostOrigin: string;
  /** the page is interactive; `sessionId`, when known, is sent with secret refreshes */
  ready(sessionId?: string): void;
  started(): void;
  step(nodeId: string, nodeType: string): void;
  resize(height: number): void;
  completed(sessionId: string): void;
  canceled(reason: string): void;
  /**
   * A camera problem by name (`camera_denied`, `camera_not_found`, `camera_in_use`, `microphone_denied`) reaches a
   * host that knows the names (`init.caps` lists `camera-codes`); an older one is told `camera_unavailable`.
   */
  error(code: string, message: string, recoverable: boolean): void;
  /** the secret was refused as expired or replaced: the host gets a new one and sends it as `secret` */
  secretExpired(): void;
  /** after a `secret` message: the new secret works */
  secretAccepted(): void;
  /** after a `secret` message: the new secret was refused */
  secretRejected(message: string): void;
  closeRequest(): void;
  /**
   * Where continuing on the phone is: `waiting` (with the one-time link and when it expires, ms), `opened`, `left`,
   * `expired`. Sent only to a host whose init lists the `handoff` capability; false when it was not sent.
   */
  handoff(state: 'waiting' | 'opened' | 'left' | 'expired', link?: { url: string; expiresAt: number }): boolean;
  /** `init` (again after a reconnect), `secret` (a new client secret), `close` (the host closed); returns an unsubscribe */
  on<K extends HostMessage['type']>(type: K, listener: Listener<K>): () => void;
  /** stops listening and closes the port */
  destroy(): void;
}

/** `connectToHost()`'s promise, with `destroy()` for a page that goes away before the host sent `init`. */
export interface ConnectingToHost extends Promise<HostConnection> {
  /**
   * Stops the handshake (or, once connected, the connection): every listener, the timer and the port end.
   * Before `init`, the promise rejects with `connection_destroyed`, so nothing waits for it forever.
   */
  destroy(): void;
}

/** The host page's window: the parent of our iframe, or the opener of our popup (the element's popup fallback). */
const hostWindow = (): Window | null => (window.parent !== window ? window.parent : window.opener);

/** A bare origin (`https://shop.example`), as postMessage takes it and `fs_origin` must be. */
const isOrigin = (o: unknown): o is string => {
  try {
    return typeof o === 'string' && new URL(o).origin === o;
  } catch {
    return false;
  }
};

/** Where the host asked this page to connect, from its own URL; undefined when it was not opened by the SDK. */
export function embedParams(href = location.href): { channel: string; hostOrigin: string } | undefined {
  const q = new URL(href).searchParams;
  const channel = q.get(PARAM.channel);
  const hostOrigin = q.get(PARAM.origin);
  if (!channel || q.get(PARAM.version) !== String(PROTOCOL_VERSION) || !hostWindow()) return undefined;
  // must be a bare origin: postMessage would throw on anything else
  return isOrigin(hostOrigin) ? { channel, hostOrigin } : undefined;
}

/** A handshake that ended before it began: nothing was set up, so there is nothing to destroy. */
const rejected = (e: FaceSignError): ConnectingToHost => Object.assign(Promise.reject(e), { destroy: () => {} });

export function connectToHost(options: ConnectOptions): ConnectingToHost {
  const {
    timeout = 10_000,
    autoResize = true,
    escapeCloses = true,
    debug = false,
    heartbeat = true,
    allowedHostOrigins,
    appearance = false,
    delegation = false,
    handoff = false,
  } = options ?? {};
  const log = (...a: unknown[]) => debug && console.debug('[facesign-frame]', ...a);
  if (!Array.isArray(allowedHostOrigins) || !allowedHostOrigins.every(isOrigin))
    return rejected(
      new FaceSignError(
        'invalid_option',
        'connectToHost() needs allowedHostOrigins: the exact origins the merchant allowed to embed this page, e.g. ["https://shop.example"]',
      ),
    );
  const params = embedParams();
  if (!params)
    return rejected(new FaceSignError('not_embedded', 'this page was not opened by <facesign-verify> (no parent window or channel parameters)'));
  const { channel, hostOrigin } = params;
  if (!allowedHostOrigins.includes(hostOrigin)) {
    // in place of the hello, to the exact origin in our URL: the host's own channel, nothing of the session, so
    // the merchant sees why at once (not a timeout) and any other page learns nothing
    hostWindow()!.postMessage(message('refused', { channel }), hostOrigin);
    return rejected(new FaceSignError('origin_not_allowed', `${hostOrigin} may not embed this page: it is not one of allowedHostOrigins`));
  }
  // owns everything the handshake and the connection set up; its reason is what the promise rejects with, when
  // it ends before init (after, the promise has resolved and the rejection is a no-op)
  const stop = new AbortController();
  const destroy = () => stop.abort(new FaceSignError('connection_destroyed', `destroy() was called before the host page ${hostOrigin} sent init`));
  const listeners = new Map<string, Set<(m: HostMessage) => void>>();
  let port: MessagePort | undefined;
  let lastHeight = -1;

  const connecting = new Promise<HostConnection>((resolve, reject) => {
    const timer = setTimeout(
      () => stop.abort(new FaceSignError('handshake_timeout', `no init from the host page ${hostOrigin} within ${timeout}ms`)),
      timeout,
    );
    stop.signal.addEventListener('abort', () => (clearTimeout(timer), reject(stop.signal.reason)));
    const send = <K extends Parameters<typeof message>[0]>(type: K, payload: Payload<K>) => port?.postMessage(message(type, payload));

    // an older host would report a name it does not know as hosted_page_error: it gets the one it knows
    const named = (init: InitData, code: string) =>
      CAMERA_CODES.includes(code) && !hasCap(init, HOST_CAPS.cameraCodes) ? 'camera_unavailable' : code;
    const connection = (init: InitData): HostConnection => ({
      init,
      hostOrigin,
      ready: (sessionId) => send('ready', sessionId ? { sessionId } : {}),
      started: () => send('started', {}),
      step: (nodeId, nodeType) => send('step', { nodeId, nodeType }),
      resize: (height) => {
        if (height === lastHeight) return;
        lastHeight = height;
        send('resize', { height });
      },
      completed: (sessionId) => send('completed', { sessionId }),
      canceled: (reason) => send('canceled', { reason }),
      error: (code, msg, recoverable) => send('error', { code: named(init, code), message: msg, recoverable }),
      secretExpired: () => send('secret-expired', {}),
      secretAccepted: () => send('secret-accepted', {}),
      secretRejected: (msg) => send('secret-rejected', { message: msg }),
      closeRequest: () => send('close-request', {}),
      handoff: (state, link) => !!hasCap(init, HOST_CAPS.handoff) && (send('handoff', { state, ...link }), true),
      on(type, listener) {
        const set = listeners.get(type) ?? new Set();
        listeners.set(type, set);
        set.add(listener as (m: HostMessage) => void);
        return () => set.delete(listener as (m: HostMessage) => void);
      },
      destroy,
    });
    let conn: HostConnection | undefined;

    addEventListener(
      'message',
      (e) => {
        // the same order as the host: source, shape, origin, channel
        if (e.source !== hostWindow() || !e.isTrusted) return;
        const m = parseConnect(e.data);
        if (typeof m === 'string') return log('dropped window message:', m);
        if (e.origin !== hostOrigin) return log('dropped window message: origin');
        if (m.channel !== channel || !e.ports[0]) return log('dropped window message: channel');
        port?.close();
        port = e.ports[0];
        port.onmessage = (ev) => {
          const hm = parseHostMessage(ev.data);
          if (typeof hm === 'string') return log('dropped port message:', hm);
          if (hm.type === 'init' && !conn) {
            clearTimeout(timer);
            resolve(
              (conn = connection({
                secret: hm.secret,
                mode: hm.mode,
                ...(hm.lang && { lang: hm.lang }),
                ...(hm.appearance && { appearance: hm.appearance }),
                ...(hm.delegated && { delegated: hm.delegated }),
                ...(hm.caps && { caps: hm.caps }),
              })),
            );
            lastHeight = -1;
            if (autoResize) measure();
          }
          // the heartbeat is answered here, so every page built on connectToHost takes part
          if (hm.type === 'ping') return void (heartbeat && send('pong', {}));
          listeners.get(hm.type)?.forEach((l) => l(hm));
        };
      },
      { signal: stop.signal },
    );

    const measure = () => conn?.resize(Math.ceil(document.documentElement.getBoundingClientRect().height));
    if (autoResize) {
      const ro = new ResizeObserver(measure);
      ro.observe(document.documentElement);
      stop.signal.addEventListener('abort', () => ro.disconnect());
    }
    if (escapeCloses)
      addEventListener('keydown', (e) => e.key === 'Escape' && conn?.init.mode === 'modal' && conn.closeRequest(), { signal: stop.signal });
    stop.signal.addEventListener('abort', () => port?.close());

    // the hello carries no secret; its target origin is exact, so it reaches only the host named in our URL
    const caps = [heartbeat && CAPS.ping, appearance && CAPS.appearance, delegation && CAPS.delegation, handoff && CAPS.handoff]
      .filter(Boolean)
      .join(' ');
    hostWindow()!.postMessage(message('hello', { channel, ...(caps && { caps }) }), hostOrigin);
  });
  return Object.assign(connecting, { destroy });
}
