/**
 * Continuing on the phone, as transitions of the session (src/session/handoff.ts) with fakes: where the phone is
 * offered (cross-device and the reason), the person's choice, the relay's handshake, what its page says of the phone,
 * the phone's steps and its end, and cancel. No iframe, no channel, no element.
 */
import { expect } from '@open-wc/testing';
import { message } from '../../src/protocol/messages.js';
import type { Verification } from '../../src/session/verification.js';
import { timing } from '../../src/session/watch.js';
import { Harness, S2, flush, phaseOf, running } from './session-fakes.js';

const LINK = 'https://verify.test/?merchant=m#fs_handoff=tok1';

/** A session on the phone's relay that said hello with `caps`. */
function relaying(h = new Harness({ handoff: true }), caps = 'ping handoff'): { h: Harness; s: Verification } {
  const { s } = running(h);
  s.continueIn('phone');
  h.ch.hello(caps);
  return { h, s };
}

/**
 * The first relay's page is lost: a second load that says no hello (another document) is hosted_page_lost,
 * recoverable. Set a short timing.helloAfterLoad first.
 */
async function loseRelay(h: Harness) {
  const relay = h.relays[0]!;
  relay.events.loaded();
  relay.events.loaded();
  expect(await h.next('facesign-error')).to.include({ code: 'hosted_page_lost', recoverable: true });
  return relay;
}

describe('continue on the phone: where it is offered', () => {
  it('cross-device "force" on a computer: the phone is offered before anything loads; staying loads the frame', async () => {
    const h = new Harness({ handoff: true });
    h.crossDevice = 'force';
    const s = h.start();
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'offered', reason: 'computer' });
    expect(s.surface).to.equal(undefined);
    expect(h.frames).to.have.length(0);
    expect(h.handoffUis).to.equal(1);
    expect(s.status).to.equal('loading');
    s.handoffs.stay();
    expect(h.frames).to.have.length(1);
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    expect(h.names()).to.deep.equal([]);
  });

  it('"force" on a phone or a tablet, and "auto" on a computer: the frame loads at once', () => {
    const onPhone = new Harness({ handoff: true });
    onPhone.crossDevice = 'force';
    onPhone.computer = false;
    expect(onPhone.start().phase.name).to.equal('showing');
    const auto = new Harness({ handoff: true });
    expect(auto.start().phase.name).to.equal('showing');
  });

  it('parts without the handoff (a custom build) never offer it, even with "force"', () => {
    const h = new Harness();
    h.crossDevice = 'force';
    expect(h.start().phase.name).to.equal('showing');
  });

  it('the page finds no camera, and it can relay: the error is reported (recoverable), then the phone is offered over the page that goes on', () => {
    const h = new Harness({ handoff: true });
    const s = h.start();
    h.ch.hello('ping handoff');
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    h.ch.say(message('error', { code: 'camera_not_found', message: 'no camera', recoverable: true }));
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'camera_not_found', recoverable: true }],
    ]);
    const p = phaseOf(s, 'handoff');
    expect(p.handoff).to.deep.equal({ stage: 'offered', reason: 'camera_not_found' });
    expect(p.surface).to.equal(h.frames[0]);
    expect(h.frames[0]!.closes).to.equal(0);
    // staying: the same page goes on, nothing reloads
    s.handoffs.stay();
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    expect(h.frames).to.have.length(1);
    expect(s.status).to.equal('requiresInput');
  });

  it('the camera problem’s facesign-error comes with the offer committed: its listener sees the phone offered, and can take it', () => {
    const h = new Harness({ handoff: true });
    const s = h.start();
    h.ch.hello('ping handoff');
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    h.target.addEventListener('facesign-error', () => s.continueIn('phone'), { once: true });
    h.ch.say(message('error', { code: 'camera_in_use', message: 'held', recoverable: true }));
    expect(h.posted.find((e) => e.type === 'facesign-error')).to.deep.include({ phase: 'handoff' });
    expect(phaseOf(s, 'handoff')).to.deep.include({ handoff: { stage: 'minting' }, surface: h.relays[0] });
    expect(h.names().filter((n) => n === 'facesign-error')).to.have.length(1);
  });

  it('a camera problem that ends the flow here (not recoverable) does not end the verification where the phone is offered', () => {
    const h = new Harness({ handoff: true });
    const s = h.start();
    h.ch.hello('handoff');
    h.ch.say(message('error', { code: 'camera_denied', message: 'denied', recoverable: false }));
    expect(s.ended).to.equal(false);
    expect(h.brief()).to.deep.equal([['facesign-error', { code: 'camera_denied', recoverable: true }]]);
    const p = phaseOf(s, 'handoff');
    expect(p.handoff).to.deep.equal({ stage: 'offered', reason: 'camera_denied' });
    // the page that ended its flow is let go
    expect(p.surface).to.equal(undefined);
    expect(h.frames[0]!.closes).to.equal(1);
  });

  it('no offer from a page that cannot relay, with cross-device "off", or for another error', () => {
    const old = new Harness({ handoff: true });
    const a = old.start();
    old.ch.hello('ping');
    old.ch.say(message('error', { code: 'camera_not_found', message: 'x', recoverable: true }));
    expect(a.phase.name).to.equal('showing');

    const off = new Harness({ handoff: true });
    off.crossDevice = 'off';
    const b = off.start();
    off.ch.hello('handoff');
    off.ch.say(message('error', { code: 'camera_in_use', message: 'x', recoverable: true }));
    expect(b.phase.name).to.equal('showing');

    const mic = new Harness({ handoff: true });
    const c = mic.start();
    mic.ch.hello('handoff');
    mic.ch.say(message('error', { code: 'microphone_denied', message: 'x', recoverable: true }));
    expect(c.phase.name).to.equal('showing');
  });

  it('a cross-device value made invalid during the session: invalid_option, reported as at the start', () => {
    const h = new Harness({ handoff: true });
    const s = h.start();
    h.ch.hello('handoff');
    h.crossDevice = 'bad';
    h.ch.say(message('error', { code: 'camera_not_found', message: 'x', recoverable: true }));
    expect(s.ended).to.equal(true);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'invalid_option', recoverable: false }]);
  });
});

