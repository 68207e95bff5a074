/**
 * The conversation with the hosted page, whichever surface shows it: the channel (one per session; its hello
 * must come from the current surface's window), the messages, the status, the one terminal event, and the end:
 * `close` to the page, then disposal. The base of Session, which chooses and swaps the surfaces.
 */
import { FaceSignError, isErrorCode, type FaceSignErrorCode } from '../protocol/errors.js';
import { CAPS, hasCap, message, type FrameMessage } from '../protocol/messages.js';
import { emit, type FaceSignCancelReason, type FaceSignEventDetail, type FaceSignEventName } from '../base/events.js';
import { openHostChannel, type HostChannel } from './host-channel.js';
import { SecretExchange } from './secret-exchange.js';
import type { Watch } from './watch.js';
import type { Surface } from '../surfaces/surface.js';
import { FrameSurface } from '../surfaces/frame.js';
import type { FaceSignStatus } from './session.js';
import { end } from '../base/lifetime.js';

/** codes after which retrying with the same secret cannot work: the merchant must create a new session */
const UNUSABLE: readonly FaceSignErrorCode[] = ['invalid_client_secret', 'session_not_found', 'session_finished', 'refresh_forbidden'];

export abstract class Conversation extends SecretExchange {
  status: FaceSignStatus = 'loading';
  /** the terminal event has been dispatched */
  ended = false;
  /** ended on an error that no retry with this secret can mend: the cover says to start again, with no button */
  unusable = false;
  /** a terminal event is being dispatched: a close from one of its listeners waits until it is over */
  terminating = false;
  /** where the hosted page is shown now */
  surface?: Surface;
  /** the current surface's watch */
  protected watch?: Watch;
  protected channel?: HostChannel;
  /** the current surface's page has said hello */
  protected connected = false;
  /** ends at disposal: the channel */
  readonly #wire = new AbortController();
  #readied = false;

  /** The hosted page became ready (clear what waited for it). */
  protected abstract readied(): void;
  /** The hosted page found the camera blocked in its own document. */
  protected abstract cameraBlocked(message: string): void;

  /** The channel for `id` with the page at `origin`: `init` on every handshake, with the secret it has now. */
  protected openChannel(id: string, origin: string, mode: string, lang: string): void {
    const channel = (this.channel = openHostChannel({
      channel: id,
      origin,
      target: () => this.surface?.window(),
      onConnect: (hello) => {
        this.connected = true;
        this.watch?.connected(hasCap(hello, CAPS.ping));
        const m = this.surface?.kind === 'popup' ? 'popup' : mode;
        channel.send(message('init', { secret: this.secrets!.current.secret, mode: m, ...(lang && { lang }) }));
      },
      onMessage: (m) => this.#onMessage(m),
      log: (...a) => this.log(...a),
      signal: this.#wire.signal,
    }));
    this.send = channel.send;
  }

  get active(): boolean {
    return !this.ended;
  }

  #onMessage(m: FrameMessage): void {
    const host = this.host;
    host.log('received', m.type);
    this.watch?.heard();
    if (this.lingering) {
      // a closed session's page may still talk: its `canceled` says it handled `close`, the rest is stale
      if (m.type === 'canceled') this.dispose();
      return;
    }
    switch (m.type) {
      case 'pong':
        return;
      case 'resize':
        return host.resizeFrame(m.height);
      case 'close-request':
        return host.requestClose('hosted_page');
    }
    // after the terminal event only resize and close-request matter
    if (this.ended) return host.log('ignored after end:', m.type);
    switch (m.type) {
      case 'ready':
        this.readied();
        this.readyWith(m.sessionId);
        if (this.status === 'loading' || this.status === 'error') this.set('requiresInput');
        // once per session, whatever reconnects follow (docs/protocol.md)
        if (!this.#readied) emit(host, 'facesign-ready', {});
        this.#readied = true;
        return;
      case 'started':
        if (this.status === 'processing') return;
        this.set('processing');
        return void emit(host, 'facesign-start', {});
      case 'step':
        return void emit(host, 'facesign-step', { nodeId: m.nodeId, nodeType: m.nodeType });
      case 'completed':
        return this.#terminal('complete', 'facesign-complete', { sessionId: m.sessionId });
      case 'canceled':
        return this.cancel(m.reason);
      case 'error':
        if (m.code === 'camera_blocked' && this.surface?.kind === 'frame') return this.cameraBlocked(m.message);
        return this.fail(new FaceSignError(isErrorCode(m.code) ? m.code : 'hosted_page_error', m.message, m.recoverable), false);
      default:
        return this.secretMessage(m);
    }
  }

  /** The one terminal event: timers and refreshes stop first; a popup's work is over, so it closes. */
  #terminal<K extends FaceSignEventName>(status: FaceSignStatus, name: K, detail: FaceSignEventDetail<K>, dispose = false): void {
    this.ended = true;
    end(this.life);
    if (this.surface?.kind === 'popup') {
      this.surface.close();
      this.surface = undefined;
    }
    this.set(status);
    if (dispose) this.dispose();
    this.terminating = true;
    try {
      emit(this.host, name, detail);
    } finally {
      this.terminating = false;
    }
  }

  /** Reports an error. Non-recoverable ones end the session (terminal); `cover` shows the error cover. */
  fail(error: FaceSignError, cover = true): void {
    if (this.ended) return;
    this.log('error', error.code);
    if (!error.recoverable) {
      this.unusable = UNUSABLE.includes(error.code);
      return this.#terminal('error', 'facesign-error', error.toJSON(), true);
    }
    if (cover) this.set('error');
    emit(this.host, 'facesign-error', error.toJSON());
  }

  /** Ends the session with its one terminal `facesign-cancel`. */
  cancel(reason: FaceSignCancelReason): void {
    if (this.ended) return;
    this.log('canceled', reason);
    this.#terminal('canceled', 'facesign-cancel', { reason });
  }

  /** The host ends a running session: the hosted page is told `close`, then the one terminal `facesign-cancel`. */
  close(reason: FaceSignCancelReason): void {
    if (this.ended) return;
    this.send(message('close', {}));
    this.cancel(reason);
  }

  /** The iframe kept hidden until the hosted page handled `close`. */
  get lingering(): boolean {
    return this.surface instanceof FrameSurface && this.surface.lingering && !this.disposed;
  }

  /** Drops the channel and the surface; `linger` keeps a frame (hidden) up to a second for its page to handle `close`. */
  dispose(linger = false): void {
    if (this.disposed) return;
    const s = this.surface;
    if (linger && s instanceof FrameSurface && s.iframe.isConnected) return (s.linger(() => this.dispose()), this.host.requestUpdate());
    end(this.life);
    end(this.#wire);
    s?.close();
    // an ended session stays the element's last one (for its status) until the next: without its iframe, which
    // a modal opened again and again would otherwise keep alive, one per element (issue 21)
    if (s instanceof FrameSurface) this.surface = undefined;
    this.host.requestUpdate();
  }

  get disposed(): boolean {
    return this.#wire.signal.aborted;
  }
}
