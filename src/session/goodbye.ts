/**
 * Which goodbye the hosted page is told when the host is done with it. Only the person or the merchant ends a
 * verification (a cancel); a page or element merely going away (a reload, a navigation, a removal, a restart of
 * the same verification, a popup closed) leaves the FaceSign session open on the server, so that it can be
 * continued: what FaceSign's page does with each is in docs/protocol.md.
 */
import type { Goodbye } from '../protocol/messages.js';
import type { FaceSignCancelReason } from '../base/events.js';
import type { Phase } from './state.js';

const LEAVING: readonly FaceSignCancelReason[] = ['removed', 'page_hidden', 'replaced', 'popup_closed'];

/** The goodbye for a session the host cancels with `reason`. */
export const goodbyeFor = (reason: FaceSignCancelReason): Goodbye => (LEAVING.includes(reason) ? 'leave' : 'cancel');

/** The goodbye for a page that says hello to a session in `phase`: ended the way it ended, or not ended at all. */
export const goodbyeIn = (phase: Phase): Goodbye =>
  phase.name === 'ended' && phase.outcome.status === 'canceled' ? goodbyeFor(phase.outcome.reason) : 'leave';
