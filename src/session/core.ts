/**
 * What the parts a session is composed of (its secret side, its offers, the first secret) see of it: its state
 * and the one way to change it. Apart from session.ts so that they depend on this, not on the class that holds
 * them.
 */
import type { FaceSignError } from '../protocol/errors.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import type { Notice } from '../base/outbox.js';
import type { Surface, SurfaceEvents } from '../surfaces/surface.js';
import type { SessionHost, SessionInputs, SessionParts } from './host.js';
import type { PageLink } from './page-link.js';
import type { Handoff, HandoffReason, Phase } from './state.js';
import type { Message } from '../protocol/messages.js';
import type { FaceSignFallbackReason } from '../base/events.js';

/** The secrets as the rest of the session reads them. */
export interface SecretsView {
  readonly current: ClientSecretInput;
  readonly keys: string[];
  readonly sessionId?: string;
}

export interface SessionCore {
  readonly host: SessionHost;
  readonly parts: SessionParts;
  readonly inputs?: SessionInputs;
  readonly secrets?: SecretsView;
  readonly link?: PageLink;
  /** continuing on the phone (handoff.ts) */
  readonly handoffs: {
    offer(reason: HandoffReason, keep?: Surface, ...notices: Notice[]): boolean;
    offerable(reason: HandoffReason): boolean;
    readonly phoneHolds: boolean;
    beside(reason: HandoffReason): void;
    start(): void;
    pageSays(m: Message<'handoff'>): void;
    stepped(step: { nodeId: string; nodeType: string }): boolean;
    failed(error: FaceSignError): boolean;
    kept(keep?: Surface): { handoff?: Handoff };
  };
  readonly phase: Phase;
  readonly ended: boolean;
  readonly surface: Surface | undefined;
  readonly surfaceEvents: SurfaceEvents;
  /** ends with the terminal event */
  readonly untilEnd: AbortSignal;
  /** the hosted page's URL (no secret), its origin, and the channel's id */
  readonly url: string;
  readonly origin: string;
  readonly id: string;
  /** the one transition (a new phase, the same progress), then the events it produced */
  go(phase: Phase, ...notices: Notice[]): void;
  fail(error: FaceSignError, keep?: Surface | 'event'): void;
  /** with the first secret */
  begin(secret: ClientSecretInput, sessionId?: string): void;
  show(surface: Surface): void;
  /** a new frame for the hosted page */
  showFrame(): void;
  /** the frame cannot verify here: another path is offered (offers.ts) */
  cannotFrame(reason: FaceSignFallbackReason): void;
}
