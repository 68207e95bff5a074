/** What continuing on the phone needs once it is offered: its screens, with the QR encoder. */
export { renderHandoff } from '../handoff/covers.js';
export { handoffStyles } from '../handoff/styles.js';
export { handoffTexts } from '../handoff/texts.js';
export { HandoffSurface } from '../../surfaces/handoff-relay.js';
