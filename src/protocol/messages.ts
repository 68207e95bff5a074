/**
 * The wire protocol between the host page (`<facesign-verify>`) and the hosted verify page (`./frame`).
 * Both ends import this module, so the message list and its guards exist once. See docs/protocol.md.
 *
 * Each message type is described by a table of its fields: 's' string, 'n' number, 'b' boolean,
 * with '?' for optional. The TypeScript types are derived from the same tables.
 */
export const NAMESPACE = 'facesign';
export const PROTOCOL_VERSION = 1;
/** Longest string field accepted; anything longer is dropped as oversized. */
export const MAX_STRING = 2000;
/** Most keys a message may carry (known or not). */
const MAX_KEYS = 24;

/**
 * Hosted page -> host over window.postMessage, before there is a port. `hello`: `caps` is what the page takes part
 * in, space-separated; `ping` means it answers the heartbeat, so the host may judge it by its silence; `appearance`
 * that it wears the merchant's appearance, which `init` then carries. `refused`,
 * in place of the hello: the host page's origin is not one the merchant allowed to embed the page; nothing follows.
 */
const HELLO = { hello: { channel: 's', caps: 's?' }, refused: { channel: 's' } } as const;
/** Host -> hosted page over window.postMessage; carries the MessagePort. */
const CONNECT = { connect: { channel: 's' } } as const;

/** Hosted page -> host, over the port. */
const FRAME_TO_HOST = {
  /** sessionId (optional): lets the host send it with secret refreshes */
  ready: { sessionId: 's?' },
  started: {},
  step: { nodeId: 's', nodeType: 's' },
  resize: { height: 'n' },
  completed: { sessionId: 's' },
  canceled: { reason: 's' },
  error: { code: 's', message: 's', recoverable: 'b' },
  'secret-expired': {},
  /** the secret from a `secret` message works */
  'secret-accepted': {},
  /** the secret from a `secret` message was refused */
  'secret-rejected': { message: 's' },
  'close-request': {},
  /** the answer to `ping` (connectToHost sends it by itself) */
  pong: {},
  /**
   * where continuing on the phone is (`state`: waiting, with the one-time link's `url` and `expiresAt` in ms since
   * the epoch; opened; left, the phone's page went away; expired), said by a page in `handoff` mode, and by any page
   * of a session a phone already holds; only to a host whose init lists the `handoff` capability
   */
  handoff: { state: 's', url: 's?', expiresAt: 'n?' },
} as const;

/** Host -> hosted page, over the port. */
const HOST_TO_FRAME = {
  /**
   * `appearance` (optional): the merchant's brand as JSON (colorScheme, accent, onAccent, text, background, radius,
   * font; docs/protocol.md), sent only to a page whose hello listed the `appearance` capability. `caps`
   * (optional): what the host understands, space-separated (HOST_CAPS); absent from an older host
   */
  /**
   * `delegated` (optional): the features the host delegated on request (`digital-credentials-get`,
   * `publickey-credentials-get`) that the page can use as far as the host can tell, space-separated; sent only to
   * a page whose hello listed the `delegation` capability, and only when there is one. `caps` (optional): what
   * the host understands (HOST_CAPS)
   */
  init: { secret: 's', mode: 's', lang: 's?', appearance: 's?', delegated: 's?', caps: 's?' },
  secret: { secret: 's' },
  /**
   * the host is done with this page. `goodbye` (see Goodbye) says whether the verification ended or only this page
   * goes away; absent (an older host): 'cancel'
   */
  close: { goodbye: 's?' },
  /** heartbeat, every 2 s while connected to a page whose hello listed `ping`: a long silence means it is lost */
  ping: {},
  /** a page in `handoff` mode: a fresh link (the last one, unopened, dies) */
  'handoff-renew': {},
} as const;

/**
 * Which goodbye a `close` is. 'cancel': the person or the merchant ended the verification, so the page ends the
 * FaceSign session. 'leave': only this page goes away (the merchant page reloads or navigates, the element is
 * removed or restarted, a lost popup is closed): the session stays open on the server, to be continued.
 */
export type Goodbye = 'cancel' | 'leave';

type Tables = typeof HELLO & typeof CONNECT & typeof FRAME_TO_HOST & typeof HOST_TO_FRAME;
type FieldType<S> = S extends 's' | 's?' ? string : S extends 'n' | 'n?' ? number : boolean;
type Required<T> = { [K in keyof T as T[K] extends `${string}?` ? never : K]: FieldType<T[K]> };
type Optional<T> = { [K in keyof T as T[K] extends `${string}?` ? K : never]?: FieldType<T[K]> };
type Fields<T> = Required<T> & Optional<T>;

