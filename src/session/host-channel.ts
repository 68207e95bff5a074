import { onPageEvent } from '../base/page-events.js';
import { message, parseFrameMessage, parseHello, type FrameMessage, type HostMessage, type Message } from '../protocol/messages.js';

export interface HelloCheck {
  /** whether `source` is the window the hello must come from: our own iframe's, or our popup */
  from: (source: MessageEventSource | null) => boolean;
  /** the exact origin of verify-url */
  origin: string;
  channel: string;
}

/**
 * Why a window message is not our hosted page's hello (or its refusal in the hello's place), or the message when
 * it is. Checked in a fixed order: source (and isTrusted), shape, origin, channel. Most foreign traffic on a page
 * stops at the first, cheapest check, and nothing from another window is ever parsed.
 */
export function rejectHello(
  e: Pick<MessageEvent, 'source' | 'origin' | 'data' | 'isTrusted'>,
  want: HelloCheck,
): string | Message<'hello'> | Message<'refused'> {
  if (!want.from(e.source)) return 'source';
  // a script on the page can construct a MessageEvent with any source and origin; only the browser's are trusted
  if (!e.isTrusted) return 'untrusted';
  const hello = parseHello(e.data);
  if (typeof hello === 'string') return `shape (${hello})`;
  if (e.origin !== want.origin) return 'origin';
  if (hello.channel !== want.channel) return 'channel';
  return hello;
}

export interface HostChannelOptions {
  channel: string;
  origin: string;
  /** whether a message from `source` comes from the window the hosted page must be in (the current surface's) */
  from: (source: MessageEventSource | null) => boolean;
  /** a port is set up (again after the hosted page reloaded): the session sends `init` over it */
  onConnect: (hello: Message<'hello'>) => void;
  /** the hosted page refused this page's origin as its host: no port, and nothing more will come */
  onRefused: () => void;
  onMessage: (m: FrameMessage) => void;
  log: (...args: unknown[]) => void;
  signal: AbortSignal;
}

export interface HostChannel {
  /** false while not connected, after `drop()`, and once torn down */
  send(m: HostMessage): boolean;
  /** closes the current port: nothing more goes to or comes from that document */
  drop(): void;
}

/**
 * The host end: waits for the hosted page's hello, then moves all traffic to a private MessagePort and calls
 * `onConnect`, on which the session sends `init` (with the secret). A second valid hello (the hosted page
 * reloaded, or a new document from the verify origin) replaces the port. Everything is torn down when `signal`
 * aborts.
 */
export function openHostChannel(o: HostChannelOptions): HostChannel {
  let port: MessagePort | undefined;
  // the page's one shared listener: a foreign message is one call on a page with many elements
  onPageEvent(
    'message',
    (event) => {
      const e = event as MessageEvent;
      const hello = rejectHello(e, o);
      if (typeof hello === 'string') return o.log('dropped window message:', hello);
      if (hello.type === 'refused') return o.onRefused();
      port?.close();
      const { port1, port2 } = new MessageChannel();
      port = port1;
      port1.onmessage = (ev) => {
        const m = parseFrameMessage(ev.data);
        if (typeof m === 'string') o.log('dropped port message:', m);
        else o.onMessage(m);
      };
      // exact target origin, never '*': if the frame navigated elsewhere, the port is not delivered
      (e.source as Window).postMessage(message('connect', { channel: o.channel }), o.origin, [port2]);
      o.log('connected');
      o.onConnect(hello);
    },
    o.signal,
  );
  const drop = () => {
    port?.close();
    port = undefined;
  };
  o.signal.addEventListener('abort', drop);
  return { send: (m) => !!port && (port.postMessage(m), true), drop };
}
