/**
 * One screen of the element's own: a status mark, a title, a body of at most two lines, a primary action and,
 * where there is one, a secondary one, and on errors a reference a person can read out to support. Texts carry
 * `dir="auto"`: an English fallback inside a right-to-left layout keeps its punctuation where it belongs.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { mark, type Mark } from './marks.js';

export interface CoverActions {
  retry(): void;
  continueIn(via: 'popup' | 'redirect' | 'phone'): void;
  /** the person stays on this device instead of continuing on the phone */
  stay(): void;
  /** a fresh link for the phone */
  renew(): void;
  /** the person may continue on their phone here: the choice's words (an offer's cover adds it) */
  readonly phone?: string;
  /** ends the running session (the secondary action beside an offer or an interruption) */
  cancel(): void;
  /** the end screen's Done: asks the host to close (a dialog closes; inline, `facesign-close`) */
  done(): void;
  /** after the end, where the element is not to start again (a verify() whose promise has settled): closes it */
  close?: () => void;
}

/** A button: its label and what it does. */
export type Action = readonly [label: string, run: (e: Event) => unknown];

export interface Screen {
  mark: Mark | TemplateResult;
  title: string;
  body?: string;
  primary?: Action;
  /** a button, or a link styled as one (a navigation the browser must follow itself) */
  secondary?: Action | TemplateResult;
  /** the error's code and, when known, the session's id */
  reference?: string;
  /** what sits between the body and the actions (the in-app browser's link) */
  extra?: TemplateResult;
  /** errors interrupt (role=alert); an end or an offer is a status */
  urgent?: boolean;
}

// A button's label is its textContent property, not a text part: a copy button says "Copied" by setting it, which
// would eject a text part's markers (Lit's next render of the screen, in another language, then throws)
export const screen = (s: Screen, referenceLabel = '') =>
  html`<div part="error" class="cover" role=${s.urgent ? 'alert' : 'status'}>
    <div class="panel">
      ${typeof s.mark === 'string' ? mark(s.mark) : s.mark}
      <h2 part="title" class="title" dir="auto">${s.title}</h2>
      ${s.body ? html`<p part="body" class="body" dir="auto">${s.body}</p>` : nothing} ${s.extra ?? nothing}
      ${
        s.primary || s.secondary
          ? html`<div class="actions">
            ${s.primary ? html`<button part="retry-button" class="retry" dir="auto" @click=${s.primary[1]} .textContent=${s.primary[0]}></button>` : nothing}
            ${
              Array.isArray(s.secondary)
                ? html`<button part="secondary-button" class="secondary" dir="auto" @click=${s.secondary[1]} .textContent=${s.secondary[0]}></button>`
                : (s.secondary ?? nothing)
            }
          </div>`
          : nothing
      }
      ${
        s.reference
          ? html`<p part="reference" class="ref"><span dir="auto">${referenceLabel}</span> <bdi dir="ltr">${s.reference}</bdi></p>`
          : nothing
      }
    </div>
  </div>`;

/** The loading screen: a spinner and one line. */
export const loadingScreen = (text: string) =>
  html`<div part="loading" class="cover" role="status">
    <div class="panel"><span class="spinner" aria-hidden="true"></span><p class="title" dir="auto">${text}</p></div>
  </div>`;
