/**
 * Unit tests of the session's state machine (src/session/verification.ts) with no iframe, no channel and no element:
 * a fake host (an Outbox over a plain EventTarget that records every event, fixed inputs, a fake
 * fetchClientSecret, renders counted), fake surfaces with the frame's and the popup's policies, and a fake
 * channel the test drives by hand (its hello, the page's messages), as penpal's MockMessenger is driven. Each
 * case asserts the phase, the progress, the public status, the events posted and what was sent to the page.
 */
import { expect } from '@open-wc/testing';
import { Verification } from '../../src/session/verification.js';
import type { SessionInputs } from '../../src/session/host.js';
import type { Reach } from '../../src/session/host.js';
import { timing } from '../../src/session/watch.js';
import { secretKey } from '../../src/base/secret-key.js';
import { FaceSignError } from '../../src/protocol/errors.js';
import { message } from '../../src/protocol/messages.js';
import { clock } from '../../src/base/clock.js';
import { S1, S2, S3, ORIGIN, flush, FakeSurface, Harness, running, settled, phaseOf } from './session-fakes.js';

describe('Verification: the way to the end', () => {
  it('start with a secret: showing, hello → init, ready and start once each across a reconnect, complete, then only close', () => {
    const h = new Harness({ mode: 'modal' });
    const s = h.start();

    // showing, in place at once, loading
    const frame = h.frames[0]!;
    expect(h.frames).to.have.length(1);
    expect(phaseOf(s, 'showing').surface).to.equal(frame);
    expect(s.state.progress).to.equal('loading');
    expect(s.status).to.equal('loading');
    expect(s.surface).to.equal(frame);
    expect(h.placed).to.have.length(1);
    expect(h.placed[0]).to.equal(frame);
    expect(frame.url).to.equal(s.url);
    expect(new URL(s.url).origin).to.equal(ORIGIN);
    expect(s.url).not.to.contain(S1);
    expect(h.names()).to.deep.equal([]);
    expect(h.ch.sent).to.deep.equal([]);
    expect(h.renders.map((r) => [r.phase.name, r.progress])).to.deep.equal([['showing', 'loading']]);

    // hello → init with the secret and the surface's mode
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S1, mode: 'modal', lang: 'en', caps: 'camera-codes' })]);
    expect(frame.modes).to.deep.equal(['modal']);
    expect(s.status).to.equal('loading');
    expect(h.names()).to.deep.equal([]);

    // ready → requiresInput, one facesign-ready (its listeners see the committed state)
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    expect(phaseOf(s, 'showing').surface).to.equal(frame);
    expect(s.state.progress).to.equal('requiresInput');
    expect(s.status).to.equal('requiresInput');
    expect(h.posted).to.deep.equal([{ type: 'facesign-ready', detail: {}, status: 'requiresInput', phase: 'showing' }]);
    expect(s.continuation).to.deep.equal({ secret: { secret: S1 }, sessionId: 'sess_1' });

    // started → processing, one facesign-start
    h.ch.say(message('started', {}));
    expect(s.state.progress).to.equal('processing');
    expect(s.status).to.equal('processing');
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-start', {}],
    ]);

    // a reconnect: a second hello gets init again; its ready and started change nothing
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([
      message('init', { secret: S1, mode: 'modal', lang: 'en', caps: 'camera-codes' }),
      message('init', { secret: S1, mode: 'modal', lang: 'en', caps: 'camera-codes' }),
    ]);
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    h.ch.say(message('started', {}));
    expect(s.status).to.equal('processing');
    expect(s.state.progress).to.equal('processing');
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-start']);

    // completed → ended complete, one facesign-complete; the frame stays for its end screen
    h.ch.say(message('completed', { sessionId: 'sess_1' }));
    const ended = phaseOf(s, 'ended');
    expect(ended.outcome).to.deep.equal({ status: 'complete', sessionId: 'sess_1' });
    expect(ended.surface).to.equal(frame);
    expect(s.status).to.equal('complete');
    expect(s.ended).to.equal(true);
    expect(s.untilEnd.aborted).to.equal(true);
    expect(frame.endeds).to.equal(1);
    expect(frame.closes).to.equal(0);
    expect(h.posted.at(-1)).to.deep.equal({ type: 'facesign-complete', detail: { sessionId: 'sess_1' }, status: 'complete', phase: 'ended' });
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-start', 'facesign-complete']);
    expect(h.renders.map((r) => [r.phase.name, r.progress])).to.deep.equal([
      ['showing', 'loading'],
      ['showing', 'requiresInput'],
      ['showing', 'processing'],
      ['showing', 'processing'],
      ['ended', 'processing'],
    ]);

    // a new hello after the end: only close (nothing to cancel: a leave), never a secret
    h.ch.hello();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('close', { goodbye: 'leave' }));
    expect(h.ch.types()).to.deep.equal(['init', 'init', 'close']);

    // later messages change nothing, and to() refuses to leave ended
    const renders = h.renders.length;
    h.ch.say(message('started', {}));
    h.ch.say(message('canceled', { reason: 'user_canceled' }));
    h.ch.say(message('error', { code: 'network_error', message: 'late', recoverable: false }));
    h.ch.say(message('completed', { sessionId: 'sess_2' }));
    s.to({ name: 'showing', surface: frame }, 'loading');
    s.to({ name: 'fetching' }, 'loading', ['facesign-ready', {}]);
    expect(s.phase).to.equal(ended);
    expect(s.status).to.equal('complete');
    expect(h.renders).to.have.length(renders);
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-start', 'facesign-complete']);
    expect(h.ch.types()).to.deep.equal(['init', 'init', 'close']);
  });

  it('the page’s other messages: step is an event, resize and close-request go to the host, canceled ends it', () => {
    const { h, s, frame } = running();
    h.ch.say(message('step', { nodeId: 'n1', nodeType: 'conversation' }));
    h.ch.say(message('resize', { height: 420 }));
    h.ch.say(message('close-request', {}));
    h.ch.say(message('pong', {}));
    expect(h.resized).to.deep.equal([420]);
    expect(h.closeRequests).to.deep.equal(['hosted_page']);
    expect(s.status).to.equal('requiresInput');
    h.ch.say(message('canceled', { reason: 'user_canceled' }));
    expect(phaseOf(s, 'ended').outcome).to.deep.equal({ status: 'canceled', reason: 'user_canceled' });
    expect(s.status).to.equal('canceled');
    expect(frame.endeds).to.equal(1);
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-step', { nodeId: 'n1', nodeType: 'conversation' }],
      ['facesign-cancel', { reason: 'user_canceled' }],
    ]);
    // after the end, resize and close-request still reach the host
    h.ch.say(message('resize', { height: 300 }));
    expect(h.resized).to.deep.equal([420, 300]);
  });

  it('the page’s errors: a recoverable one is only reported, a non-recoverable one ends it without a surface', () => {
    const { h, s, frame } = running();
    const before = s.phase;
    h.ch.say(message('error', { code: 'camera_unavailable', message: 'no camera', recoverable: true }));
    expect(s.phase).to.equal(before);
    expect(s.status).to.equal('requiresInput');
    h.ch.say(message('error', { code: 'made_up', message: 'odd', recoverable: true }));
    h.ch.say(message('error', { code: 'session_finished', message: 'over', recoverable: false }));
    const ended = phaseOf(s, 'ended');
    expect(ended.outcome.status).to.equal('error');
    expect(ended.surface).to.equal(undefined);
    expect(s.status).to.equal('error');
    expect(frame.closes).to.equal(1);
    expect(s.disposed).to.equal(true);
    expect(h.ch.torn).to.equal(true);
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'camera_unavailable', recoverable: true }],
      ['facesign-error', { code: 'hosted_page_error', recoverable: true }],
      ['facesign-error', { code: 'session_finished', recoverable: false }],
    ]);
  });

  it('the page’s camera problems by name: a recoverable one is only reported (the page goes on), one that is not ends it with its name', () => {
    const named = ['camera_denied', 'camera_not_found', 'camera_in_use', 'microphone_denied'] as const;
    const { h, s } = running();
    const before = s.phase;
    for (const code of named) h.ch.say(message('error', { code, message: code, recoverable: true }));
    expect(s.phase).to.equal(before);
    h.ch.say(message('error', { code: 'camera_denied', message: 'the flow needs the camera', recoverable: false }));
    expect(phaseOf(s, 'ended').outcome).to.deep.include({ status: 'error' });
    expect((phaseOf(s, 'ended').outcome as { error: FaceSignError }).error.code).to.equal('camera_denied');
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ...named.map((code) => ['facesign-error', { code, recoverable: true }]),
      ['facesign-error', { code: 'camera_denied', recoverable: false }],
    ]);
  });
});

