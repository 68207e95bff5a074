/**
 * The popup surface: the hosted page in a window of its own (`window.open` from a click), connected over
 * `window.opener` with the same handshake. Named per session, so two elements' popups never replace each other.
 * The user closing it is reported; so is a popup whose handle closed at once, before its page could say hello:
 * a Cross-Origin-Opener-Policy of same-origin on this page severs it from us while the window lives.
 */
import type { OnTrouble, Surface, SurfaceEvents } from './surface.js';
import { end } from '../base/lifetime.js';

/** ms after opening within which a closed handle means severed, not a user's close */
const SEVERED_WITHIN = 1500;
const POLL = 250;

/**
 * Closes `win` for good. Chromium loses a close() that lands while the popup's cross-origin navigation commits
 * (the window moves to another process: `closed` reads true, then false again; "when out of process,
 * window.close() does not work": https://github.com/web-platform-tests/wpt/pull/21161), so it is closed again
 * until it has read closed for three checks in a row (300 ms), for 3 s at most.
 */
function closeForGood(win: Window): void {
  win.close();
  let checks = 0;
  let shut = 0;
  const again = setInterval(() => {
    if (win.closed) shut++;
    else {
      win.close();
      shut = 0;
    }
    if (shut === 3 || ++checks === 30) clearInterval(again);
  }, 100);
}

export class PopupSurface implements Surface {
  // a popup that stopped answering, or never connected, is replaced by a new one (from a click)
  readonly whenLost: OnTrouble = { offer: 'hosted_page_lost' };
  readonly whenTimedOut: OnTrouble = { offer: 'hosted_page_lost' };
  // a window of its own has no page policy above it: a camera blocked there is the user's or the browser's
  readonly whenCameraBlocked = undefined;
  readonly shownIn = 'window';
  readonly visible = false;
  readonly holdsBox = false;
  readonly #win: Window;
  /** ends when the popup is closed (by us, or found closed) */
  #untilClosed = new AbortController();

  /** Opens the popup; undefined when the browser blocked it. */
  static open(url: string, name: string, events: SurfaceEvents): PopupSurface | undefined {
    const win = open(url, name, 'popup,width=480,height=760');
    return win ? new PopupSurface(win, events) : undefined;
  }

  private constructor(win: Window, events: SurfaceEvents) {
    this.#win = win;
    const opened = performance.now();
    const poll = setInterval(() => {
      if (!win.closed) return;
      this.close();
      events.closed(performance.now() - opened < SEVERED_WITHIN);
    }, POLL);
    this.#untilClosed.signal.addEventListener('abort', () => clearInterval(poll));
  }

  initMode(): string {
    return 'popup';
  }

  delegated(): string {
    return '';
  }

  sentBy(source: MessageEventSource | null): boolean {
    return source === this.#win;
  }

  place(): void {
    // not in the element: the box shows a cover saying where the verification is
  }

  retitle(): void {
    // the hosted page titles its own window
  }

  focus(): void {
    this.#win.focus();
  }

  /** The verification ended: its work is over, and the user is brought back to this page. */
  ended(): void {
    this.close();
  }

  release(gone: () => void): void {
    this.close();
    gone();
  }

  close(): void {
    if (this.#untilClosed.signal.aborted) return;
    end(this.#untilClosed);
    if (this.#win.closed) return;
    closeForGood(this.#win);
    // the user is back on this page
    focus();
  }
}

/** Opens the hosted page in a popup named `name`; undefined when the browser blocked it. */
export const openPopup = (url: string, name: string, events: SurfaceEvents): Surface | undefined => PopupSurface.open(url, name, events);
