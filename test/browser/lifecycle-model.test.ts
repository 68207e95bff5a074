/**
 * Generated lifecycles (fast-check model-based commands): random sequences over one and two elements, inline or
 * modal, of the things a page and a hosted page do to a session, each checked against a small model after every
 * step: exactly one terminal event per session that ended (never none after a close, never two), nothing after
 * it but `facesign-close`, the status the model says, no iframe once an element is gone or its session disposed,
 * and no interval (heartbeat, popup poll) left once the elements are gone.
 * Seeded: a failure prints the shrunk sequence and its seed (FACESIGN_MODEL_SEED replays it); the number of
 * sequences is FACESIGN_MODEL_RUNS (300 by default).
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { timing } from '../../src/session/watch.js';
import type { FaceSignVerifyElement } from '../../src/element.js';
import { TERMINAL, cleanup, hostedUrl, tick, trackTimers } from './helpers.js';
import { commandWindow, postWindow } from './fixture.js';

const cfg = globalThis as { FACESIGN_MODEL_RUNS?: number; FACESIGN_MODEL_SEED?: number };

type Phase = 'none' | 'running' | 'ended';
interface ElementModel {
  attached: boolean;
  mode: 'inline' | 'modal';
  phase: Phase;
  /** the hosted page connected (only after a Ready step: loads are not timed by the model) */
  ready: boolean;
  /** how the session ended */
  ended?: 'complete' | 'canceled' | 'error';
  /** the frame is gone and a popup is offered on the cover (camera blocked) */
  offered?: boolean;
  terminals: number;
}
interface Model {
  els: ElementModel[];
}
interface Real {
  els: FaceSignVerifyElement[];
  events: { type: string; detail: unknown }[][];
  parents: HTMLElement[];
}

let secrets = 0;
const newSecret = () => `vs_model_${Date.now().toString(36)}_${secrets++}`;
const frameWin = (el: FaceSignVerifyElement) => el.shadowRoot?.querySelector('iframe')?.contentWindow;
const terminalsOf = (ev: Real['events'][number]) =>
  ev.filter((e) => TERMINAL.includes(e.type) && !(e.type === 'facesign-error' && (e.detail as { recoverable: boolean }).recoverable)).length;

/** A step of the sequence: what it applies to the model and the page, then the checks. */
abstract class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly i: number) {}
  abstract check(m: Readonly<Model>): boolean;
  abstract act(m: Model, r: Real): Promise<void> | void;
  abstract toString(): string;
  async run(m: Model, r: Real): Promise<void> {
    const before = r.events.map((e) => e.length);
    const wasEnded = m.els.map((e) => e.phase === 'ended' || e.phase === 'none');
    await this.act(m, r);
    await Promise.all(r.els.map((el) => el.updateComplete));
    m.els.forEach((em, k) => {
      const ev = r.events[k]!;
      const el = r.els[k]!;
      expect(terminalsOf(ev), `element ${k}: terminal events`).to.equal(em.terminals);
      // after a terminal event: only facesign-close, unless this step started a new session
      if (wasEnded[k] && em.phase !== 'running')
        expect(
          ev
            .slice(before[k])
            .filter((e) => e.type !== 'facesign-close')
            .map((e) => e.type),
          `element ${k}: events after the end`,
        ).to.deep.equal([]);
      if (!em.attached) expect(el.shadowRoot?.querySelector('iframe') ?? null, `element ${k}: iframe after removal`).to.equal(null);
      if (em.attached && em.phase === 'ended') expect(el.status, `element ${k}: status`).to.equal(em.ended);
      if (em.attached && em.phase === 'running' && em.ready) expect(el.status, `element ${k}: status`).to.be.oneOf(['requiresInput', 'processing']);
      if (em.attached && em.phase === 'running' && !em.ready)
        expect(el.status, `element ${k}: status`).to.not.be.oneOf(['idle', 'complete', 'canceled']);
    });
  }
}