describe('Verification: the first secret from fetchClientSecret', () => {
  it('fetching → the secret arrives → showing', async () => {
    const h = new Harness({ noSecret: true });
    h.answers.push(S1);
    const s = h.start();
    phaseOf(s, 'fetching');
    expect(s.state.progress).to.equal('loading');
    expect(s.status).to.equal('loading');
    expect(s.surface).to.equal(undefined);
    expect(h.channels).to.have.length(0);
    expect(h.frames).to.have.length(0);
    expect(h.fetches).to.deep.equal([{ sessionId: undefined }]);
    await flush();
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    expect(s.status).to.equal('loading');
    expect(h.names()).to.deep.equal([]);
    expect(h.renders.map((r) => r.phase.name)).to.deep.equal(['fetching', 'showing']);
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S1, mode: 'inline', lang: 'en', caps: 'camera-codes' })]);
  });

  it('the fetch failing → interrupted (error, recoverable) → retry() → fetching → showing', async () => {
    const h = new Harness({ noSecret: true });
    h.answers.push(new Error('offline'));
    const s = h.start();
    await flush();
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('secret_refresh_failed');
    expect(p.surface).to.equal(undefined);
    expect(p.offer).to.equal(undefined);
    expect(s.status).to.equal('error');
    expect(s.state.progress).to.equal('loading');
    expect(h.brief()).to.deep.equal([['facesign-error', { code: 'secret_refresh_failed', recoverable: true }]]);
    expect(h.posted[0]!.status).to.equal('error');
    expect(h.channels).to.have.length(0);

    h.answers.push(S1);
    s.retry();
    phaseOf(s, 'fetching');
    expect(s.status).to.equal('loading');
    expect(h.fetches).to.have.length(2);
    await flush();
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    expect(h.frames).to.have.length(1);
    expect(h.names()).to.deep.equal(['facesign-error']);
    expect(h.renders.map((r) => r.phase.name)).to.deep.equal(['fetching', 'interrupted', 'fetching', 'showing']);
  });

  it('refreshSecret() from that interruption fetches again and resolves once the session has begun', async () => {
    const h = new Harness({ noSecret: true });
    h.answers.push(new Error('offline'));
    const s = h.start();
    await flush();
    phaseOf(s, 'interrupted');
    h.answers.push(S1);
    const p = s.refreshSecret();
    phaseOf(s, 'fetching');
    await p;
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    expect(h.fetches).to.have.length(2);
    expect(h.names()).to.deep.equal(['facesign-error']);
  });

  it('continueIn() before the first secret is refused', () => {
    const h = new Harness({ noSecret: true });
    const s = h.start();
    s.continueIn('popup');
    s.continueIn('redirect');
    phaseOf(s, 'fetching');
    expect(h.opened).to.have.length(0);
    expect(h.redirects).to.equal(0);
  });
});

describe('Verification: bad inputs', () => {
  it('readInputs throwing a non-recoverable FaceSignError → ended error at once; no surface, no channel, no request', () => {
    const h = new Harness();
    h.invalid = new FaceSignError('invalid_option', 'loadTimeout must be more than 0');
    const s = h.start();
    const ended = phaseOf(s, 'ended');
    expect(ended.outcome).to.deep.equal({ status: 'error', error: h.invalid });
    expect(ended.surface).to.equal(undefined);
    expect(s.status).to.equal('error');
    expect(s.disposed).to.equal(true);
    expect(h.frames).to.have.length(0);
    expect(h.popups).to.have.length(0);
    expect(h.channels).to.have.length(0);
    expect(h.fetches).to.have.length(0);
    expect(h.posted).to.deep.equal([
      {
        type: 'facesign-error',
        detail: { code: 'invalid_option', message: 'loadTimeout must be more than 0', recoverable: false },
        status: 'error',
        phase: 'ended',
      },
    ]);
  });

  it('a verify URL refused for the secret → ended error, no channel', () => {
    const h = new Harness({
      hostedPage: () => {
        throw new FaceSignError('invalid_verify_url', 'not https');
      },
    });
    const s = h.start();
    expect(phaseOf(s, 'ended').outcome.status).to.equal('error');
    expect(h.channels).to.have.length(0);
    expect(h.frames).to.have.length(0);
    expect(h.brief()).to.deep.equal([['facesign-error', { code: 'invalid_verify_url', recoverable: false }]]);
  });
});

describe('Verification: trouble on a frame-like surface (interrupt)', () => {
  it('load timeout → interrupted keeping the frame; a late ready → showing again', async () => {
    const h = new Harness({ loadTimeout: 30 });
    const s = h.start();
    const frame = h.frames[0]!;
    const error = await h.next('facesign-error');
    expect(error).to.include({ code: 'load_timeout', recoverable: true });
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('load_timeout');
    expect(p.surface).to.equal(frame);
    expect(p.offer).to.equal(undefined);
    expect(s.surface).to.equal(frame);
    expect(frame.closes).to.equal(0);
    expect(s.status).to.equal('error');
    expect(s.state.progress).to.equal('loading');
    expect(h.brief()).to.deep.equal([['facesign-error', { code: 'load_timeout', recoverable: true }]]);

    // the page comes after all
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S1, mode: 'inline', lang: 'en', caps: 'camera-codes' })]);
    h.ch.say(message('ready', {}));
    expect(phaseOf(s, 'showing').surface).to.equal(frame);
    expect(s.state.progress).to.equal('requiresInput');
    expect(s.status).to.equal('requiresInput');
    expect(h.frames).to.have.length(1);
    expect(h.brief()).to.deep.equal([
      ['facesign-error', { code: 'load_timeout', recoverable: true }],
      ['facesign-ready', {}],
    ]);
  });

  it('retry() after a load timeout → a new frame (the old one closed), no terminal event', async () => {
    const h = new Harness({ loadTimeout: 30 });
    const s = h.start();
    await h.next('facesign-error');
    s.retry();
    expect(h.frames).to.have.length(2);
    const [old, next] = h.frames as [FakeSurface, FakeSurface];
    expect(old.closes).to.equal(1);
    expect(phaseOf(s, 'showing').surface).to.equal(next);
    expect(h.placed.at(-1)).to.equal(next);
    expect(s.status).to.equal('loading');
    expect(h.names()).to.deep.equal(['facesign-error']);
    // the new frame's page gets the same secret
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S1, mode: 'inline', lang: 'en', caps: 'camera-codes' })]);
    expect(next.modes).to.deep.equal(['inline']);
    expect(old.modes).to.deep.equal([]);
  });

  it('lost (the document replaced) → interrupted keeping the frame, progress kept; retry() → a new frame', async () => {
    timing.helloAfterLoad = 20;
    const { h, s, frame } = running();
    frame.events.loaded();
    // a second load that says no hello: another document
    frame.events.loaded();
    const error = await h.next('facesign-error');
    expect(error).to.include({ code: 'hosted_page_lost', recoverable: true });
    const p = phaseOf(s, 'interrupted');
    expect(p.surface).to.equal(frame);
    expect(frame.closes).to.equal(0);
    expect(s.status).to.equal('error');
    expect(s.state.progress).to.equal('requiresInput');
    expect(h.ch.connected).to.equal(false);
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'hosted_page_lost', recoverable: true }],
    ]);
    s.retry();
    expect(frame.closes).to.equal(1);
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[1]);
    expect(s.status).to.equal('requiresInput');
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-error']);
  });

  it('a frame that loads and never says hello → offering frame_blocked, the frame kept; its late ready → showing', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness();
    const s = h.start();
    const frame = h.frames[0]!;
    frame.events.loaded();
    await h.next('facesign-fallback');
    const p = phaseOf(s, 'offering');
    expect(p).to.include({ stage: 'offered', reason: 'frame_blocked', via: 'popup', surface: frame });
    expect(frame.closes).to.equal(0);
    expect(s.status).to.equal('error');
    expect(h.brief()).to.deep.equal([
      ['facesign-error', { code: 'frame_blocked', recoverable: true }],
      ['facesign-fallback', { reason: 'frame_blocked', via: 'popup' }],
    ]);
    h.ch.hello();
    h.ch.say(message('ready', {}));
    expect(phaseOf(s, 'showing').surface).to.equal(frame);
    expect(s.status).to.equal('requiresInput');
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-fallback', 'facesign-ready']);
  });

  it('the frame’s page reports the camera blocked → offering camera_blocked (the frame closed)', () => {
    const { h, s, frame } = running();
    h.ch.say(message('error', { code: 'camera_blocked', message: 'denied by policy', recoverable: true }));
    const p = phaseOf(s, 'offering');
    expect(p).to.include({ stage: 'offered', reason: 'camera_blocked', via: 'popup', surface: undefined });
    expect(frame.closes).to.equal(1);
    expect(s.status).to.equal('error');
    expect(s.state.progress).to.equal('requiresInput');
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'camera_blocked', recoverable: true }],
      ['facesign-fallback', { reason: 'camera_blocked', via: 'popup' }],
    ]);
  });

  it('the page’s Permissions-Policy refusing the camera → offering camera_blocked', () => {
    const h = new Harness();
    const s = h.start();
    h.frames[0]!.events.policyBlocks(['camera']);
    expect(phaseOf(s, 'offering')).to.include({ reason: 'camera_blocked', via: 'popup', stage: 'offered' });
    expect(h.frames[0]!.closes).to.equal(1);
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-fallback']);
  });

  it('a frame judged refused (frame_blocked offered) is not judged again by its load timer: the offer stays, no load_timeout', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness({ loadTimeout: 150 });
    const s = h.start();
    h.frames[0]!.events.loaded();
    await h.next('facesign-fallback');
    expect(phaseOf(s, 'offering')).to.include({ reason: 'frame_blocked', stage: 'offered' });
    await new Promise((r) => setTimeout(r, 300));
    expect(phaseOf(s, 'offering')).to.include({ reason: 'frame_blocked', stage: 'offered' });
    expect(h.brief().map(([t, d]) => [t, d.code ?? d.reason])).to.deep.equal([
      ['facesign-error', 'frame_blocked'],
      ['facesign-fallback', 'frame_blocked'],
    ]);
  });

  it('a refused-framing verdict the session moved past while the server was asked leaves the load timer to judge the frame', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness({ loadTimeout: 300 });
    let answer!: (r: Reach) => void;
    let asks = 0;
    h.parts.reach = () => (++asks === 1 ? new Promise((r) => (answer = r)) : Promise.resolve('reachable'));
    const s = h.start();
    h.frames[0]!.events.loaded();
    for (let i = 0; i < 100 && !answer; i++) await flush();
    // meanwhile a refresh fails (a stall), and the next one mends it: the same frame, still without a hello
    h.answers.push(new Error('down'));
    await s.refreshSecret().catch(() => {});
    phaseOf(s, 'stalled');
    h.answers.push(S2);
    // with no page connected the new secret waits for the next page's init (and the promise with it), but the
    // stall ends as soon as the secret is here
    void s.refreshSecret().catch(() => {});
    for (let i = 0; i < 100 && s.phase.name !== 'showing'; i++) await flush();
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    answer('reachable');
    await flush();
    expect(await h.next('facesign-error')).to.include({ code: 'load_timeout' });
    expect(phaseOf(s, 'interrupted').surface).to.equal(h.frames[0]);
  });
});

