/**
 * Continuing on the person's phone: where it is offered (the `crossDevice` setting and the reason), the person's
 * choice (the phone, or this device), and what the hosted page on this computer says of the phone. The phone's
 * steps and its end come as the page's usual `step`, `started`, `completed` and `canceled`, so the merchant's page
 * hears the same events, and one terminal event, whichever device finished. Never sends the person away by itself.
 */
import { FaceSignError } from '../protocol/errors.js';
import { message, type Message } from '../protocol/messages.js';
import type { SessionCore } from './core.js';
import type { Notice } from '../base/outbox.js';
import type { Handoff, HandoffReason, Phase, Resumable } from './state.js';
import type { Surface } from '../surfaces/surface.js';

const unavailable = (why: string) => new FaceSignError('handoff_unavailable', `continuing on the phone cannot start: ${why}`, true);

/** What the page says of the phone, as the stage it puts the handoff in (undefined: nothing usable). */
function stageOf(m: Message<'handoff'>, steps: number): Handoff | undefined {
  switch (m.state) {
    case 'waiting':
      return m.url && m.expiresAt ? { stage: 'waiting', url: m.url, expiresAt: m.expiresAt } : undefined;
    case 'opened':
      return { stage: 'on-phone', steps };
    case 'left':
      return { stage: 'left', steps };
    case 'expired':
      return { stage: 'expired' };
  }
  return undefined;
}

type InHandoff = Extract<Phase, { name: 'handoff' }>;

export class Handoffs {
  readonly #s: SessionCore;

  constructor(session: SessionCore) {
    this.#s = session;
  }

