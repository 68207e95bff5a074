/** One cover of the element's own: a paragraph and, where there is one, the action that can help. */
import { html, nothing } from 'lit';

export interface CoverActions {
  retry(): void;
  continueIn(via: 'popup' | 'redirect'): void;
  /** after the end, where the element is not to start again (a verify() whose promise has settled): closes it */
  close?: () => void;
}

export const cover = (text: string, label?: string, action?: () => unknown) =>
  html`<div part="error" class="cover" role="alert">
    <p>${text}</p>
    ${label ? html`<button part="retry-button" class="retry" @click=${action}>${label}</button>` : nothing}
  </div>`;