describe('continue on the phone: the relay and the phone', () => {
  it('chosen: the relay replaces the frame, its init says "handoff", and the host understands it', () => {
    const { h, s } = running(new Harness({ handoff: true }));
    s.continueIn('phone');
    const relay = h.relays[0]!;
    expect(phaseOf(s, 'handoff')).to.deep.include({ handoff: { stage: 'minting' }, surface: relay });
    expect(h.frames[0]!.closes).to.equal(1);
    expect(h.placed.at(-1)).to.equal(relay);
    h.ch.hello('handoff');
    const init = h.ch.sent.at(-1)!;
    expect(init).to.deep.include({ type: 'init', mode: 'handoff', caps: 'camera-codes handoff' });
    // asked again while it runs: nothing new
    s.continueIn('phone');
    expect(h.relays).to.have.length(1);
  });

  it('continueIn("phone") before the handoff’s module is here (nothing offered it yet): it loads, then the relay starts', async () => {
    const h = new Harness({ handoff: true });
    h.handoffLoaded = false;
    const { s } = running(h);
    s.continueIn('phone');
    expect(h.relays).to.have.length(0);
    expect(s.phase.name).to.equal('showing');
    await new Promise((r) => setTimeout(r, 0));
    expect(h.handoffUis).to.be.at.least(1);
    expect(phaseOf(s, 'handoff')).to.deep.include({ handoff: { stage: 'minting' }, surface: h.relays[0] });
  });

  it('the handoff’s module cannot load when the phone is chosen: handoff_unavailable (recoverable) behind a cover', async () => {
    const h = new Harness({ handoff: true });
    h.handoffLoaded = false;
    h.handoffUiFails = true;
    const { s } = running(h);
    s.continueIn('phone');
    await new Promise((r) => setTimeout(r, 0));
    expect(phaseOf(s, 'interrupted').error.code).to.equal('handoff_unavailable');
    expect(h.relays).to.have.length(0);
  });

  it('a relay page whose hello does not list "handoff": handoff_unavailable behind a cover whose Try again loads the frame', () => {
    const { h, s } = running(new Harness({ handoff: true }));
    s.continueIn('phone');
    const sent = h.ch.sent.length;
    h.ch.hello('ping');
    // no secret for a page that cannot relay
    expect(h.ch.sent.slice(sent).map((m) => m.type)).not.to.include('init');
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('handoff_unavailable');
    expect(h.relays[0]!.closes).to.equal(1);
    s.retry();
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[1]);
  });

  it('continueIn("phone") and then a popup before the handoff’s module is here: the popup goes on (not closed), no relay is made', async () => {
    const h = new Harness({ handoff: true });
    h.handoffLoaded = false;
    const { s } = running(h);
    s.continueIn('phone');
    s.continueIn('popup');
    const popup = h.popups[0]!;
    expect(phaseOf(s, 'showing').surface).to.equal(popup);
    await flush();
    expect(h.relays).to.have.length(0);
    expect(popup.closes).to.equal(0);
    expect(phaseOf(s, 'showing').surface).to.equal(popup);
  });

  it('continueIn("phone") on a running frame whose handoff module cannot load: handoff_unavailable (recoverable), the frame is not closed', async () => {
    const h = new Harness({ handoff: true });
    h.handoffLoaded = false;
    h.handoffUiFails = true;
    const { s, frame } = running(h);
    s.continueIn('phone');
    await flush();
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('handoff_unavailable');
    expect(p.error.recoverable).to.equal(true);
    expect(frame.closes).to.equal(0);
    // (compared as identity: a failing diff of a surface is more than the runner can print)
    expect(p.surface === frame, 'the interruption keeps the running frame').to.equal(true);
    expect(h.relays).to.have.length(0);
  });

  it('the handoff UI failing to load: handoff_unavailable (recoverable), nothing left running', async () => {
    const h = new Harness({ handoff: true });
    h.handoffUiFails = true;
    const { s } = running(h);
    s.continueIn('phone');
    await new Promise((r) => setTimeout(r, 0));
    expect(phaseOf(s, 'interrupted').error.code).to.equal('handoff_unavailable');
    expect(h.relays[0]!.closes).to.equal(1);
  });

  it('the link, a new one on request, an expiry, the phone opening it, its steps, and its end: one facesign-complete', () => {
    const { h, s } = relaying();
    const from = h.posted.length;
    h.ch.say(message('handoff', { state: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 });
    s.handoffs.renew();
    expect(h.ch.sent.at(-1)!.type).to.equal('handoff-renew');
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'minting' });
    h.ch.say(message('handoff', { state: 'expired' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'expired' });
    // a waiting without its link is no stage
    h.ch.say(message('handoff', { state: 'waiting' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'expired' });
    h.ch.say(message('handoff', { state: 'opened' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'on-phone', steps: 0 });
    // on the phone: no new code
    s.handoffs.renew();
    expect(h.ch.sent.filter((m) => m.type === 'handoff-renew')).to.have.length(1);
    h.ch.say(message('started', {}));
    h.ch.say(message('step', { nodeId: 'greeting', nodeType: 'conversation' }));
    h.ch.say(message('step', { nodeId: 'end', nodeType: 'end' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'on-phone', steps: 2 });
    expect(s.status).to.equal('processing');
    h.ch.say(message('completed', { sessionId: 'sess_1' }));
    h.ch.say(message('completed', { sessionId: 'sess_1' }));
    expect(h.brief(from)).to.deep.equal([
      ['facesign-start', {}],
      ['facesign-step', { nodeId: 'greeting', nodeType: 'conversation' }],
      ['facesign-step', { nodeId: 'end', nodeType: 'end' }],
      ['facesign-complete', { sessionId: 'sess_1' }],
    ]);
    expect(s.status).to.equal('complete');
    // the relay is let go by the element (hidden, lingering for a close on its way), not at once
    expect(h.relays[0]!.closes).to.equal(0);
  });

  it('the link cannot be made (the relay reports handoff_unavailable): not an endless "preparing", a cover whose Try again goes on with the phone (a new relay makes the link)', () => {
    const { h, s } = relaying();
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    h.ch.say(message('error', { code: 'handoff_unavailable', message: 'the link could not be made', recoverable: true }));
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'handoff_unavailable', recoverable: true }]);
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('handoff_unavailable');
    s.retry();
    // the person chose the phone: no flow on this computer, a new relay asked for a new link
    expect(h.relays).to.have.length(2);
    expect(phaseOf(s, 'handoff')).to.deep.include({ handoff: { stage: 'minting' }, surface: h.relays[1] });
    expect(h.relays[0]!.closes).to.equal(1);
    expect(h.frames).to.have.length(1);
    expect(h.placed.at(-1)).to.equal(h.relays[1]);
    expect(s.ended).to.equal(false);
  });

  it('an error from the relay once its link is shown: reported, and the screens go on saying where the phone is', () => {
    const { h, s } = relaying();
    h.ch.say(message('handoff', { state: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 }));
    h.ch.say(message('error', { code: 'camera_blocked', message: 'blocked here', recoverable: true }));
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'camera_blocked', recoverable: true }]);
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 });
  });

  it('a relay slower than loadTimeout that connects after all: the handoff goes on (its screens), not a blank box', async () => {
    const h = new Harness({ handoff: true, loadTimeout: 20 });
    const { s } = running(h);
    s.continueIn('phone');
    const error = await h.next('facesign-error');
    expect(error).to.include({ code: 'load_timeout', recoverable: true });
    expect(phaseOf(s, 'interrupted').surface).to.equal(h.relays[0]);
    h.ch.hello('handoff');
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    expect(phaseOf(s, 'handoff').surface).to.equal(h.relays[0]);
    h.ch.say(message('handoff', { state: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 });
    h.ch.say(message('step', { nodeId: 'greeting', nodeType: 'conversation' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'on-phone', steps: 1 });
    expect(h.relays).to.have.length(1);
  });

  it('the phone’s page went away: "left", a new code starts over; the phone back: on the phone again', () => {
    const { h, s } = relaying();
    h.ch.say(message('handoff', { state: 'opened' }));
    h.ch.say(message('step', { nodeId: 'greeting', nodeType: 'conversation' }));
    h.ch.say(message('handoff', { state: 'left' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'left', steps: 1 });
    h.ch.say(message('handoff', { state: 'opened' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'on-phone', steps: 1 });
    h.ch.say(message('handoff', { state: 'left' }));
    s.handoffs.renew();
    expect(h.ch.sent.at(-1)!.type).to.equal('handoff-renew');
  });

  it('cancel on the computer: the relay is told close (a cancel, so the phone stops too), one facesign-cancel; the phone’s cancel after it changes nothing', () => {
    const { h, s } = relaying();
    h.ch.say(message('handoff', { state: 'opened' }));
    s.close('closed');
    expect(h.ch.sent.at(-1)).to.deep.include({ type: 'close', goodbye: 'cancel' });
    h.ch.say(message('canceled', { reason: 'user_canceled' }));
    expect(h.names().filter((n) => n === 'facesign-cancel')).to.have.length(1);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-cancel', { reason: 'closed' }]);
  });

  it('cancel on the phone: the relay says canceled, one facesign-cancel with its reason', () => {
    const { h, s } = relaying();
    h.ch.say(message('handoff', { state: 'opened' }));
    h.ch.say(message('canceled', { reason: 'user_canceled' }));
    expect(s.status).to.equal('canceled');
    expect(h.brief().filter(([n]) => n === 'facesign-cancel')).to.deep.equal([['facesign-cancel', { reason: 'user_canceled' }]]);
  });

  it('the relay page lost (its document replaced): interrupted, its policy; Try again starts the relay again, which finds the phone', async () => {
    timing.helloAfterLoad = 20;
    const { h, s } = relaying();
    h.ch.say(message('handoff', { state: 'opened' }));
    const relay = await loseRelay(h);
    expect(phaseOf(s, 'interrupted').surface).to.equal(relay);
    s.retry();
    expect(relay.closes).to.equal(1);
    expect(h.frames).to.have.length(1);
    expect(phaseOf(s, 'handoff')).to.deep.include({ handoff: { stage: 'minting' }, surface: h.relays[1] });
    h.ch.hello('handoff');
    h.ch.say(message('handoff', { state: 'opened' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.include({ stage: 'on-phone' });
  });

  it('the relay lost while its code waits: Try again keeps the person’s choice of the phone (a new relay, a new code), never the flow on this computer, which would kill the code', async () => {
    timing.helloAfterLoad = 20;
    const { h, s } = relaying();
    h.ch.say(message('handoff', { state: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 }));
    await loseRelay(h);
    s.retry();
    expect(h.frames).to.have.length(1);
    expect(h.relays).to.have.length(2);
    expect(phaseOf(s, 'handoff')).to.deep.include({ handoff: { stage: 'minting' }, surface: h.relays[1] });
  });

  it('a page of a session its phone holds (this computer reloaded): the relay takes over and says where the phone is', () => {
    const h = new Harness({ handoff: true });
    const s = h.start();
    h.ch.hello('handoff');
    h.ch.say(message('handoff', { state: 'opened' }));
    const relay = h.relays[0]!;
    expect(phaseOf(s, 'handoff')).to.deep.include({ handoff: { stage: 'minting' }, surface: relay });
    expect(h.frames[0]!.closes).to.equal(1);
    h.ch.hello('handoff');
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    h.ch.say(message('handoff', { state: 'opened' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'on-phone', steps: 0 });
    expect(h.names()).to.deep.equal(['facesign-ready']);
    // "waiting" from a page that is no relay means nothing
    const other = new Harness({ handoff: true });
    const o = other.start();
    other.ch.hello('handoff');
    other.ch.say(message('handoff', { state: 'waiting', url: LINK, expiresAt: 1 }));
    expect(o.phase.name).to.equal('showing');
  });

  it('continueIn("popup") or ("redirect") while the phone holds the session: refused (the computer would run a flow locked to the phone), the handoff goes on', async () => {
    const { h, s } = relaying();
    h.ch.say(message('handoff', { state: 'opened' }));
    s.continueIn('popup');
    s.continueIn('redirect');
    await new Promise((r) => setTimeout(r, 0));
    expect(h.opened).to.have.length(0);
    expect(h.redirects).to.equal(0);
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'on-phone', steps: 0 });
    h.ch.say(message('handoff', { state: 'left' }));
    s.continueIn('redirect');
    await new Promise((r) => setTimeout(r, 0));
    expect(h.redirects).to.equal(0);
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'left', steps: 0 });
  });

  it('continueIn("phone") before the first secret, or after the end: nothing, and a warning says why', () => {
    const h = new Harness({ handoff: true, noSecret: true });
    const s = h.start();
    s.continueIn('phone');
    expect(h.relays).to.have.length(0);
    s.cancel('closed');
    s.continueIn('phone');
    expect(h.relays).to.have.length(0);
  });
});

describe('continue on the phone: under a stall (a new secret could not be had)', () => {
  const WAITING = { stage: 'waiting', url: LINK, expiresAt: 1_800_000_000_000 } as const;

  /** A refresh that fails: the session stalls over whatever it is in. */
  async function stall(h: Harness, s: Verification): Promise<void> {
    h.answers.push(new Error('down'));
    await s.refreshSecret().catch(() => {});
    phaseOf(s, 'stalled');
  }

  /** The next refresh mends the stall: the page takes the new secret. */
  async function mend(h: Harness, s: Verification): Promise<void> {
    h.answers.push(S2);
    const done = s.refreshSecret();
    for (let i = 0; i < 100 && h.ch.sent.at(-1)?.type !== 'secret'; i++) await flush();
    h.ch.say(message('secret-accepted', {}));
    await done;
  }

  /** The code is shown, and a manual refresh fails: stalled over the handoff. */
  async function stalledOnCode(): Promise<{ h: Harness; s: Verification }> {
    const { h, s } = relaying();
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    h.ch.say(message('handoff', { state: 'waiting', url: LINK, expiresAt: WAITING.expiresAt }));
    await stall(h, s);
    const resume = phaseOf(s, 'stalled').resume;
    expect(resume.name === 'handoff' && resume.handoff).to.deep.equal(WAITING);
    expect(resume.name === 'handoff' && resume.surface).to.equal(h.relays[0]);
    return { h, s };
  }

  it('the phone opens the link during a stall: one relay, still stalled, the stall’s resume is on-phone with its steps; after the refresh it resumes on the phone', async () => {
    const { h, s } = await stalledOnCode();
    const relay = h.relays[0]!;
    const from = h.posted.length;
    h.ch.say(message('handoff', { state: 'opened' }));
    expect(h.relays).to.have.length(1);
    expect(relay.closes).to.equal(0);
    h.ch.say(message('step', { nodeId: 'greeting', nodeType: 'conversation' }));
    const resume = phaseOf(s, 'stalled').resume;
    expect(resume.name === 'handoff' && resume.handoff).to.deep.equal({ stage: 'on-phone', steps: 1 });
    expect(resume.name === 'handoff' && resume.surface).to.equal(relay);
    expect(h.brief(from)).to.deep.equal([['facesign-step', { nodeId: 'greeting', nodeType: 'conversation' }]]);
    await mend(h, s);
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'on-phone', steps: 1 });
    expect(phaseOf(s, 'handoff').surface).to.equal(relay);
    expect(h.relays).to.have.length(1);
  });

  it('a relay lost during a stall that comes back: back to the handoff, not showing', async () => {
    timing.helloAfterLoad = 20;
    const { h, s } = await stalledOnCode();
    const relay = await loseRelay(h);
    // the interruption remembers where the handoff was, for the relay's late page
    expect(phaseOf(s, 'interrupted').surface).to.equal(relay);
    expect(phaseOf(s, 'interrupted').handoff).to.deep.equal(WAITING);
    h.ch.hello('handoff');
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal(WAITING);
    expect(phaseOf(s, 'handoff').surface).to.equal(relay);
    expect(h.relays).to.have.length(1);
  });

  it('a camera problem during a stall: reported, the stall stays over the page that goes on, and the phone is offered once the refresh mends it', async () => {
    const h = new Harness({ handoff: true });
    const s = h.start();
    h.ch.hello('ping handoff');
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    const frame = h.frames[0]!;
    await stall(h, s);
    const stalledBy = phaseOf(s, 'stalled').error;
    h.ch.say(message('error', { code: 'camera_not_found', message: 'no camera', recoverable: true }));
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'camera_not_found', recoverable: true }]);
    const p = phaseOf(s, 'stalled');
    expect(p.error).to.equal(stalledBy);
    expect(p.resume.name === 'handoff' && p.resume.handoff).to.deep.equal({ stage: 'offered', reason: 'camera_not_found' });
    expect(p.resume.name === 'handoff' && p.resume.surface).to.equal(frame);
    expect(frame.closes).to.equal(0);
    await mend(h, s);
    expect(phaseOf(s, 'handoff').handoff).to.deep.equal({ stage: 'offered', reason: 'camera_not_found' });
    expect(phaseOf(s, 'handoff').surface).to.equal(frame);
  });

  it('a camera problem during a stall whose phone screens cannot load: handoff_unavailable behind Try again, never a blank offer after the refresh', async () => {
    const h = new Harness({ handoff: true });
    h.handoffUiFails = true;
    const s = h.start();
    h.ch.hello('ping handoff');
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    await stall(h, s);
    h.ch.say(message('error', { code: 'camera_not_found', message: 'no camera', recoverable: true }));
    for (let i = 0; i < 20; i++) await flush();
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('handoff_unavailable');
    expect(p.error.recoverable).to.equal(true);
  });
});