/** The model's side of ending a running session with one terminal event. */
function end(em: ElementModel, how: ElementModel['ended']): void {
  if (em.phase !== 'running') return;
  em.terminals++;
  em.phase = 'ended';
  em.ended = how;
  em.ready = false;
  em.offered = false;
}
/** The model's side of starting one (a new secret, retry, re-append). */
function begin(em: ElementModel): void {
  if (em.mode === 'modal' && !em.attached) return;
  em.phase = 'running';
  em.ready = false;
  em.offered = false;
  em.ended = undefined;
}

class NewSecret extends Step {
  check = (m: Readonly<Model>) => m.els[this.i]!.attached && (m.els[this.i]!.mode === 'inline' || m.els[this.i]!.phase === 'running');
  act(m: Model, r: Real) {
    const em = m.els[this.i]!;
    end(em, 'canceled');
    begin(em);
    r.els[this.i]!.clientSecret = newSecret();
  }
  toString = () => `NewSecret(${this.i})`;
}
class Open extends Step {
  check = (m: Readonly<Model>) => m.els[this.i]!.attached && m.els[this.i]!.mode === 'modal' && m.els[this.i]!.phase !== 'running';
  act(m: Model, r: Real) {
    begin(m.els[this.i]!);
    const el = r.els[this.i]!;
    // a new secret: a completed modal's secret is spent (a stale open does not reload it)
    el.clientSecret = newSecret();
    el.open = true;
  }
  toString = () => `Open(${this.i})`;
}
class SetOpenFalse extends Step {
  check = (m: Readonly<Model>) => m.els[this.i]!.mode === 'modal' && m.els[this.i]!.attached;
  act(m: Model, r: Real) {
    end(m.els[this.i]!, 'canceled');
    r.els[this.i]!.open = false;
  }
  toString = () => `OpenFalse(${this.i})`;
}
class Close extends Step {
  check = () => true;
  act(m: Model, r: Real) {
    if (m.els[this.i]!.attached) end(m.els[this.i]!, 'canceled');
    r.els[this.i]!.close();
  }
  toString = () => `Close(${this.i})`;
}
class Remove extends Step {
  check = (m: Readonly<Model>) => m.els[this.i]!.attached;
  act(m: Model, r: Real) {
    const em = m.els[this.i]!;
    end(em, 'canceled');
    em.attached = false;
    em.phase = 'none';
    r.els[this.i]!.remove();
  }
  toString = () => `Remove(${this.i})`;
}
class Append extends Step {
  constructor(
    i: number,
    readonly parent: number,
  ) {
    super(i);
  }
  check = (m: Readonly<Model>) => !m.els[this.i]!.attached;
  act(m: Model, r: Real) {
    const em = m.els[this.i]!;
    em.attached = true;
    if (em.mode === 'inline') begin(em);
    r.parents[this.parent]!.append(r.els[this.i]!);
  }
  toString = () => `Append(${this.i}, parent ${this.parent})`;
}
class Move extends Step {
  constructor(
    i: number,
    readonly parent: number,
  ) {
    super(i);
  }
  check = (m: Readonly<Model>) => m.els[this.i]!.attached;
  act(m: Model, r: Real) {
    const em = m.els[this.i]!;
    end(em, 'canceled');
    em.phase = 'none';
    if (em.mode === 'inline') begin(em);
    r.parents[this.parent]!.append(r.els[this.i]!);
  }
  toString = () => `Move(${this.i}, parent ${this.parent})`;
}
class PageHide extends Step {
  check = () => true;
  act(m: Model) {
    for (const em of m.els) if (em.attached) end(em, 'canceled');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
  }
  toString = () => `PageHide`;
}
class Retry extends Step {
  check = (m: Readonly<Model>) => m.els[this.i]!.attached && m.els[this.i]!.mode === 'inline';
  act(m: Model, r: Real) {
    const em = m.els[this.i]!;
    end(em, 'canceled');
    begin(em);
    r.els[this.i]!.retry();
  }
  toString = () => `Retry(${this.i})`;
}
class Ready extends Step {
  check = (m: Readonly<Model>) => m.els[this.i]!.attached && m.els[this.i]!.phase === 'running' && !m.els[this.i]!.ready;
  async act(m: Model, r: Real) {
    const el = r.els[this.i]!;
    if (el.status !== 'requiresInput') await new Promise((res) => el.addEventListener('facesign-ready', res, { once: true }));
    m.els[this.i]!.ready = true;
  }
  toString = () => `Ready(${this.i})`;
}
/** The hosted page says something over its port (the fixture acknowledges once it has sent it). */
class Hosted extends Step {
  constructor(
    i: number,
    readonly what: 'step' | 'completed' | 'canceled' | 'error' | 'fatal' | 'expired' | 'busy' | 'away' | 'camera',
  ) {
    super(i);
  }
  check = (m: Readonly<Model>) => m.els[this.i]!.attached && m.els[this.i]!.phase === 'running' && m.els[this.i]!.ready;
  async act(m: Model, r: Real) {
    const em = m.els[this.i]!;
    const el = r.els[this.i]!;
    const win = () => frameWin(el);
    const send = (method: string, args: unknown[]) => commandWindow(win, { do: 'send', method, args });
    switch (this.what) {
      case 'step':
        return send('step', ['n1', 'conversation']);
      case 'completed':
        end(em, 'complete');
        await send('completed', ['fs_session_model']);
        return void (await waitTerminal(r, this.i, em.terminals));
      case 'canceled':
        end(em, 'canceled');
        await send('canceled', ['user_canceled']);
        return void (await waitTerminal(r, this.i, em.terminals));
      case 'error':
        return send('error', ['network_error', 'a hiccup', true]);
      case 'fatal':
        end(em, 'error');
        // the frame goes with a non-recoverable error: no acknowledgement to wait for
        postWindow(win()!, { do: 'send', method: 'error', args: ['session_finished', 'over', false] });
        return void (await waitTerminal(r, this.i, em.terminals));
      case 'expired':
        // no refresh configured: a facesign-secret-request nobody handles, then a recoverable secret_expired
        await send('secretExpired', []);
        return void (await until(() => r.events[this.i]!.some((e) => (e.detail as { code?: string })?.code === 'secret_expired')));
      case 'busy':
        // longer than a ping period, shorter than the silence that means lost
        await commandWindow(win, { do: 'busy', ms: timing.pingEvery * 2 });
        return void (await tick(timing.pingEvery * 2));
      case 'camera':
        // the hosted page finds its camera blocked: the frame goes, a popup is offered on the cover
        em.ready = false;
        em.offered = true;
        postWindow(win()!, { do: 'send', method: 'error', args: ['camera_blocked', 'blocked here', true] });
        await until(() => r.events[this.i]!.some((e) => e.type === 'facesign-fallback'));
        // (a replaced session's frame may still linger, hidden, for its page to handle `close`)
        return void expect(el.shadowRoot!.querySelector('iframe:not(.lingering)'), 'no frame after camera_blocked').to.equal(null);
      case 'away': {
        // navigated elsewhere: lost (recoverable) after the hello grace
        postWindow(win()!, { do: 'navigate', url: `${location.origin}/test/fixtures/merchant-page.html` });
        em.ready = false;
        await until(() => r.events[this.i]!.some((e) => (e.detail as { code?: string })?.code === 'hosted_page_lost'));
        return;
      }
    }
  }
  toString = () => `Hosted(${this.i}, ${this.what})`;
}

