/**
 * The screens' status marks: small inline SVGs drawn with `currentColor`, so each takes the colour its screen gives
 * it (the accent, or the scheme's success and error colours). Decorative: the title says the same in words.
 */
import { svg, html, type TemplateResult } from 'lit';

export type Mark = 'error' | 'done' | 'info' | 'offline' | 'camera' | 'mic';

const PATHS: Record<Mark, TemplateResult> = {
  error: svg`<circle cx="20" cy="20" r="17"/><path d="M20 11v11M20 28v.5"/>`,
  done: svg`<circle cx="20" cy="20" r="17"/><path d="m12.5 20.5 5 5 10-11"/>`,
  info: svg`<circle cx="20" cy="20" r="17"/><path d="M20 18v10M20 12v.5"/>`,
  offline: svg`<path d="M6 15a21 21 0 0 1 28 0M11 21a13 13 0 0 1 18 0M16 27a5 5 0 0 1 8 0M20 32v.5M7 7l26 26"/>`,
  // struck through, as offline: a camera, a microphone
  camera: svg`<path d="M5 14h17a3 3 0 0 1 3 3v10a3 3 0 0 1-3 3H8a3 3 0 0 1-3-3zM25 20l9-5v13l-9-5M7 7l26 26"/>`,
  mic: svg`<path d="M15 11a5 5 0 0 1 10 0v8a5 5 0 0 1-10 0zM10 19a10 10 0 0 0 20 0M20 29v5M7 7l26 26"/>`,
};

export const mark = (m: Mark): TemplateResult =>
  html`<svg class="mark ${m}" part="mark" viewBox="0 0 40 40" width="40" height="40" aria-hidden="true" focusable="false">${PATHS[m]}</svg>`;