describe('Verification: a hosted page that cannot be reached', () => {
  it('a frame that loads an error page and no hello, its server unreachable → interrupted hosted_page_unreachable, the frame closed, no other path offered; Try again → a new frame', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness();
    h.reach = 'unreachable';
    const s = h.start();
    const frame = h.frames[0]!;
    frame.events.loaded();
    const error = await h.next('facesign-error');
    expect(error).to.include({ code: 'hosted_page_unreachable', recoverable: true });
    expect(h.reachAsked).to.deep.equal([s.url]);
    const p = phaseOf(s, 'interrupted');
    expect(p.surface).to.equal(undefined);
    expect(p.offer).to.equal(undefined);
    expect(frame.closes).to.equal(1);
    expect(h.names()).to.deep.equal(['facesign-error']);
    s.retry();
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[1]);
  });

  it('the server answers (framing refused): frame_blocked and the popup offered, as before', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness();
    h.reach = 'reachable';
    const s = h.start();
    h.frames[0]!.events.loaded();
    await h.next('facesign-fallback');
    expect(phaseOf(s, 'offering')).to.include({ reason: 'frame_blocked', via: 'popup' });
  });

  it('this page’s CSP refused the question (unknown): judged as before, frame_blocked', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness();
    h.reach = 'unknown';
    const s = h.start();
    h.frames[0]!.events.loaded();
    await h.next('facesign-fallback');
    expect(phaseOf(s, 'offering')).to.include({ reason: 'frame_blocked' });
  });

  it('no hello within loadTimeout, the server unreachable → hosted_page_unreachable, not load_timeout', async () => {
    const h = new Harness({ loadTimeout: 30 });
    h.reach = 'unreachable';
    const s = h.start();
    expect(await h.next('facesign-error')).to.include({ code: 'hosted_page_unreachable', recoverable: true });
    expect(phaseOf(s, 'interrupted').surface).to.equal(undefined);
  });

  it('a popup that never says hello, its server unreachable → hosted_page_unreachable: no new popup offered (the same path would fail the same way)', async () => {
    const h = new Harness({ loadTimeout: 30 });
    h.obstacle = 'insecure';
    const s = h.start();
    s.continueIn('popup');
    const popup = h.popups[0]!;
    h.reach = 'unreachable';
    const from = h.posted.length;
    await h.next('facesign-error');
    await flush();
    expect(h.brief(from)).to.deep.equal([['facesign-error', { code: 'hosted_page_unreachable', recoverable: true }]]);
    expect(popup.closes).to.equal(1);
    // Try again offers the path again (the obstacle is still there): the person chose to
    expect(phaseOf(s, 'interrupted').offer).to.equal(undefined);
  });

  it('a popup unreachable where an obstacle keeps every frame out: Try again offers the path again, never a frame', async () => {
    const h = new Harness({ loadTimeout: 30 });
    h.obstacle = 'insecure';
    const s = h.start();
    s.continueIn('popup');
    h.reach = 'unreachable';
    await h.next('facesign-error');
    await flush();
    expect(phaseOf(s, 'interrupted').error.code).to.equal('hosted_page_unreachable');
    const from = h.posted.length;
    s.retry();
    expect(phaseOf(s, 'offering')).to.include({ reason: 'insecure', via: 'popup' });
    expect(h.frames).to.have.length(0);
    expect(h.brief(from).map(([t]) => t)).to.deep.equal(['facesign-error', 'facesign-fallback']);
  });

  it('the browser coming back online while interrupted by an unreachable page tries again by itself', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness();
    h.reach = 'unreachable';
    const s = h.start();
    h.frames[0]!.events.loaded();
    await h.next('facesign-error');
    dispatchEvent(new Event('online'));
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[1]);
    // only while interrupted so: online again changes nothing
    dispatchEvent(new Event('online'));
    expect(h.frames).to.have.length(2);
  });

  it('a hello while the server is asked: the page connected, nothing is judged', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness();
    let answer!: (r: Reach) => void;
    h.parts.reach = () => new Promise((r) => (answer = r));
    const s = h.start();
    h.frames[0]!.events.loaded();
    for (let i = 0; i < 100 && !answer; i++) await flush();
    h.ch.hello();
    h.ch.say(message('ready', {}));
    answer('unreachable');
    await flush();
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    expect(h.names()).to.deep.equal(['facesign-ready']);
  });

  it('a popup that says hello while the server is asked (after loadTimeout) is not judged lost: it stays, nothing is reported', async () => {
    const h = new Harness({ loadTimeout: 30 });
    h.obstacle = 'insecure';
    let answer!: (r: Reach) => void;
    h.parts.reach = () => new Promise((r) => (answer = r));
    const s = h.start();
    s.continueIn('popup');
    const popup = h.popups[0]!;
    const from = h.posted.length;
    for (let i = 0; i < 100 && !answer; i++) await new Promise((r) => setTimeout(r, 10));
    expect(answer, 'the server is asked').to.be.a('function');
    h.ch.hello();
    expect(h.ch.types()).to.deep.equal(['init']);
    answer('reachable');
    await flush();
    expect(phaseOf(s, 'showing').surface).to.equal(popup);
    expect(popup.closes).to.equal(0);
    expect(h.brief(from)).to.deep.equal([]);
  });

  it('a frame that says hello while the server is asked, the answer unreachable: the connected frame is kept', async () => {
    timing.helloAfterLoad = 20;
    const h = new Harness();
    let answer!: (r: Reach) => void;
    h.parts.reach = () => new Promise((r) => (answer = r));
    const s = h.start();
    const frame = h.frames[0]!;
    frame.events.loaded();
    for (let i = 0; i < 100 && !answer; i++) await flush();
    h.ch.hello();
    answer('unreachable');
    await flush();
    expect(phaseOf(s, 'showing').surface).to.equal(frame);
    expect(frame.closes).to.equal(0);
    expect(h.names()).to.deep.equal([]);
  });
});

describe('Verification: trouble on a popup-like surface (offer)', () => {
  /** An obstacle offers the popup; continueIn('popup') shows it. */
  function inPopup(o: Partial<SessionInputs> = {}) {
    const h = new Harness(o);
    h.obstacle = 'insecure';
    const s = h.start();
    s.continueIn('popup');
    const popup = h.popups[0]!;
    expect(phaseOf(s, 'showing').surface).to.equal(popup);
    return { h, s, popup };
  }

  it('load timeout → offering hosted_page_lost, the popup closed', async () => {
    const { h, s, popup } = inPopup({ loadTimeout: 30 });
    const from = h.posted.length;
    await h.next('facesign-fallback');
    const p = phaseOf(s, 'offering');
    expect(p).to.include({ stage: 'offered', reason: 'hosted_page_lost', via: 'popup', surface: undefined });
    expect(p.error.code).to.equal('hosted_page_lost');
    expect(popup.closes).to.equal(1);
    expect(s.surface).to.equal(undefined);
    expect(s.status).to.equal('error');
    expect(h.brief(from)).to.deep.equal([
      ['facesign-error', { code: 'hosted_page_lost', recoverable: true }],
      ['facesign-fallback', { reason: 'hosted_page_lost', via: 'popup' }],
    ]);
  });

  it('lost → offering hosted_page_lost, the popup closed', async () => {
    timing.helloAfterLoad = 20;
    const { h, s, popup } = inPopup();
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S1, mode: 'popup', lang: 'en', caps: 'camera-codes' })]);
    h.ch.say(message('ready', {}));
    popup.events.loaded();
    popup.events.loaded();
    const from = h.posted.length;
    await h.next('facesign-fallback');
    expect(phaseOf(s, 'offering')).to.include({ reason: 'hosted_page_lost', via: 'popup', surface: undefined });
    expect(popup.closes).to.equal(1);
    expect(s.state.progress).to.equal('requiresInput');
    expect(s.status).to.equal('error');
    expect(h.brief(from)).to.deep.equal([
      ['facesign-error', { code: 'hosted_page_lost', recoverable: true }],
      ['facesign-fallback', { reason: 'hosted_page_lost', via: 'popup' }],
    ]);
  });

  it('the user closing the popup → ended canceled popup_closed; closed at once before its hello → offering popup_blocked', () => {
    const a = inPopup();
    a.popup.events.closed(false);
    expect(phaseOf(a.s, 'ended').outcome).to.deep.equal({ status: 'canceled', reason: 'popup_closed' });
    expect(a.s.status).to.equal('canceled');
    expect(a.h.brief().at(-1)).to.deep.equal(['facesign-cancel', { reason: 'popup_closed' }]);

    const b = inPopup();
    const from = b.h.posted.length;
    b.popup.events.closed(true);
    expect(phaseOf(b.s, 'offering')).to.include({ reason: 'popup_blocked', via: 'redirect', stage: 'offered', surface: undefined });
    expect(b.popup.closes).to.equal(1);
    expect(b.h.brief(from)).to.deep.equal([
      ['facesign-error', { code: 'popup_blocked', recoverable: true }],
      ['facesign-fallback', { reason: 'popup_blocked', via: 'redirect' }],
    ]);
  });

  it('the camera blocked in a popup is only reported; continueIn("popup") again focuses it', () => {
    const { h, s, popup } = inPopup();
    h.ch.hello();
    h.ch.say(message('error', { code: 'camera_blocked', message: 'denied', recoverable: true }));
    expect(phaseOf(s, 'showing').surface).to.equal(popup);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'camera_blocked', recoverable: true }]);
    s.continueIn('popup');
    expect(popup.focuses).to.equal(1);
    expect(h.popups).to.have.length(1);
  });
});

