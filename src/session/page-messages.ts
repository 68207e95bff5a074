/**
 * What the hosted page says over the channel, applied to its session: the handshake's `init` (or, once ended,
 * only `close`), the flow's progress (ready and start once per session), its steps, its end, its errors, and
 * the secret messages (secret-side.ts).
 */
import { FaceSignError, isErrorCode } from '../protocol/errors.js';
import { CAPS, HOST_CAPS, hasCap, message, type FrameMessage, type Message } from '../protocol/messages.js';
import type { FaceSignCancelReason } from '../base/events.js';
import type { Notice } from '../base/outbox.js';
import type { OnTrouble, Surface } from '../surfaces/surface.js';
import type { SessionCore } from './core.js';
import type { SecretSide } from './secret-side.js';
import { goodbyeIn } from './goodbye.js';
import type { Outcome, Phase, Progress, SessionState } from './state.js';

/** The camera problems a page names after which the phone is offered. */
const PHONE_WHEN = ['camera_denied', 'camera_not_found', 'camera_in_use'] as const;

/** The phone is offered for `reason` (a setting made invalid meanwhile: the offer reports it). */
function offerable(s: PageMessageSink, reason: (typeof PHONE_WHEN)[number]): boolean {
  try {
    return s.handoffs.offerable(reason);
  } catch {
    return true;
  }
}

/** What the page's messages need of the session. */
export interface PageMessageSink extends SessionCore {
  readonly state: SessionState;
  readonly secrets?: SecretSide;
  /** ended, its frame kept hidden for its page to handle `close` */
  readonly disposing: boolean;
  /** the one transition, with a new progress */
  to(phase: Phase, progress: Progress, ...notices: Notice[]): void;
  finish(outcome: Outcome): void;
  cancel(reason: FaceSignCancelReason): void;
  /** something went wrong on the surface: its policy says what follows */
  trouble(what: OnTrouble, text: string, keep?: Surface, code?: 'hosted_page_lost' | 'load_timeout'): void;
  dispose(): void;
}

/**
 * A handshake on the current surface: `init` with the secret it has now. Once ended (a hidden frame of a
 * closed session that says hello late, a reload after the end), never a secret: only `close`.
 */
export function onHello(s: PageMessageSink, hello: Message<'hello'>): void {
  const link = s.link!;
  if (s.ended) return void link.send(message('close', { goodbye: goodbyeIn(s.phase) }));
  // a surface that needs the page to take part (the phone's relay) cannot use a page that does not
  const needs = s.surface!.requires;
  if (needs && !hasCap(hello, needs))
    return s.fail(
      new FaceSignError(
        'handoff_unavailable',
        `continuing on the phone cannot start: the hosted page does not take part in it (its hello lists no "${needs}")`,
        true,
      ),
    );
  const { mode, lang, appearance } = s.inputs!;
  // an older page would ignore the field; one that did not ask for it is not sent it
  const brand = appearance && hasCap(hello, CAPS.appearance) ? { appearance } : {};
  // likewise what was delegated to it on request and works here, asked of the surface now it is placed
  const delegated = hasCap(hello, CAPS.delegation) && s.surface!.delegated();
  const granted = delegated ? { delegated } : {};
  // what this host understands: a page names camera problems only to a host that knows their names
  link.send(
    message('init', {
      secret: s.secrets!.current.secret,
      mode: s.surface!.initMode(mode),
      ...(lang && { lang }),
      ...brand,
      ...granted,
      caps: s.parts.handoff ? `${HOST_CAPS.cameraCodes} ${HOST_CAPS.handoff}` : HOST_CAPS.cameraCodes,
    }),
  );
  // the new secret a refresh was handing over went in this init
  s.secrets!.handedOver();
}

/** What the hosted page says, applied to the session. */
export function onPageMessage(s: PageMessageSink, m: FrameMessage): void {
  const host = s.host;
  host.log('received', m.type);
  if (s.disposing) {
    // a closed session's page may still talk: its `canceled` says it handled `close`, the rest is stale
    if (m.type === 'canceled') s.dispose();
    return;
  }
  switch (m.type) {
    case 'pong':
      return;
    case 'resize':
      // a page seen in no box here (the phone's relay) has no height to give it
      return void (s.surface?.shownIn !== 'phone' && host.resizeFrame(m.height));
    case 'close-request':
      return host.requestClose('hosted_page');
  }
  // after the terminal event only resize and close-request matter
  if (s.ended) return host.log('ignored after end:', m.type);
  const { phase, progress } = s.state;
  switch (m.type) {
    case 'ready': {
      s.secrets!.readyWith(m.sessionId);
      // a cover that the page's coming made moot: a late page after load_timeout, a blocked frame that connected
      const kept = (phase.name === 'interrupted' || phase.name === 'offering') && phase.surface === s.link!.surface ? phase.surface : undefined;
      // (a relay's page goes on with the handoff it was in: the box shows the phone's screens, never a blank page)
      const handoff = phase.name === 'interrupted' ? phase.handoff : undefined;
      const next: Phase = !kept ? phase : handoff ? { name: 'handoff', handoff, surface: kept } : { name: 'showing', surface: kept };
      // once per session, whatever reconnects follow (docs/protocol.md)
      // the session this element ran before its page came back, continued
      const resumed = !!m.sessionId && m.sessionId === s.inputs?.resumeFrom;
      if (progress === 'loading') return s.to(next, 'requiresInput', ['facesign-ready', resumed ? { resumed } : {}]);
      return s.to(next, progress);
    }
    case 'started':
      // once per session: a page that reconnects and starts again is the same verification
      if (progress === 'processing') return;
      return s.to(phase, 'processing', ['facesign-start', {}]);
    case 'step': {
      const step = { nodeId: m.nodeId, nodeType: m.nodeType };
      // on the phone, a step also moves the computer's screen on
      if (!s.handoffs.stepped(step)) host.events.post(['facesign-step', step]);
      return;
    }
    case 'handoff':
      return s.handoffs.pageSays(m);
    case 'completed':
      return s.finish({ status: 'complete', sessionId: m.sessionId });
    case 'canceled':
      return s.cancel(m.reason);
    case 'error': {
      const blocked = m.code === 'camera_blocked' ? s.surface?.whenCameraBlocked : undefined;
      if (blocked) return s.trouble(blocked, m.message);
      // no camera here, and a page that can relay: the person may continue on their phone, so even an error that
      // ends the flow here does not end the verification (a page still going on stays, if the person stays)
      const phone = PHONE_WHEN.find((c) => c === m.code);
      if (phone && hasCap({ caps: s.link!.caps }, CAPS.handoff) && offerable(s, phone)) {
        // reported with the offer committed: its listener sees the phone offered, and may take it
        const error = new FaceSignError(phone, m.message, true);
        s.host.log('error', phone);
        if (!s.handoffs.offer(phone, m.recoverable ? s.surface : undefined, ['facesign-error', error.toJSON()])) s.fail(error, 'event');
        return;
      }
      const error = new FaceSignError(isErrorCode(m.code) ? m.code : 'hosted_page_error', m.message, m.recoverable);
      if (!s.handoffs.failed(error)) s.fail(error, 'event');
      return;
    }
    default:
      return s.secrets!.pageSaid(m);
  }
}