export type Message<K extends keyof Tables> = { ns: typeof NAMESPACE; v: typeof PROTOCOL_VERSION; type: K } & Fields<Tables[K]>;
/** What a message of type K carries besides its envelope. */
export type Payload<K extends keyof Tables> = Fields<Tables[K]>;

type FrameType = keyof typeof FRAME_TO_HOST;
type HostType = keyof typeof HOST_TO_FRAME;
/** Hosted page -> host, over the port. */
export type FrameMessage = { [K in FrameType]: Message<K> }[FrameType];
/** Host -> hosted page, over the port. */
export type HostMessage = { [K in HostType]: Message<K> }[HostType];
export type FrameMessageType = FrameType;
export type HostMessageType = HostType;

const TYPEOF = { s: 'string', n: 'number', b: 'boolean' } as const;
const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

type Table = Record<string, Record<string, string>>;

/**
 * Returns a fresh copy holding only the known fields when `data` is a well-formed message of a type in `table`,
 * else a short reason why not (for debug logs). Unknown extra keys are allowed (a newer peer may add optional
 * fields) but never copied; prototype-polluting keys, oversized strings and non-finite numbers are refused.
 */
function parse(data: unknown, table: Table): Record<string, unknown> | string {
  if (typeof data !== 'object' || data === null || Object.getPrototypeOf(data) !== Object.prototype) return 'not a plain object';
  const d = data as Record<string, unknown>;
  if (d.ns !== NAMESPACE) return 'foreign namespace';
  if (d.v !== PROTOCOL_VERSION) return 'unsupported protocol version';
  const type = d.type;
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) return 'unknown type';
  const keys = Object.keys(d);
  if (keys.length > MAX_KEYS || keys.some((k) => FORBIDDEN.includes(k))) return 'bad keys';
  const out: Record<string, unknown> = { ns: NAMESPACE, v: PROTOCOL_VERSION, type };
  for (const [key, spec] of Object.entries(table[type]!)) {
    const value = d[key];
    if (value === undefined && spec.endsWith('?')) continue;
    if (typeof value !== TYPEOF[spec[0] as keyof typeof TYPEOF]) return `bad field ${key}`;
    if (typeof value === 'string' && value.length > MAX_STRING) return `oversized field ${key}`;
    if (typeof value === 'number' && !Number.isFinite(value)) return `bad field ${key}`;
    out[key] = value;
  }
  return out;
}

/** Parse a window message that should be the hosted page's `hello` (or its `refused` in its place). */
export const parseHello = (data: unknown) => parse(data, HELLO) as Message<'hello'> | Message<'refused'> | string;
/** Parse a window message that should be the host's `connect` (with the port). */
export const parseConnect = (data: unknown) => parse(data, CONNECT) as Message<'connect'> | string;
/** Parse a port message from the hosted page. */
export const parseFrameMessage = (data: unknown) => parse(data, FRAME_TO_HOST) as FrameMessage | string;
/** Parse a port message from the host. */
export const parseHostMessage = (data: unknown) => parse(data, HOST_TO_FRAME) as HostMessage | string;

/** Build a message: the envelope plus its fields. */
export const message = <K extends keyof Tables>(type: K, payload: Payload<K>): Message<K> =>
  ({ ns: NAMESPACE, v: PROTOCOL_VERSION, type, ...payload }) as Message<K>;

/** The capabilities a hello can list (`caps`). */
export const CAPS = { ping: 'ping', appearance: 'appearance', delegation: 'delegation', handoff: 'handoff' } as const;
export const hasCap = (hello: { caps?: string }, cap: string) => (hello.caps ?? '').split(' ').includes(cap);
/**
 * The capabilities `init` lists (`caps`), what the host understands: `camera-codes`, the camera problems by name
 * (CAMERA_CODES in errors.ts); a page tells a host without it `camera_unavailable` instead. `handoff`: the
 * `handoff` message and `handoff-renew` (continue on the phone).
 */
export const HOST_CAPS = { cameraCodes: 'camera-codes', handoff: 'handoff' } as const;

/** URL query parameters the host adds to the verify URL (never a secret). */
export const PARAM = { channel: 'fs_channel', version: 'fs_v', origin: 'fs_origin', lang: 'lang' } as const;