describe('Verification: features delegated on request, reported in init', () => {
  it('init carries what the surface reports delegated and usable, only to a page whose hello lists delegation', () => {
    const h = new Harness({ delegate: ['digital-credentials-get', 'publickey-credentials-get'] });
    const s = h.start();
    const frame = h.frames[0]!;
    frame.usable = 'publickey-credentials-get';
    h.ch.hello('ping delegation');
    expect(h.ch.sent).to.deep.equal([
      message('init', { secret: S1, mode: 'inline', lang: 'en', delegated: 'publickey-credentials-get', caps: 'camera-codes' }),
    ]);
    // a page built before the field (no capability): not sent it
    h.ch.drop();
    h.ch.hello('ping');
    expect(h.ch.sent[1]).to.deep.equal(message('init', { secret: S1, mode: 'inline', lang: 'en', caps: 'camera-codes' }));
    // nothing usable: no field (absent means none)
    frame.usable = '';
    h.ch.drop();
    h.ch.hello('delegation');
    expect(h.ch.sent[2]).to.deep.equal(message('init', { secret: S1, mode: 'inline', lang: 'en', caps: 'camera-codes' }));
    expect(s.ended).to.equal(false);
  });
});

describe('Verification: obstacles and the paths offered', () => {
  for (const [fallback, obstacle, via] of [
    ['auto', 'insecure', 'popup'],
    ['popup', 'insecure', 'popup'],
    ['redirect', 'insecure', 'redirect'],
    ['auto', 'in_app', 'browser'],
    ['auto', 'no_camera', 'browser'],
    ['auto', 'webview_no_camera', 'browser'],
  ] as const)
    it(`an obstacle (${obstacle}, fallback ${fallback}) → offering via ${via}: facesign-error first, one facesign-fallback`, async () => {
      const h = new Harness();
      h.fallback = fallback;
      h.obstacle = obstacle;
      const s = h.start();
      const p = phaseOf(s, 'offering');
      // the merchant's own app's WebView without a camera API has a code of its own, which the app can act on
      const code = obstacle === 'webview_no_camera' ? 'webview_no_camera' : 'unsupported_browser';
      expect(p).to.include({ stage: 'offered', reason: obstacle, via, surface: undefined });
      expect(p.error.code).to.equal(code);
      expect(s.status).to.equal('error');
      expect(s.state.progress).to.equal('loading');
      expect(h.frames).to.have.length(0);
      expect(h.brief()).to.deep.equal([
        ['facesign-error', { code, recoverable: true }],
        ['facesign-fallback', { reason: obstacle, via }],
      ]);
      // the listeners of the fallback saw it being offered
      expect(h.posted[1]).to.include({ status: 'error', phase: 'offering' });
      expect(h.offerUis).to.be.greaterThan(0);
      await flush();
      expect(phaseOf(s, 'offering').stage).to.equal('offered');
      expect(h.names()).to.have.length(2);
    });

  it('the webview setting is what the obstacle check is given; Try again offers the same path, no frame', () => {
    const h = new Harness({ webview: 'own-app' });
    h.fallback = 'none';
    h.obstacle = 'webview_no_camera';
    const s = h.start();
    expect(h.obstacleAsked).to.deep.equal(['own-app']);
    s.retry();
    expect(phaseOf(s, 'interrupted')).to.include({ offer: 'webview_no_camera' });
    expect(h.frames).to.have.length(0);
  });

  it('an obstacle with fallback none → interrupted with the offer, no facesign-fallback; retry() offers it again', () => {
    const h = new Harness();
    h.fallback = 'none';
    h.obstacle = 'insecure';
    const s = h.start();
    const p = phaseOf(s, 'interrupted');
    expect(p.offer).to.equal('insecure');
    expect(p.error.code).to.equal('unsupported_browser');
    expect(s.status).to.equal('error');
    expect(h.brief()).to.deep.equal([['facesign-error', { code: 'unsupported_browser', recoverable: true }]]);
    s.retry();
    expect(phaseOf(s, 'interrupted').offer).to.equal('insecure');
    expect(h.frames).to.have.length(0);
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-error']);
  });

  it('a fallback listener calling preventDefault → interrupted with the offer; continueIn("popup") then shows the popup', () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.target.addEventListener('facesign-fallback', (e) => e.preventDefault());
    const s = h.start();
    const p = phaseOf(s, 'interrupted');
    expect(p.offer).to.equal('insecure');
    expect(p.error.code).to.equal('unsupported_browser');
    expect(p.surface).to.equal(undefined);
    expect(s.status).to.equal('error');
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-fallback']);
    s.continueIn('popup');
    expect(phaseOf(s, 'showing').surface).to.equal(h.popups[0]);
    expect(s.status).to.equal('loading');
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-fallback']);
  });

  it('continueIn("popup") from offering → showing on the popup, init with the popup’s mode', () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    const s = h.start();
    s.continueIn('popup');
    const popup = h.popups[0]!;
    expect(h.opened).to.deep.equal([{ url: s.url, name: `facesign-${s.id}` }]);
    expect(phaseOf(s, 'showing').surface).to.equal(popup);
    expect(h.placed).to.deep.equal([popup]);
    expect(s.state.progress).to.equal('loading');
    expect(s.status).to.equal('loading');
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-fallback']);
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S1, mode: 'popup', lang: 'en', caps: 'camera-codes' })]);
    expect(popup.modes).to.deep.equal(['inline']);
    h.ch.say(message('ready', {}));
    expect(s.status).to.equal('requiresInput');
  });

  it('the popup blocked → offering popup_blocked via redirect, with its own facesign-fallback', () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.popupBlocked = true;
    const s = h.start();
    s.continueIn('popup');
    expect(phaseOf(s, 'offering')).to.include({ stage: 'offered', reason: 'popup_blocked', via: 'redirect', surface: undefined });
    expect(h.brief()).to.deep.equal([
      ['facesign-error', { code: 'unsupported_browser', recoverable: true }],
      ['facesign-fallback', { reason: 'insecure', via: 'popup' }],
      ['facesign-error', { code: 'popup_blocked', recoverable: true }],
      ['facesign-fallback', { reason: 'popup_blocked', via: 'redirect' }],
    ]);
    // asking again for the blocked popup reports it again, and nothing else changes
    const before = s.state;
    s.continueIn('popup');
    expect(h.brief().slice(4)).to.deep.equal([['facesign-error', { code: 'popup_blocked', recoverable: true }]]);
    expect(s.state).to.equal(before);
  });

  it('the popup blocked after fallback became "none": nothing new to offer, so the popup offer stays on the cover, and the error is reported', () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    const s = h.start();
    const offered = phaseOf(s, 'offering');
    h.fallback = 'none';
    h.popupBlocked = true;
    s.continueIn('popup');
    expect(s.phase).to.equal(offered);
    expect(h.brief().slice(2)).to.deep.equal([['facesign-error', { code: 'popup_blocked', recoverable: true }]]);
  });

  it('the popup blocked from inside the facesign-fallback listener → offering popup_blocked with no second facesign-fallback', () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.popupBlocked = true;
    const s = h.make();
    h.target.addEventListener('facesign-fallback', () => s.continueIn('popup'));
    s.start();
    expect(phaseOf(s, 'offering')).to.include({ stage: 'offered', reason: 'popup_blocked', via: 'redirect' });
    expect(h.opened).to.have.length(1);
    expect(h.brief()).to.deep.equal([
      ['facesign-error', { code: 'unsupported_browser', recoverable: true }],
      ['facesign-fallback', { reason: 'insecure', via: 'popup' }],
      ['facesign-error', { code: 'popup_blocked', recoverable: true }],
    ]);
  });

  it('the popup’s module loaded on demand: continueIn("popup") opens it once it is here', async () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.popupLoaded = false;
    const s = h.start();
    s.continueIn('popup');
    phaseOf(s, 'offering');
    await flush();
    expect(h.popupLoads).to.equal(1);
    expect(phaseOf(s, 'showing').surface).to.equal(h.popups[0]);
  });

  it('the popup’s module failing → interrupted network_error; retry() offers the path again, not a frame the obstacle rules out', async () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.popupLoaded = false;
    h.popupLoadFails = true;
    const s = h.start();
    s.continueIn('popup');
    await flush();
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('network_error');
    expect(s.status).to.equal('error');
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'network_error', recoverable: true }]);
    h.popupLoadFails = false;
    s.retry();
    // OBSTACLES (offers.ts): "reasons no frame can overcome here: trying again offers the same path instead of loading a frame"
    expect(h.frames, 'frames made by Try again after an insecure-context obstacle').to.have.length(0);
    expect(phaseOf(s, 'offering').reason).to.equal('insecure');
  });

  it('offerUi() rejecting → interrupted network_error with the offer; retry() offers it again', async () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.offerUiFails = true;
    const s = h.start();
    phaseOf(s, 'offering');
    await flush();
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('network_error');
    expect(p.offer).to.equal('insecure');
    expect(p.surface).to.equal(undefined);
    expect(s.status).to.equal('error');
    expect(h.brief()).to.deep.equal([
      ['facesign-error', { code: 'unsupported_browser', recoverable: true }],
      ['facesign-fallback', { reason: 'insecure', via: 'popup' }],
      ['facesign-error', { code: 'network_error', recoverable: true }],
    ]);
    h.offerUiFails = false;
    s.retry();
    expect(phaseOf(s, 'offering')).to.include({ stage: 'offered', reason: 'insecure', via: 'popup' });
    await flush();
    phaseOf(s, 'offering');
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-fallback', 'facesign-error', 'facesign-error', 'facesign-fallback']);
  });

  it('continueIn("redirect") → away, then leave(url, secret, returnUrl, keys, sessionId)', async () => {
    const h = new Harness({ secret: undefined, returnUrl: 'https://shop.test/back' });
    h.obstacle = 'insecure';
    const s = h.start({ secret: { secret: S1 }, sessionId: 'sess_c' });
    const offering = phaseOf(s, 'offering');
    s.continueIn('redirect');
    const away = phaseOf(s, 'away');
    expect(away.from).to.equal(offering);
    expect(s.status).to.equal('error');
    expect(s.state.progress).to.equal('loading');
    expect(h.redirects).to.equal(1);
    expect(h.leaves).to.deep.equal([]);
    await flush();
    expect(h.leaves).to.deep.equal([[s.url, S1, 'https://shop.test/back', [secretKey(S1)], 'sess_c']]);
    phaseOf(s, 'away');
    expect(h.names()).to.deep.equal(['facesign-error', 'facesign-fallback']);
    // leaving: nothing more can be continued
    s.continueIn('popup');
    s.continueIn('redirect');
    phaseOf(s, 'away');
    expect(h.opened).to.have.length(0);
    expect(h.redirects).to.equal(1);
  });

  it('the default return URL is this page’s origin and path: its query and #fragment never leave with the redirect', async () => {
    const before = location.href;
    // a page whose address carries what no other server should get: a query, and a token in the fragment
    history.replaceState(history.state, '', `${location.pathname}?order=42&fs_result=complete#access_token=tok_abc`);
    try {
      const h = new Harness();
      h.obstacle = 'insecure';
      const s = h.start();
      s.continueIn('redirect');
      await flush();
      expect(h.leaves.map((l) => l[2])).to.deep.equal([`${location.origin}${location.pathname}`]);
    } finally {
      history.replaceState(history.state, '', before);
    }
  });

  it('returnUrl keeps what the merchant put in it, a query included', async () => {
    const h = new Harness({ returnUrl: `${location.origin}/checkout?order=42` });
    h.obstacle = 'insecure';
    const s = h.start();
    s.continueIn('redirect');
    await flush();
    expect(h.leaves.map((l) => l[2])).to.deep.equal([`${location.origin}/checkout?order=42`]);
  });

  it('this page’s CSP refusing the redirect’s form → back to the offering phase with a recoverable redirect_blocked; the departure ends', async () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    const s = h.start();
    const offering = s.phase;
    s.continueIn('redirect');
    await flush();
    expect(h.leaves).to.have.length(1);
    expect(h.departure!.aborted).to.equal(false);
    h.blocked!(new FaceSignError('redirect_blocked', 'form-action', true));
    expect(s.phase).to.equal(offering);
    expect(h.departure!.aborted).to.equal(true);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'redirect_blocked', recoverable: true }]);
    // a second report of the same refusal changes nothing
    h.blocked!(new FaceSignError('redirect_blocked', 'form-action', true));
    expect(h.names().filter((n) => n === 'facesign-error')).to.have.length(2);
  });

  it('the departure ends with the session, and when the tab comes back from the back/forward cache', async () => {
    for (const how of ['close', 'pageshow'] as const) {
      const h = new Harness();
      h.obstacle = 'insecure';
      const s = h.start();
      s.continueIn('redirect');
      await flush();
      if (how === 'close') s.close('closed');
      else window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      expect(h.departure!.aborted, how).to.equal(true);
    }
  });

  it('redirect() rejecting → back to the offering phase with a network_error event', async () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.redirect = 'fail';
    const s = h.start();
    const offering = s.phase;
    s.continueIn('redirect');
    phaseOf(s, 'away');
    await flush();
    expect(s.phase).to.equal(offering);
    expect(s.status).to.equal('error');
    expect(h.leaves).to.deep.equal([]);
    expect(h.brief()).to.deep.equal([
      ['facesign-error', { code: 'unsupported_browser', recoverable: true }],
      ['facesign-fallback', { reason: 'insecure', via: 'popup' }],
      ['facesign-error', { code: 'network_error', recoverable: true }],
    ]);
  });

  it('back from the back/forward cache while the redirect loads → the phase it left from; it does not leave', async () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    h.redirect = 'hold';
    const s = h.start();
    const offering = s.phase;
    s.continueIn('redirect');
    phaseOf(s, 'away');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(s.phase).to.equal(offering);
    h.releaseRedirect!();
    await flush();
    expect(h.leaves).to.deep.equal([]);
    expect(s.phase).to.equal(offering);
  });

  it('continueIn("redirect") with fallback none → refused, no away', () => {
    const h = new Harness();
    h.obstacle = 'insecure';
    const s = h.start();
    const offering = s.phase;
    h.fallback = 'none';
    s.continueIn('redirect');
    expect(s.phase).to.equal(offering);
    expect(h.redirects).to.equal(0);

    const h2 = new Harness();
    h2.obstacle = 'insecure';
    h2.fallback = 'none';
    const s2 = h2.start();
    const interrupted = phaseOf(s2, 'interrupted');
    s2.continueIn('redirect');
    expect(s2.phase).to.equal(interrupted);
    expect(h2.redirects).to.equal(0);
    expect(h2.names()).to.deep.equal(['facesign-error']);
  });

  it('a fallback setting that became invalid → ended error', () => {
    const h = new Harness({
      fallback: () => {
        throw new FaceSignError('invalid_option', 'fallback must be auto, popup, redirect or none');
      },
    });
    h.obstacle = 'insecure';
    const s = h.start();
    expect(phaseOf(s, 'ended').outcome.status).to.equal('error');
    expect(h.brief()).to.deep.equal([['facesign-error', { code: 'invalid_option', recoverable: false }]]);
  });
});

