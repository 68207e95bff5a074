/**
 * The modal controller: the native `<dialog>` in the top layer, shown while the element's `open` is true; focus
 * moved in by `showModal()` and returned on close; page scroll locked while open; Escape, the close button and
 * the backdrop turned into close requests. What it sets up is undone when the dialog closes or the element
 * leaves the DOM (a modal re-inserted later starts closed).
 */
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { FaceSignCloseSource } from '../base/events.js';
import { lockScroll } from './scroll-lock.js';

export interface ModalHost extends ReactiveControllerHost, HTMLElement {
  open: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** asks to close (cancelable facesign-close-request) */
  requestClose(source: FaceSignCloseSource): void;
  /** the browser closed the dialog without asking */
  closedByBrowser(): void;
}

/** The focused element, looking into open shadow roots. */
function deepActive(): HTMLElement | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a as HTMLElement | null;
}

export class ModalController implements ReactiveController {
  readonly #host: ModalHost;
  #unlock?: () => void;
  #returnFocus?: HTMLElement | null;

  constructor(host: ModalHost) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdated(): void {
    const host = this.#host;
    const dialog = host.renderRoot.querySelector('dialog');
    if (!dialog) return this.#release();
    const show = host.open && host.isConnected;
    if (show && !dialog.open) {
      this.#returnFocus = deepActive();
      dialog.showModal();
      this.#unlock = lockScroll();
    } else if (!show && dialog.open) {
      dialog.close();
      this.#release();
    }
  }

  hostDisconnected(): void {
    this.#release();
    if (this.#host.open) this.#host.open = false;
  }

  /** The dialog around `content`, in the box's colour scheme and direction (the × sits at the inline end). */
  render(content: unknown, text: { dialog: string; close: string }, look: { scheme: string; dir: 'ltr' | 'rtl' }): TemplateResult {
    return html`<dialog part="dialog" data-scheme=${look.scheme} dir=${look.dir} aria-label=${text.dialog} @cancel=${this.#onCancel} @close=${this.#onClose} @click=${this.#onClick}>
      <button part="close-button" class="close" aria-label=${text.close} @click=${() => this.#host.requestClose('close_button')}>×</button>${content}
    </dialog>`;
  }

  /** The dialog closed (by us, or by the browser without a cancel event): release scroll and focus. */
  #release(): void {
    if (!this.#unlock) return;
    this.#unlock();
    this.#unlock = undefined;
    this.#returnFocus?.focus?.();
    this.#returnFocus = undefined;
  }

  #onClose = (e: Event): void => {
    // the close event is queued: when show() reopened the dialog since, this one is stale
    if ((e.target as HTMLDialogElement).open) return;
    this.#release();
    // Chrome may close a dialog on a repeated Esc without a cancel event
    // (https://github.com/whatwg/html/issues/10046): still a user close.
    if (this.#host.open) this.#host.closedByBrowser();
  };

  #onCancel = (e: Event): void => {
    e.preventDefault();
    this.#host.requestClose('escape');
  };

  #onClick = (e: MouseEvent): void => {
    // clicks on the backdrop target the dialog itself, outside its box
    const d = e.target as HTMLDialogElement;
    if (d.localName !== 'dialog') return;
    const r = d.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) this.#host.requestClose('backdrop');
  };
}
