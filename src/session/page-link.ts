/**
 * The session's link to the hosted page on whichever surface shows it now: the channel (one per session; a
 * hello must come from the current surface's window), and per surface its watch (silence, a replaced document)
 * and the load timer (the hello within loadTimeout). Attaching another surface drops the port: whatever is in
 * the old window gets nothing more without a new handshake.
 */
import { CAPS, hasCap, message, type FrameMessage, type HostMessage, type Message } from '../protocol/messages.js';
import type { Surface } from '../surfaces/surface.js';
import { end } from '../base/lifetime.js';
import { openHostChannel, type HostChannel, type HostChannelOptions } from './host-channel.js';
import { timing, watchPage, type Watch } from './watch.js';

/** What the link reports to its session. */
export interface PageLinkEvents {
  /** a handshake completed on the current surface: the session sends `init` */
  hello(hello: Message<'hello'>): void;
  message(m: FrameMessage): void;
  /** the hosted page refused this page's origin as its host (in place of its hello) */
  refused(): void;
  /** the first document loaded and said no hello within timing.helloAfterLoad */
  blocked(): void;
  /** the page went silent, or its document was replaced */
  lost(why: string): void;
  /** no hello within loadTimeout */
  timedOut(ms: number): void;
}

export interface PageLinkOptions {
  channel: string;
  origin: string;
  loadTimeout: number;
  events: PageLinkEvents;
  log: (...a: unknown[]) => void;
  /** the channel's lifetime: until the session is disposed */
  signal: AbortSignal;
  /** the watch's and the load timer's: until the session ends */
  watchSignal: AbortSignal;
  /** the host channel (a fake one in unit tests) */
  openChannel?: (o: HostChannelOptions) => HostChannel;
}

export class PageLink {
  surface?: Surface;
  readonly #o: PageLinkOptions;
  readonly #channel: HostChannel;
  #watch?: Watch;
  /** ends when another surface is attached (or the session ends): the watch and the load timer */
  #untilDetached = new AbortController();
  #hellos = 0;

  constructor(o: PageLinkOptions) {
    this.#o = o;
    this.#channel = (o.openChannel ?? openHostChannel)({
      channel: o.channel,
      origin: o.origin,
      from: (source) => !!this.surface?.sentBy(source),
      onConnect: (hello) => {
        this.#hellos++;
        this.#caps = hello.caps ?? '';
        clearTimeout(this.#loadTimer);
        this.#watch?.connected(hasCap(hello, CAPS.ping));
        o.events.hello(hello);
      },
      onRefused: o.events.refused,
      onMessage: (m) => (this.#watch?.heard(), o.events.message(m)),
      log: o.log,
      signal: o.signal,
    });
    o.watchSignal.addEventListener('abort', () => end(this.#untilDetached));
  }

  #loadTimer?: ReturnType<typeof setTimeout>;

  #caps = '';
  /** what the current page's hello said it takes part in (`caps`) */
  get caps(): string {
    return this.#caps;
  }

  /** Handshakes so far: a verdict on a page that did not connect is moot once this changed. */
  get hellos(): number {
    return this.#hellos;
  }

  /** false while not connected (no hello yet on this surface), and once the channel is gone */
  send(m: HostMessage): boolean {
    return this.#channel.send(m);
  }

  /** The hosted page is shown on `surface` now (or nowhere): a new watch and load timer, no port until its hello. */
  attach(surface: Surface | undefined): void {
    if (surface === this.surface) return;
    end(this.#untilDetached);
    this.#channel.drop();
    this.surface = surface;
    this.#watch = undefined;
    if (!surface || this.#o.watchSignal.aborted) return;
    const signal = (this.#untilDetached = new AbortController()).signal;
    const { events, origin, loadTimeout, log } = this.#o;
    this.#watch = watchPage({
      ping: () => this.send(message('ping', {})),
      blocked: () => events.blocked(),
      lost: (why) => {
        // the old document's port is closed: whatever is there now gets nothing without a new handshake
        this.#channel.drop();
        events.lost(why);
      },
      log,
      signal,
    });
    this.#loadTimer = setTimeout(() => events.timedOut(loadTimeout), loadTimeout);
    signal.addEventListener('abort', () => clearTimeout(this.#loadTimer));
    log('loading', origin, `(hello within ${loadTimeout} ms, ${timing.helloAfterLoad} ms after its load)`);
  }

  /** The page that loaded and said no hello was judged refused: the load timer's verdict would only replace that one. */
  judged(): void {
    clearTimeout(this.#loadTimer);
  }

  /** The surface's document finished loading. */
  loaded(): void {
    this.#watch?.loaded();
  }
}