describe('Verification: new secrets for the page', () => {
  it('refreshSecret() → `secret` sent → secret-accepted → one facesign-secret-refresh, the promise resolves', async () => {
    const { h, s } = running();
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    expect(h.fetches).to.deep.equal([{ sessionId: 'sess_1' }]);
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    expect(h.names()).to.deep.equal(['facesign-ready']);
    h.ch.say(message('secret-accepted', {}));
    expect(await p).to.deep.equal({ ok: undefined });
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    expect(s.status).to.equal('requiresInput');
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-secret-refresh', { trigger: 'manual' }],
    ]);
    expect(s.continuation).to.deep.equal({ secret: { secret: S2 }, sessionId: 'sess_1' });
    // a reconnect now carries the new secret
    h.ch.hello();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('init', { secret: S2, mode: 'inline', lang: 'en', caps: 'camera-codes' }));
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-secret-refresh']);
  });

  it('a refresh before the page connected: the first init carries it, and only then is it reported and settled', async () => {
    const h = new Harness();
    const s = h.start();
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    // no page has it yet: nothing to report, nothing settled
    expect(h.brief()).to.deep.equal([]);
    expect(h.ch.sent).to.deep.equal([]);
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S2, mode: 'inline', lang: 'en', caps: 'camera-codes' })]);
    expect(h.brief()).to.deep.equal([['facesign-secret-refresh', { trigger: 'manual' }]]);
    expect(await p).to.deep.equal({ ok: undefined });
  });

  it('the page reporting secret-expired → a refresh (trigger expired)', async () => {
    const { h } = running();
    h.answers.push(S2);
    h.ch.say(message('secret-expired', {}));
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    h.ch.say(message('secret-accepted', {}));
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-refresh', { trigger: 'expired' }]);
  });

  it('secret-rejected → stalled (status unchanged), the promise rejects with secret_rejected', async () => {
    const { h, s } = running();
    const before = s.phase;
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    h.ch.say(message('secret-rejected', { message: 'unknown secret' }));
    const stalled = phaseOf(s, 'stalled');
    expect(stalled.resume).to.equal(before);
    expect(stalled.error.code).to.equal('secret_rejected');
    expect(s.surface).to.equal(h.frames[0]);
    expect(s.status).to.equal('requiresInput');
    expect(s.state.progress).to.equal('requiresInput');
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'secret_rejected', recoverable: true }],
    ]);
    const r = await p;
    expect('error' in r && r.error).to.be.instanceOf(FaceSignError);
    expect('error' in r && (r.error as FaceSignError).code).to.equal('secret_rejected');
  });

  it('no answer within refreshTimeout → stalled with secret_refresh_failed', async () => {
    const { h, s } = running();
    h.settings.timeout = 40;
    h.answers.push(S2);
    const r = await settled(s.refreshSecret());
    expect('error' in r && (r.error as FaceSignError).code).to.equal('secret_refresh_failed');
    const stalled = phaseOf(s, 'stalled');
    expect(stalled.error.code).to.equal('secret_refresh_failed');
    expect(s.status).to.equal('requiresInput');
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'secret_refresh_failed', recoverable: true }],
    ]);
  });

  it('a reconnect’s init while a hand-over waits → the hand-over counts as done', async () => {
    const { h, s } = running();
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    h.ch.hello();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('init', { secret: S2, mode: 'inline', lang: 'en', caps: 'camera-codes' }));
    expect(await p).to.deep.equal({ ok: undefined });
    phaseOf(s, 'showing');
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-secret-refresh', { trigger: 'manual' }],
    ]);
    // a late answer to the hand-over is no second refresh
    h.ch.say(message('secret-accepted', {}));
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-secret-refresh']);
  });

  it('stalled while no page is connected: a new secret ends the stall at once; the next init carries it, and only then is it reported', async () => {
    const { h, s } = running();
    const before = s.phase;
    h.answers.push(S2);
    const first = settled(s.refreshSecret());
    await flush();
    h.ch.say(message('secret-rejected', { message: 'no' }));
    await first;
    phaseOf(s, 'stalled');
    // the page's port is gone (its document replaced, before the loss is judged)
    h.ch.drop();
    h.answers.push(S3);
    const p = settled(s.refreshSecret());
    await flush();
    expect(s.phase).to.equal(before);
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-error']);
    h.ch.hello();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('init', { secret: S3, mode: 'inline', lang: 'en', caps: 'camera-codes' }));
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-refresh', { trigger: 'manual' }]);
    expect(await p).to.deep.equal({ ok: undefined });
  });

  it('a second refresh while the first waits for a page shares it: one request, both settle when the next init carries it', async () => {
    const h = new Harness();
    const s = h.start();
    h.answers.push(S2, S3);
    const a = settled(s.refreshSecret());
    await flush();
    const b = settled(s.refreshSecret());
    await flush();
    expect(h.fetches).to.have.length(1);
    expect(h.brief()).to.deep.equal([]);
    h.ch.hello();
    expect(h.ch.sent).to.deep.equal([message('init', { secret: S2, mode: 'inline', lang: 'en', caps: 'camera-codes' })]);
    expect(h.brief()).to.deep.equal([['facesign-secret-refresh', { trigger: 'manual' }]]);
    expect(await a).to.deep.equal({ ok: undefined });
    expect(await b).to.deep.equal({ ok: undefined });
  });

  it('a stalled session takes a host-supplied secret via takes() → back to the phase it interrupted', async () => {
    const { h, s } = running();
    const before = s.phase;
    expect(s.takes({ secret: S3 }), 'takes while nothing waits').to.equal(false);
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    h.ch.say(message('secret-rejected', { message: 'no' }));
    await p;
    phaseOf(s, 'stalled');
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S3 }));
    phaseOf(s, 'stalled');
    h.ch.say(message('secret-accepted', {}));
    expect(s.phase).to.equal(before);
    expect(s.status).to.equal('requiresInput');
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'secret_rejected', recoverable: true }],
      ['facesign-secret-refresh', { trigger: 'expired' }],
    ]);
    // the refresh event's listeners saw the session back
    expect(h.posted.at(-1)).to.include({ phase: 'showing', status: 'requiresInput' });
  });

  it('retry() from a stall refreshes; accepted → back to the phase it interrupted', async () => {
    const { h, s } = running();
    const before = s.phase;
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    h.ch.say(message('secret-rejected', { message: 'no' }));
    await p;
    h.answers.push(S3);
    s.retry();
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S3 }));
    h.ch.say(message('secret-accepted', {}));
    expect(s.phase).to.equal(before);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-refresh', { trigger: 'manual' }]);
  });

  it('facesign-secret-request handled (no refresh configured) → the host’s secret via takes()', async () => {
    const { h, s } = running();
    h.settings = { ...h.settings, fetchClientSecret: undefined };
    h.target.addEventListener('facesign-secret-request', (e) => e.preventDefault());
    const p = settled(s.refreshSecret());
    await flush();
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-request', { trigger: 'manual' }]);
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S3 }));
    h.ch.say(message('secret-accepted', {}));
    expect(await p).to.deep.equal({ ok: undefined });
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-secret-request', 'facesign-secret-refresh']);
  });

  it('a refresh failing non-recoverably → ended error (the frame closed, the channel gone)', async () => {
    const { h, s, frame } = running();
    h.answers.push(new FaceSignError('session_finished', 'this session is over'));
    const r = await settled(s.refreshSecret());
    expect('error' in r && (r.error as FaceSignError).code).to.equal('session_finished');
    const ended = phaseOf(s, 'ended');
    expect(ended.outcome.status).to.equal('error');
    expect(ended.surface).to.equal(undefined);
    expect(s.status).to.equal('error');
    expect(frame.closes).to.equal(1);
    expect(h.ch.torn).to.equal(true);
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-error', { code: 'session_finished', recoverable: false }],
    ]);
  });
});