  /**
   * The phase the handoff is in: under a stall (a new secret could not be had), the one the stall comes back to. The
   * phone goes on meanwhile, so what it says moves that one on (`#go`), and the stall's cover stays until its refresh.
   */
  get #phase(): Phase {
    const p = this.#s.phase;
    return p.name === 'stalled' ? p.resume : p;
  }

  /** Moves the handoff to `next`: under the stall if one covers the session (its refresh comes back to `next`). */
  #go(next: Resumable, ...notices: Notice[]): void {
    const p = this.#s.phase;
    this.#s.go(p.name === 'stalled' ? { ...p, resume: next } : next, ...notices);
  }

  /** The handoff phase, past the offer (the relay runs), or undefined. */
  get relaying(): InHandoff | undefined {
    const p = this.#phase;
    return p.name === 'handoff' && p.handoff.stage !== 'offered' ? p : undefined;
  }

  /** The phone holds the session (it opened the link, and may come back if its page went away). */
  get phoneHolds(): boolean {
    const stage = this.relaying?.handoff.stage;
    return stage === 'on-phone' || stage === 'left';
  }

  /**
   * Offers the phone for `reason` where the setting allows it (`keep`: the frame that goes on here if the person
   * stays; `notices`: the events of what made it offered, dispatched once the offer is committed); false when it
   * is not offered.
   */
  offer(reason: HandoffReason, keep?: Surface, ...notices: Notice[]): boolean {
    const s = this.#s;
    let allowed;
    try {
      allowed = this.offerable(reason);
    } catch (e) {
      s.fail(e as FaceSignError);
      return true;
    }
    if (!allowed) return false;
    this.#go({ name: 'handoff', handoff: { stage: 'offered', reason }, surface: keep }, ...notices);
    this.#loadUi();
    return true;
  }

  /** Whether the phone is offered for `reason` here (throws the setting's invalid_option). */
  offerable(reason: HandoffReason): boolean {
    const s = this.#s;
    const parts = s.parts.handoff;
    if (s.ended || !parts || this.relaying) return false;
    const setting = s.inputs!.crossDevice();
    if (setting === 'off') return false;
    // a computer is offered the phone only where the merchant asks for it
    return reason !== 'computer' || (setting === 'force' && parts.onComputer());
  }

  /** Where another path is offered for `reason` and the phone may be chosen beside it: its UI, loaded now. */
  beside(reason: HandoffReason): void {
    let allowed = false;
    try {
      allowed = this.offerable(reason);
    } catch {
      // an invalid setting: reported when the phone is chosen
    }
    if (allowed)
      this.#s.parts.handoff!.ui().then(
        () => this.#s.host.update(),
        () => {},
      );
  }

  /** The person chose the phone (or the merchant called `continueIn('phone')`): the relay loads and mints the link. */
  start(): void {
    const s = this.#s;
    const parts = s.parts.handoff;
    if (!parts) return s.fail(unavailable('this build has no handoff'));
    if (this.relaying) return;
    const surface = parts.surface(s.url, s.origin, s.host.frameTitle(), s.surfaceEvents);
    // its module was not asked for yet (continueIn('phone') with no offer, a reload that finds the phone): now, and
    // only while nothing else happened meanwhile (a popup the person opened, the end): the surface that runs stays
    if (!surface) {
      const asked = this.#phase;
      return void parts.ui().then(
        () => this.#phase === asked && this.start(),
        (e: unknown) => this.#phase === asked && s.fail(unavailable(`its module did not load (${(e as Error)?.message ?? e}); try again`), s.surface),
      );
    }
    this.#go({ name: 'handoff', handoff: { stage: 'minting' }, surface });
    if (s.surface === surface) s.host.place(surface);
    this.#loadUi();
  }

  /** The person stays on this device: the frame that was going on, or one now (an obstacle's own offer first). */
  stay(): void {
    const s = this.#s;
    const p = s.phase;
    if (p.name !== 'handoff' || p.handoff.stage !== 'offered') return;
    if (p.surface) return s.go({ name: 'showing', surface: p.surface });
    const obstacle = s.parts.obstacle(s.inputs!.webview);
    if (obstacle) return s.cannotFrame(obstacle);
    s.showFrame();
  }

  /** "Show a new code": a fresh link (the last one, unopened, dies). */
  renew(): void {
    const s = this.#s;
    const p = this.relaying;
    if (!p || p.handoff.stage === 'on-phone' || p.handoff.stage === 'minting') return;
    if (s.link?.send(message('handoff-renew', {}))) this.#go({ ...p, handoff: { stage: 'minting' } });
  }

  /** Where the phone is, said by the page: the relay's, or any page of a session a phone already holds. */
  pageSays(m: Message<'handoff'>): void {
    const p = this.relaying;
    // this computer came back (a reload) to a session its phone holds: the relay takes over, and says where it is
    if (!p) return void ((m.state === 'opened' || m.state === 'left') && this.start());
    const next = stageOf(m, 'steps' in p.handoff ? p.handoff.steps : 0);
    if (next) this.#go({ ...p, handoff: next });
  }

  /** The phone reported a step: counted, with its `facesign-step`. */
  stepped(step: { nodeId: string; nodeType: string }): boolean {
    const p = this.relaying;
    if (!p) return false;
    const steps = 'steps' in p.handoff ? p.handoff.steps + 1 : 1;
    this.#go({ ...p, handoff: { stage: 'on-phone', steps } }, ['facesign-step', step]);
    return true;
  }

  /**
   * The relay's page reported an error while the link is being made (it could not be): the box would say "Preparing"
   * forever, so it shows the error behind Try again (a non-recoverable one ends the session); the relay stays, still
   * saying where the phone is. Once there is a link, the screens say where the phone is: an error is only reported.
   */
  failed(error: FaceSignError): boolean {
    const p = this.relaying;
    if (p?.handoff.stage !== 'minting') return false;
    this.#s.fail(error, p.surface);
    return true;
  }

  /**
   * Try again after the relay the person chose was interrupted (it could not make the link, it was lost or never
   * connected: the interruption remembers where the handoff was): a new relay makes the link or finds the phone, the
   * person's choice stands (true). A page that cannot relay at all, or a module that did not load, remembers no
   * handoff: Try again loads the flow here.
   */
  again(p: Extract<Phase, { name: 'interrupted' }>): boolean {
    if (!p.handoff) return false;
    this.start();
    return true;
  }

  /** What an interruption that keeps `keep` remembers: the handoff its relay was in, for when its page comes after all. */
  kept(keep?: Surface): { handoff?: Handoff } {
    const p = this.relaying;
    return p && keep === p.surface ? { handoff: p.handoff } : {};
  }

  /** The handoff's UI (the QR code, its covers), here before the person can click. */
  #loadUi(): void {
    const s = this.#s;
    s.parts.handoff!.ui().then(
      () => s.host.update(),
      (e: unknown) => {
        if (this.#phase.name !== 'handoff') return;
        s.fail(unavailable(`its module did not load (${(e as Error)?.message ?? e}); try again`));
      },
    );
  }
}