/** The popup offered on the cover, and the browser blocking it: popup_blocked, the redirect offered instead. */
class PopupBlocked extends Step {
  check = (m: Readonly<Model>) => m.els[this.i]!.attached && m.els[this.i]!.phase === 'running' && !!m.els[this.i]!.offered;
  act(_m: Model, r: Real) {
    const real = window.open;
    window.open = () => null;
    try {
      r.els[this.i]!.continueIn('popup');
    } finally {
      window.open = real;
    }
    const last = r.events[this.i]!.filter((e) => e.type === 'facesign-fallback').at(-1);
    expect(last?.detail, 'the redirect offered').to.deep.equal({ reason: 'popup_blocked', via: 'redirect' });
  }
  toString = () => `PopupBlocked(${this.i})`;
}

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await tick(5);
  if (!ok()) throw new Error('timed out');
}
const waitTerminal = (r: Real, i: number, n: number) => until(() => terminalsOf(r.events[i]!) >= n);

const NAMES = ['ready', 'start', 'step', 'complete', 'cancel', 'error', 'close', 'fallback'].map((n) => `facesign-${n}`);

describe('generated lifecycles (model-based)', () => {
  afterEach(cleanup);

  it('every sequence keeps one terminal event per session, nothing after it, and nothing alive after removal', async function () {
    const runs = cfg.FACESIGN_MODEL_RUNS ?? 300;
    this.timeout(Math.max(120_000, runs * 4000));
    const saved = { ...timing };
    // the watch on a short clock, so a busy or lost page plays out within a step
    Object.assign(timing, { helloAfterLoad: 400, pingEvery: 100, silence: 800 });
    const idx = fc.integer({ min: 0, max: 1 });
    const steps = [
      idx.map((i) => new NewSecret(i)),
      idx.map((i) => new Open(i)),
      idx.map((i) => new SetOpenFalse(i)),
      idx.map((i) => new Close(i)),
      idx.map((i) => new Remove(i)),
      fc.tuple(idx, idx).map(([i, p]) => new Append(i, p)),
      fc.tuple(idx, idx).map(([i, p]) => new Move(i, p)),
      fc.constant(new PageHide(0)),
      idx.map((i) => new Retry(i)),
      idx.map((i) => new Ready(i)),
      idx.map((i) => new Ready(i)),
      fc
        .tuple(
          idx,
          fc.constantFrom('step', 'completed', 'canceled', 'error', 'fatal', 'expired', 'busy', 'away', 'camera') as fc.Arbitrary<Hosted['what']>,
        )
        .map(([i, w]) => new Hosted(i, w)),
      idx.map((i) => new PopupBlocked(i)),
    ];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(fc.constantFrom('inline', 'modal'), fc.constantFrom('inline', 'modal')),
          fc.commands(steps, { maxCommands: 8 }),
          async (modes, cmds) => {
            const timers = trackTimers();
            const parents = [0, 1].map(() => document.body.appendChild(document.createElement('div')));
            const events: Real['events'] = [[], []];
            const els = modes.map((mode, k) => {
              const el = document.createElement('facesign-verify');
              el.verifyUrl = hostedUrl();
              el.mode = mode;
              el.clientSecret = newSecret();
              for (const n of NAMES) el.addEventListener(n, (e) => events[k]!.push({ type: e.type, detail: (e as CustomEvent).detail }));
              if (mode === 'modal') el.open = true;
              parents[k]!.append(el);
              return el;
            });
            const model: Model = {
              els: modes.map((mode) => ({ attached: true, mode, phase: 'running', ready: false, terminals: 0 })),
            };
            try {
              await Promise.all(els.map((el) => el.updateComplete));
              await fc.asyncModelRun(() => ({ model, real: { els, events, parents } }), cmds);
            } finally {
              for (const el of els) el.remove();
              for (const p of parents) p.remove();
              timers.restore();
            }
            // nothing of ours is left: no iframe in any element, none in the page, no interval (heartbeat, popup poll)
            for (const el of els) expect(el.shadowRoot?.querySelector('iframe') ?? null).to.equal(null);
            expect(document.querySelectorAll('iframe').length).to.equal(0);
            expect(timers.live('interval'), 'intervals left').to.equal(0);
          },
        ),
        { numRuns: runs, seed: cfg.FACESIGN_MODEL_SEED, verbose: 1, includeErrorInReport: true },
      );
    } finally {
      Object.assign(timing, saved);
    }
  });
});