describe('Verification: the code that asks for a new secret, on demand', () => {
  it('loaded when the page is ready where a refresh is configured, not before; never where none is', () => {
    const h = new Harness();
    h.secretCodeLoaded = false;
    const s = h.start();
    h.ch.hello();
    expect(h.secretCodeLoads, 'before ready').to.equal(0);
    h.ch.say(message('ready', { sessionId: 'sess_1' }));
    expect(s.status).to.equal('requiresInput');
    expect(h.secretCodeLoads, 'at ready').to.equal(1);

    const none = new Harness();
    none.secretCodeLoaded = false;
    none.settings = { ...none.settings, fetchClientSecret: undefined, refreshUrl: undefined };
    running(none);
    expect(none.secretCodeLoads, 'no refresh configured').to.equal(0);
  });

  it('a refresh while it is still loading waits for it, then asks once and hands the secret over', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeHeld: true }));
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    expect(h.fetches, 'nothing asked before the code is here').to.deep.equal([]);
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
    h.releaseSecretCode!();
    await flush();
    expect(h.fetches).to.deep.equal([{ sessionId: 'sess_1' }]);
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    h.ch.say(message('secret-accepted', {}));
    expect(await p).to.deep.equal({ ok: undefined });
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-refresh', { trigger: 'manual' }]);
  });

  it('it failing to load: the refresh fails, recoverable, saying why; the page goes on; refreshSecret() loads it again and asks', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true }));
    await flush();
    h.answers.push(S2);
    const r = await settled(s.refreshSecret());
    const e = 'error' in r ? (r.error as FaceSignError) : undefined;
    expect(e?.code).to.equal('secret_refresh_failed');
    expect(e?.recoverable).to.equal(true);
    expect(e?.message).to.contain('did not load (503)');
    expect(h.fetches, 'nothing asked').to.deep.equal([]);
    expect(s.surface, 'the page is kept').to.equal(h.frames[0]);
    expect(s.ended).to.equal(false);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'secret_refresh_failed', recoverable: true }]);

    h.secretCodeFails = false;
    const again = settled(s.refreshSecret());
    await flush();
    expect(h.secretCodeLoads, 'at ready, the failed refresh, this one').to.equal(3);
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    h.ch.say(message('secret-accepted', {}));
    expect(await again).to.deep.equal({ ok: undefined });
  });

  it('the first secret waits for it too; it failing → interrupted secret_refresh_failed; retry() loads it again and fetches', async () => {
    const h = Object.assign(new Harness({ noSecret: true }), { secretCodeLoaded: false, secretCodeFails: true });
    h.answers.push(S1);
    const s = h.start();
    phaseOf(s, 'fetching');
    await flush();
    const p = phaseOf(s, 'interrupted');
    expect(p.error.code).to.equal('secret_refresh_failed');
    expect(p.error.message).to.contain('did not load');
    expect(h.fetches).to.deep.equal([]);
    expect(h.brief()).to.deep.equal([['facesign-error', { code: 'secret_refresh_failed', recoverable: true }]]);

    h.secretCodeFails = false;
    s.retry();
    phaseOf(s, 'fetching');
    await flush();
    expect(h.fetches).to.deep.equal([{ sessionId: undefined }]);
    expect(phaseOf(s, 'showing').surface).to.equal(h.frames[0]);
  });

  it('no refresh set: nothing loaded at ready; a refresh loads it, then asks the host page, whose secret is handed over', async () => {
    const h = Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeHeld: true });
    h.settings = { ...h.settings, fetchClientSecret: undefined };
    const { s } = running(h);
    expect(h.secretCodeLoads, 'at ready').to.equal(0);
    h.target.addEventListener('facesign-secret-request', (e) => e.preventDefault());
    const p = settled(s.refreshSecret());
    await flush();
    expect(h.names(), 'not asked before the code is here').to.deep.equal(['facesign-ready']);
    expect(s.takes({ secret: S3 }), 'a secret nobody asked for yet').to.equal(false);
    h.releaseSecretCode!();
    await flush();
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-request', { trigger: 'manual' }]);
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S3 }));
    h.ch.say(message('secret-accepted', {}));
    expect(await p).to.deep.equal({ ok: undefined });
    expect(s.continuation?.secret).to.deep.equal({ secret: S3 });
  });

  it('stalled because it did not load: a secret the host page sets is taken, the code loaded again, the secret handed over, the stall over', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true }));
    const before = s.phase;
    h.answers.push(S2);
    await settled(s.refreshSecret());
    expect(phaseOf(s, 'stalled').error.code).to.equal('secret_refresh_failed');
    h.secretCodeFails = false;
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    expect(h.fetches, 'the host’s secret, not a request').to.deep.equal([]);
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S3 }));
    h.ch.say(message('secret-accepted', {}));
    expect(s.phase).to.equal(before);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-refresh', { trigger: 'expired' }]);
  });

  it('two refreshes while it loads share one: one request, one hand-over, both settle', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeHeld: true }));
    h.answers.push(S2);
    const a = settled(s.refreshSecret());
    const b = settled(s.refreshSecret());
    h.ch.say(message('secret-expired', {}));
    h.releaseSecretCode!();
    await flush();
    expect(h.fetches).to.have.length(1);
    expect(h.ch.sent.filter((m) => m.type === 'secret')).to.have.length(1);
    h.ch.say(message('secret-accepted', {}));
    expect(await a).to.deep.equal({ ok: undefined });
    expect(await b).to.deep.equal({ ok: undefined });
    expect(h.names().filter((n) => n === 'facesign-secret-refresh')).to.have.length(1);
  });

  it('two refreshes while it fails to load: one facesign-error, both reject with it', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true }));
    await flush();
    const [a, b] = await Promise.all([settled(s.refreshSecret()), settled(s.refreshSecret())]);
    expect('error' in a && (a.error as FaceSignError).code).to.equal('secret_refresh_failed');
    expect('error' in b && b.error).to.equal('error' in a && a.error);
    expect(h.names().filter((n) => n === 'facesign-error')).to.have.length(1);
  });

  it('the session ending while it loads: nothing is asked, nothing reported', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeHeld: true }));
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    s.close('user');
    h.releaseSecretCode!();
    await flush();
    expect(h.fetches).to.deep.equal([]);
    expect(await p).to.deep.equal({ ok: undefined });
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-cancel']);
  });

  /** how `p` stands once every pending chain has run: settled, or still 'pending' */
  const standing = <T>(p: Promise<T>) => Promise.race([p, flush().then(() => 'pending' as const)]);

  it('the session ending while it never arrives: refreshSecret() settles all the same, and a late arrival asks nothing', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeHeld: true }));
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    s.close('user');
    expect(await standing(p)).to.deep.equal({ ok: undefined });
    h.releaseSecretCode!();
    await flush();
    expect(h.fetches).to.deep.equal([]);
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-cancel']);
  });

  it('the first secret: the element removed while it never arrives, refreshSecret() settles; a late arrival asks nothing', async () => {
    const h = Object.assign(new Harness({ noSecret: true }), { secretCodeLoaded: false, secretCodeFails: true });
    const s = h.start();
    await flush();
    phaseOf(s, 'interrupted');
    Object.assign(h, { secretCodeFails: false, secretCodeHeld: true });
    h.answers.push(S1);
    const p = settled(s.refreshSecret());
    phaseOf(s, 'fetching');
    s.dispose();
    expect(await standing(p)).to.deep.equal({ ok: undefined });
    h.releaseSecretCode!();
    await flush();
    expect(h.fetches).to.deep.equal([]);
    expect(h.names()).to.deep.equal(['facesign-error']);
  });

  it('it never arriving: the refresh fails within refreshTimeout, recoverable, and is not left waiting forever; once here, Try again asks', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeHeld: true }));
    h.settings = { ...h.settings, timeout: 20 };
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await new Promise((r) => setTimeout(r, 60));
    const r = await standing(p);
    const e = r !== 'pending' && 'error' in r ? (r.error as FaceSignError) : undefined;
    expect(e?.code, 'settled').to.equal('secret_refresh_failed');
    expect(e?.recoverable).to.equal(true);
    expect(e?.message).to.contain('did not load (not within 20ms)');
    expect(phaseOf(s, 'stalled').error).to.equal(e);
    // arriving after the refresh gave up on it: nothing is asked by that refresh
    h.releaseSecretCode!();
    await flush();
    expect(h.fetches).to.deep.equal([]);
    s.retry();
    await flush();
    expect(h.fetches).to.deep.equal([{ sessionId: 'sess_1' }]);
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
  });

  it('the page reporting secret-expired while an early refresh waits for it: that refresh failing stalls the session (the page waits), not only reports', async () => {
    const expireAt = Math.floor(Date.now() / 1000) + 30;
    const h = Object.assign(new Harness({ secret: { secret: S1, expireAt } }), { secretCodeLoaded: false, secretCodeHeld: true });
    const { s } = running(h);
    await flush();
    // within the margin: an early refresh (expiring) began, and waits for the code
    expect(h.secretCodeLoads).to.equal(2);
    h.ch.say(message('secret-expired', {}));
    h.answers.push(new Error('down'));
    h.releaseSecretCode!();
    await flush();
    expect(h.fetches, 'one request for both').to.have.length(1);
    expect(phaseOf(s, 'stalled').error.code).to.equal('secret_refresh_failed');
    expect(h.brief().at(-1)).to.deep.equal(['facesign-error', { code: 'secret_refresh_failed', recoverable: true }]);
  });

  it('a secret the host page sets while Try again waits for the code, which then gives up: that secret is the current one at once, handed over once the code is here, and the stall ends', async () => {
    const h = Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true });
    const { s } = running(h);
    await settled(s.refreshSecret());
    const before = phaseOf(s, 'stalled').resume;
    Object.assign(h, { secretCodeFails: false, secretCodeHeld: true });
    h.settings = { ...h.settings, timeout: 30 };
    const p = settled(s.refreshSecret());
    await flush();
    expect(s.takes({ secret: S3 })).to.equal(true);
    expect(s.continuation?.secret, 'the current secret from now').to.deep.equal({ secret: S3 });
    await new Promise((r) => setTimeout(r, 80));
    const r = await p;
    expect('error' in r && (r.error as FaceSignError).code, 'refreshSecret() says its own refresh failed').to.equal('secret_refresh_failed');
    expect(phaseOf(s, 'stalled').resume, 'the secret is not handed over without the code: the cover stays').to.equal(before);
    // the code arrives: Try again hands the host page's secret over, and the stall is over
    h.releaseSecretCode!();
    h.answers.push(S2);
    s.retry();
    await flush();
    expect(h.ch.sent.filter((m) => m.type === 'secret').at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    h.ch.say(message('secret-accepted', {}));
    expect(s.phase).to.equal(before);
  });

  it('a secret the host page sets while it loads: refresh-url is then sent that secret, the one being replaced, not the one before it', async () => {
    const sent: unknown[] = [];
    const realFetch = window.fetch;
    window.fetch = (_url, init) => {
      sent.push((JSON.parse(String(init?.body)) as { clientSecret: unknown }).clientSecret);
      return Promise.resolve(new Response(JSON.stringify({ clientSecret: S2 }), { headers: { 'content-type': 'application/json' } }));
    };
    try {
      const h = Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true });
      h.settings = { ...h.settings, fetchClientSecret: undefined, refreshUrl: 'https://merchant.test/refresh' };
      const { s } = running(h);
      await settled(s.refreshSecret());
      phaseOf(s, 'stalled');
      Object.assign(h, { secretCodeFails: false, secretCodeHeld: true });
      // Try again waits for the code; meanwhile the host page's own secret comes
      s.retry();
      await flush();
      expect(s.takes({ secret: S3 })).to.equal(true);
      h.releaseSecretCode!();
      await flush();
      expect(sent).to.deep.equal([S3]);
      // the host page's secret, then the one that replaced it: the page takes the last
      expect(h.ch.sent.filter((m) => m.type === 'secret')).to.deep.equal([message('secret', { secret: S3 }), message('secret', { secret: S2 })]);
      h.ch.say(message('secret-accepted', {}));
      phaseOf(s, 'showing');
      expect(s.continuation?.secret).to.deep.equal({ secret: S2 });
    } finally {
      window.fetch = realFetch;
    }
  });
});

describe('Verification: crossings while the code that refreshes is away', () => {
  it('stalled, no page connected: a secret the host page sets reaches the next page by its init, which ends the stall and reports it, the code not here', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true }));
    const before = s.phase;
    await settled(s.refreshSecret());
    phaseOf(s, 'stalled');
    // the page's port is gone (its document replaced); the code still does not load
    h.ch.drop();
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    h.ch.hello();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('init', { secret: S3, mode: 'inline', lang: 'en', caps: 'camera-codes' }));
    expect(s.phase, 'the page has the secret: the stall is over').to.equal(before);
    expect(h.brief().at(-1)).to.deep.equal(['facesign-secret-refresh', { trigger: 'expired' }]);
  });

  it('a secret the host page set during a stall, carried by an init before the code came: the code coming sends it no second time', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true }));
    await settled(s.refreshSecret());
    phaseOf(s, 'stalled');
    Object.assign(h, { secretCodeFails: false, secretCodeHeld: true });
    h.ch.drop();
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    h.ch.hello();
    h.releaseSecretCode!();
    await flush();
    expect(h.ch.sent.filter((m) => m.type === 'secret')).to.deep.equal([]);
    expect(h.names().filter((n) => n === 'facesign-secret-refresh')).to.have.length(1);
  });

  it('a secret the host page set while the code failed to load, replaced by a refresh once it loaded: a later init reports nothing', async () => {
    const { h, s } = running(Object.assign(new Harness(), { secretCodeLoaded: false, secretCodeFails: true }));
    const before = s.phase;
    await settled(s.refreshSecret());
    phaseOf(s, 'stalled');
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    phaseOf(s, 'stalled');
    // Try again, the code here now: a new secret, which the page takes
    h.secretCodeFails = false;
    h.answers.push(S2);
    s.retry();
    await flush();
    expect(h.ch.sent.filter((m) => m.type === 'secret')).to.deep.equal([message('secret', { secret: S2 })]);
    h.ch.say(message('secret-accepted', {}));
    expect(s.phase).to.equal(before);
    const reported = h.names().filter((n) => n === 'facesign-secret-refresh').length;
    // a reconnect: its init carries S2, which the page had already
    h.ch.hello();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('init', { secret: S2, mode: 'inline', lang: 'en', caps: 'camera-codes' }));
    expect(h.names().filter((n) => n === 'facesign-secret-refresh')).to.have.length(reported);
  });
});

describe('Verification: crossings of a refresh, its code here', () => {
  const realNow = clock.now;
  afterEach(() => (clock.now = realNow));

  it('a refresh joining one whose new secret waits for the page’s answer leaves that secret’s early refresh armed', async () => {
    const { h, s } = running();
    const expireAt = Math.floor(Date.now() / 1000) + 3600;
    // the clock put 150ms before the new secret's margin: its early refresh is due then
    const skew = expireAt * 1000 - 60_000 - 150 - Date.now();
    clock.now = () => Date.now() + skew;
    h.answers.push({ secret: S2, expireAt });
    const p = settled(s.refreshSecret());
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    // the page says its secret expired while S2 is on its way: it joins the refresh under way
    h.ch.say(message('secret-expired', {}));
    const q = settled(s.refreshSecret());
    h.ch.say(message('secret-accepted', {}));
    expect(await p).to.deep.equal({ ok: undefined });
    expect(await q).to.deep.equal({ ok: undefined });
    expect(h.fetches).to.have.length(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(h.fetches, 'the early refresh of S2').to.have.length(2);
  });
});

describe('Verification: closing and disposal', () => {
  it('close(reason) → `close` sent, ended canceled, one facesign-cancel', () => {
    const { h, s, frame } = running();
    s.close('closed');
    expect(h.ch.sent.at(-1)).to.deep.equal(message('close', { goodbye: 'cancel' }));
    const ended = phaseOf(s, 'ended');
    expect(ended.outcome).to.deep.equal({ status: 'canceled', reason: 'closed' });
    expect(ended.surface).to.equal(frame);
    expect(s.status).to.equal('canceled');
    expect(frame.endeds).to.equal(1);
    expect(frame.closes).to.equal(0);
    expect(h.posted.at(-1)).to.deep.equal({ type: 'facesign-cancel', detail: { reason: 'closed' }, status: 'canceled', phase: 'ended' });
    s.close('removed');
    s.cancel('removed');
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-cancel']);
    expect(h.ch.types()).to.deep.equal(['init', 'close']);
  });

  it('close(reason) says which goodbye it is: the person or the merchant ending it cancels; a page, element or popup going away, or a restart, leaves the session open', () => {
    const goodbyes: Record<string, string | undefined> = {};
    for (const reason of ['closed', 'escape', 'backdrop', 'close_button', 'hosted_page', 'removed', 'page_hidden', 'replaced', 'popup_closed']) {
      const { h, s } = running();
      s.close(reason);
      const sent = h.ch.sent.at(-1) as { type: string; goodbye?: string };
      expect(sent.type, reason).to.equal('close');
      goodbyes[reason] = sent.goodbye;
      // a page of this session that says hello after the end is told the same goodbye, never a secret
      h.ch.hello();
      expect(h.ch.sent.at(-1), `${reason}: a late hello`).to.deep.equal(message('close', { goodbye: sent.goodbye }));
      expect(
        h.ch.types().filter((t) => t === 'init'),
        reason,
      ).to.have.length(1);
    }
    expect(goodbyes).to.deep.equal({
      closed: 'cancel',
      escape: 'cancel',
      backdrop: 'cancel',
      close_button: 'cancel',
      hosted_page: 'cancel',
      removed: 'leave',
      page_hidden: 'leave',
      replaced: 'leave',
      popup_closed: 'leave',
    });
  });

  it('close() while a hand-over waits → one facesign-cancel and no facesign-secret-refresh; refreshSecret() settles', async () => {
    const { h, s } = running();
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    expect(h.ch.sent.at(-1)).to.deep.equal(message('secret', { secret: S2 }));
    s.close('closed');
    await p;
    // the page never confirmed the secret: no refresh happened
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-cancel']);
  });

  it('close() while a stalled session’s hand-over waits → straight to ended, no render of the resumed phase', async () => {
    const { h, s } = running();
    h.answers.push(S2);
    const p = settled(s.refreshSecret());
    await flush();
    h.ch.say(message('secret-rejected', { message: 'no' }));
    await p;
    expect(s.takes({ secret: S3 })).to.equal(true);
    await flush();
    const renders = h.renders.length;
    s.close('closed');
    expect(h.renders.slice(renders).map((r) => r.phase.name)).to.deep.equal(['ended']);
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-error', 'facesign-cancel']);
  });

  it('dispose("linger") releases the frame; a `canceled` from the disposing page disposes it', () => {
    const { h, s, frame } = running();
    s.close('closed');
    const renders = h.renders.length;
    s.dispose('linger');
    expect(frame.releases).to.equal(1);
    expect(s.disposing).to.equal(true);
    expect(s.disposed).to.equal(false);
    expect(h.ch.torn).to.equal(false);
    expect(h.renders).to.have.length(renders + 1);
    // on its way out already: nothing changes
    s.dispose('linger');
    expect(frame.releases).to.equal(1);
    // stale messages are dropped; its `canceled` says it handled `close`
    h.ch.say(message('resize', { height: 100 }));
    h.ch.say(message('completed', { sessionId: 'sess_1' }));
    expect(h.resized).to.deep.equal([]);
    h.ch.say(message('canceled', { reason: 'closed_by_host' }));
    expect(s.disposed).to.equal(true);
    expect(s.disposing).to.equal(false);
    expect(frame.closes).to.equal(1);
    expect(h.ch.torn).to.equal(true);
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-cancel']);
  });

  it('dispose("linger"): the surface’s gone() disposes; a popup (no box) is disposed at once', () => {
    const a = running();
    a.s.close('closed');
    a.s.dispose('linger');
    a.frame.gone!();
    expect(a.s.disposed).to.equal(true);
    expect(a.frame.closes).to.equal(1);

    const h = new Harness();
    h.obstacle = 'insecure';
    const s = h.start();
    s.continueIn('popup');
    s.close('closed');
    s.dispose('linger');
    expect(h.popups[0]!.releases).to.equal(0);
    expect(h.popups[0]!.closes).to.equal(1);
    expect(s.disposed).to.equal(true);
  });
});

describe('Verification: the outbox orders events', () => {
  it('a facesign-ready listener that closes: the cancel comes after every ready listener, which all saw the committed state', () => {
    const h = new Harness();
    const s = h.start();
    const order: string[] = [];
    h.target.addEventListener('facesign-ready', () => {
      order.push(`ready-1 ${s.status}`);
      s.close('closed');
      order.push(`ready-1 after close: ${s.status}`);
    });
    h.target.addEventListener('facesign-ready', () => order.push(`ready-2 ${s.status}`));
    h.target.addEventListener('facesign-cancel', () => order.push('cancel'));
    h.ch.hello();
    h.ch.say(message('ready', {}));
    expect(order).to.deep.equal(['ready-1 requiresInput', 'ready-1 after close: canceled', 'ready-2 canceled', 'cancel']);
    expect(h.names()).to.deep.equal(['facesign-ready', 'facesign-cancel']);
  });

  it('a facesign-cancel listener that starts another session posting an error: the error comes after every cancel listener', () => {
    const { h, s } = running();
    const order: string[] = [];
    let other: Verification | undefined;
    h.target.addEventListener('facesign-cancel', () => {
      order.push('cancel-1');
      h.invalid = new FaceSignError('invalid_client_secret', 'clientSecret is missing');
      other = h.make();
      other.start();
      order.push(`other ${other.status}`);
    });
    h.target.addEventListener('facesign-cancel', () => order.push('cancel-2'));
    h.target.addEventListener('facesign-error', () => order.push('error'));
    s.close('replaced');
    expect(order).to.deep.equal(['cancel-1', 'other error', 'cancel-2', 'error']);
    expect(h.brief()).to.deep.equal([
      ['facesign-ready', {}],
      ['facesign-cancel', { reason: 'replaced' }],
      ['facesign-error', { code: 'invalid_client_secret', recoverable: false }],
    ]);
    expect(other!.ended).to.equal(true);
  });
});
