/**
 * The fakes the session's unit tests drive it with (no iframe, no channel, no element): a fake host (an Outbox over
 * a plain EventTarget that records every event, fixed inputs, a fake fetchClientSecret, renders counted), fake
 * surfaces with the frame's, the popup's and the phone relay's policies, and a fake channel the test drives by hand
 * (its hello, the page's messages), as penpal's MockMessenger is driven.
 */
import { expect } from '@open-wc/testing';
import { Verification } from '../../src/session/verification.js';
import type { Continuation, SessionHost, SessionInputs, SessionParts } from '../../src/session/host.js';
import type { HostChannel, HostChannelOptions } from '../../src/session/host-channel.js';
import type { RefreshSettings } from '../../src/session/refresh-settings.js';
import type { Phase, SessionState } from '../../src/session/state.js';
import type { Reach } from '../../src/session/host.js';
import { timing } from '../../src/session/watch.js';
import type { OnTrouble, Surface, SurfaceEvents } from '../../src/surfaces/surface.js';
import type { FaceSignFallback } from '../../src/surfaces/fallback.js';
import type { FaceSignCrossDevice } from '../../src/surfaces/handoff.js';
import { checkCrossDevice } from '../../src/element/options.js';
import type { Departure } from '../../src/surfaces/redirect.js';
import { Outbox } from '../../src/base/outbox.js';
import type { BrowserObstacle } from '../../src/base/events.js';
import type { ClientSecretInput } from '../../src/base/client-secret.js';
import { FaceSignError } from '../../src/protocol/errors.js';
import * as refreshCode from '../../src/session/secret-refresh.js';
import { message, type FrameMessage, type HostMessage } from '../../src/protocol/messages.js';

export const S1 = 'vs_first_secret_0001';
export const S2 = 'vs_second_secret_0002';
export const S3 = 'vs_host_secret_0003';
export const BASE = 'https://verify.test/v';
export const ORIGIN = 'https://verify.test';

/** One event as dispatched, with what its listeners saw of the session. */
export interface Rec {
  type: string;
  detail: Record<string, unknown>;
  status?: string;
  phase?: string;
}

/** Lets every pending promise chain run (a macrotask comes after all microtasks): no timing involved. */
export const flush = () => new Promise<void>((r) => setTimeout(r, 0));

/** The policies a surface decides (surface.ts). */
export interface Policy {
  whenLost: OnTrouble;
  whenTimedOut: OnTrouble;
  whenCameraBlocked: OnTrouble | undefined;
  shownIn: 'element' | 'window' | 'phone';
  requires?: string;
}
export const FRAME: Policy = {
  whenLost: { interrupt: true },
  whenTimedOut: { interrupt: true },
  whenCameraBlocked: { offer: 'camera_blocked' },
  shownIn: 'element',
};
export const POPUP: Policy = {
  whenLost: { offer: 'hosted_page_lost' },
  whenTimedOut: { offer: 'hosted_page_lost' },
  whenCameraBlocked: undefined,
  shownIn: 'window',
};

/** the phone's relay: a hidden frame on the computer (src/surfaces/handoff.ts) */
export const RELAY: Policy = {
  whenLost: { interrupt: true },
  whenTimedOut: { interrupt: true },
  whenCameraBlocked: undefined,
  shownIn: 'phone',
  requires: 'handoff',
};

export class FakeSurface implements Surface {
  readonly whenLost: OnTrouble;
  readonly whenTimedOut: OnTrouble;
  readonly whenCameraBlocked: OnTrouble | undefined;
  readonly shownIn: 'element' | 'window' | 'phone';
  readonly requires?: string;
  visible = true;
  closes = 0;
  endeds = 0;
  releases = 0;
  focuses = 0;
  gone?: () => void;
  /** the element modes initMode was asked about */
  readonly modes: string[] = [];
  /** what it reports as delegated to its page and usable there */
  usable = '';

  constructor(
    readonly kind: 'frame' | 'popup' | 'relay',
    readonly url: string,
    /** what the session gave it to report with */
    readonly events: SurfaceEvents,
  ) {
    const p = kind === 'frame' ? FRAME : kind === 'popup' ? POPUP : RELAY;
    this.requires = p.requires;
    this.whenLost = p.whenLost;
    this.whenTimedOut = p.whenTimedOut;
    this.whenCameraBlocked = p.whenCameraBlocked;
    this.shownIn = p.shownIn;
  }

  get holdsBox(): boolean {
    return this.shownIn === 'element' && this.closes === 0;
  }

  initMode(elementMode: string): string {
    this.modes.push(elementMode);
    return this.shownIn === 'window' ? 'popup' : this.shownIn === 'phone' ? 'handoff' : elementMode;
  }
  delegated(): string {
    return this.usable;
  }
  sentBy(): boolean {
    return false;
  }
  place(): void {}
  focus(): void {
    this.focuses++;
  }
  retitle(): void {}
  release(gone: () => void): void {
    this.releases++;
    this.visible = false;
    this.gone = gone;
  }
  ended(): void {
    this.endeds++;
  }
  close(): void {
    this.closes++;
    this.visible = false;
  }
}

/** The host end of the channel, driven by the test: it says hello and the page's messages; it records what is sent. */
export class FakeChannel implements HostChannel {
  /** every message that reached the page */
  readonly sent: HostMessage[] = [];
  /** sends refused (not connected, dropped, torn down) */
  readonly refused: HostMessage[] = [];
  connected = false;
  drops = 0;

  constructor(readonly o: HostChannelOptions) {}

  get torn(): boolean {
    return this.o.signal.aborted;
  }
  send(m: HostMessage): boolean {
    if (!this.connected || this.torn) return (this.refused.push(m), false);
    this.sent.push(m);
    return true;
  }
  drop(): void {
    this.drops++;
    this.connected = false;
  }
  /** the current surface's page says hello: a port, then onConnect */
  hello(caps?: string): void {
    if (this.torn) return;
    this.connected = true;
    this.o.onConnect(message('hello', { channel: this.o.channel, ...(caps && { caps }) }));
  }
  /** the page says `m` over the port */
  say(m: FrameMessage): void {
    if (!this.connected || this.torn) throw new Error(`the fake page cannot say ${m.type}: not connected`);
    this.o.onMessage(m);
  }
  types(): string[] {
    return this.sent.map((m) => m.type);
  }
}

export type Leave = (d: Departure, blocked: (e: FaceSignError) => void, signal: AbortSignal) => void;
/** what a departure was given, in order: base, secret, returnUrl, keys, sessionId */
export type Left = [string, string, string, string[], string | undefined];
export type Answer = string | ClientSecretInput | Error;

export const made: Harness[] = [];

/** The fake host and the fake parts of one session, and what the world around it does (the test changes it). */
export class Harness implements SessionHost {
  /** the element stand-in: every event it dispatches is recorded first, with what its listeners see of the session */
  readonly target = new (class extends EventTarget {
    constructor(readonly record: (e: Event) => void) {
      super();
    }
    override dispatchEvent(e: Event): boolean {
      this.record(e);
      return super.dispatchEvent(e);
    }
  })((e) =>
    this.posted.push({
      type: e.type,
      detail: (e as CustomEvent).detail as Record<string, unknown>,
      status: this.session?.status,
      phase: this.session?.phase.name,
    }),
  );
  readonly events = new Outbox(this.target);
  readonly posted: Rec[] = [];
  /** session.state at each update() */
  readonly renders: SessionState[] = [];
  readonly placed: Surface[] = [];
  readonly frames: FakeSurface[] = [];
  readonly popups: FakeSurface[] = [];
  readonly channels: FakeChannel[] = [];
  readonly opened: { url: string; name: string }[] = [];
  readonly leaves: Left[] = [];
  /** the last departure's: this page's CSP refused its form; and its lifetime */
  blocked?: (e: FaceSignError) => void;
  departure?: AbortSignal;
  readonly fetches: { sessionId?: string }[] = [];
  readonly resized: number[] = [];
  readonly closeRequests: string[] = [];
  offerUis = 0;
  redirects = 0;
  popupLoads = 0;
  session?: Verification;

  // the world
  inputs: SessionInputs;
  /** readInputs throws it */
  invalid?: FaceSignError;
  fallback: FaceSignFallback = 'auto';
  obstacle?: BrowserObstacle;
  /** the webview setting each obstacle check was given */
  readonly obstacleAsked: string[] = [];
  popupLoaded = true;
  popupBlocked = false;
  popupLoadFails = false;
  offerUiFails = false;
  /** the relay frames the handoff made (its surface on the computer), and its UI's loads */
  readonly relays: FakeSurface[] = [];
  handoffUis = 0;
  handoffUiFails = false;
  /** the handoff's module (its relay surface with it) is here */
  handoffLoaded = true;
  /** this browser is a computer (cross-device "force" offers the phone there) */
  computer = true;
  crossDevice: FaceSignCrossDevice | 'bad' = 'auto';
  /** what the hosted page's server answers when asked whether it is there */
  reach: Reach = 'reachable';
  readonly reachAsked: string[] = [];
  redirect: 'ok' | 'fail' | 'hold' = 'ok';
  /** the refresh's code (on demand): here; its load failing; held (`releaseSecretCode` releases every held load); its loads */
  secretCodeLoaded = true;
  secretCodeFails = false;
  secretCodeHeld = false;
  secretCodeLoads = 0;
  releaseSecretCode?: () => void;
  /** the held redirect chunk: resolve it */
  releaseRedirect?: () => void;
  /** fetchClientSecret's next answers, in order */
  readonly answers: Answer[] = [];
  settings: RefreshSettings;

  readonly parts: SessionParts;

  /** `handoff`: the build can continue on the phone (the element's ESM build); without it, as the script tag */
  constructor(o: Partial<SessionInputs> & { noSecret?: boolean; handoff?: boolean } = {}) {
    made.push(this);
    this.inputs = {
      secret: o.noSecret ? undefined : { secret: S1 },
      hostedPage: () => ({ base: BASE, origin: ORIGIN }),
      mode: 'inline',
      lang: 'en',
      loadTimeout: 60_000,
      fallback: () => this.fallback,
      webview: 'refuse',
      delegate: [],
      crossDevice: () => checkCrossDevice(this.crossDevice),
      ...o,
    };
    this.settings = {
      fetchClientSecret: (ctx) => {
        this.fetches.push({ sessionId: ctx.sessionId });
        const a = this.answers.shift();
        if (a === undefined) return new Promise(() => {});
        return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
      },
      margin: 60,
      timeout: 1000,
      retries: 0,
      retryDelay: 1,
      credentials: 'same-origin',
    };
    const opener = (url: string, name: string, events: SurfaceEvents) => {
      this.opened.push({ url, name });
      if (this.popupBlocked) return undefined;
      const p = new FakeSurface('popup', url, events);
      this.popups.push(p);
      return p;
    };
    this.parts = {
      frame: (url, _origin, _title, events) => {
        const f = new FakeSurface('frame', url, events);
        this.frames.push(f);
        return f;
      },
      popup: {
        now: () => (this.popupLoaded ? opener : undefined),
        load: () => {
          this.popupLoads++;
          if (this.popupLoadFails) return Promise.reject(new Error('503'));
          this.popupLoaded = true;
          return Promise.resolve(opener);
        },
      },
      redirect: () => {
        this.redirects++;
        const leave: Leave = (d, blocked, signal) => {
          this.leaves.push([d.base, d.secret, d.returnUrl, d.keys, d.sessionId]);
          this.blocked = blocked;
          this.departure = signal;
        };
        if (this.redirect === 'fail') return Promise.reject(new Error('503'));
        if (this.redirect === 'hold') return new Promise((r) => (this.releaseRedirect = () => r(leave)));
        return Promise.resolve(leave);
      },
      secrets: {
        now: () => (this.secretCodeLoaded ? refreshCode : undefined),
        load: () => {
          this.secretCodeLoads++;
          if (this.secretCodeFails) return Promise.reject(new Error('503'));
          // as a browser's one module fetch: every load still held arrives with the release
          return new Promise((r) => {
            const before = this.releaseSecretCode;
            this.releaseSecretCode = () => (before?.(), (this.secretCodeLoaded = true), r(refreshCode));
            if (!this.secretCodeHeld) this.releaseSecretCode();
          });
        },
      },
      offerUi: () => {
        this.offerUis++;
        return this.offerUiFails ? Promise.reject(new Error('503')) : Promise.resolve({});
      },
      openChannel: (opts) => {
        const c = new FakeChannel(opts);
        this.channels.push(c);
        return c;
      },
      obstacle: (webview) => (this.obstacleAsked.push(webview), this.obstacle),
      handoff: !o.handoff
        ? undefined
        : {
            surface: (url, _origin, _title, events) => {
              if (!this.handoffLoaded) return undefined;
              const r = new FakeSurface('relay', url, events);
              this.relays.push(r);
              return r;
            },
            ui: () => {
              this.handoffUis++;
              if (this.handoffUiFails) return Promise.reject(new Error('503'));
              this.handoffLoaded = true;
              return Promise.resolve({});
            },
            onComputer: () => this.computer,
          },
      reach: (url) => {
        this.reachAsked.push(url);
        return Promise.resolve(this.reach);
      },
    };
  }

  readInputs(): SessionInputs {
    if (this.invalid) throw this.invalid;
    return this.inputs;
  }
  refreshSettings(): RefreshSettings {
    return this.settings;
  }
  update(): void {
    this.renders.push(this.session!.state);
  }
  place(surface: Surface): void {
    this.placed.push(surface);
  }
  resizeFrame(height: number): void {
    this.resized.push(height);
  }
  requestClose(source: 'hosted_page'): void {
    this.closeRequests.push(source);
  }
  frameTitle(): string {
    return 'Identity verification';
  }
  log(): void {}

  /** A session on this host, not started (a listener can be added first). */
  make(continuation?: Continuation): Verification {
    const s = new Verification(this, this.parts, continuation);
    this.session ??= s;
    return s;
  }
  start(continuation?: Continuation): Verification {
    const s = this.make(continuation);
    s.start();
    return s;
  }
  /** the session's channel (one per session) */
  get ch(): FakeChannel {
    expect(this.channels, 'one channel').to.have.length(1);
    return this.channels[0]!;
  }
  names(): string[] {
    return this.posted.map((e) => e.type);
  }
  /** type and detail of each event, messages left out (they are prose) */
  brief(from = 0): [string, Record<string, unknown>][] {
    return this.posted.slice(from).map(({ type, detail }) => {
      const { message: _m, ...rest } = detail;
      return [type, rest];
    });
  }
  /** the next dispatch of `type` */
  next(type: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) =>
      this.target.addEventListener(type, (e) => resolve((e as CustomEvent).detail as Record<string, unknown>), { once: true }),
    );
  }
}

/** A started session whose frame said hello and ready (`sess_1`): requiresInput. */
export function running(h = new Harness()): { h: Harness; s: Verification; frame: FakeSurface } {
  const s = h.start();
  h.ch.hello();
  h.ch.say(message('ready', { sessionId: 'sess_1' }));
  expect(s.status).to.equal('requiresInput');
  return { h, s, frame: h.frames[0]! };
}

/** How a promise settled. */
export const settled = <T>(p: Promise<T>): Promise<{ ok: T } | { error: unknown }> =>
  p.then(
    (ok) => ({ ok }),
    (error: unknown) => ({ error }),
  );

export function phaseOf<N extends Phase['name']>(s: Verification, name: N): Extract<Phase, { name: N }> {
  expect(s.phase.name).to.equal(name);
  return s.phase as Extract<Phase, { name: N }>;
}

export const saved = { ...timing };
afterEach(() => {
  for (const h of made.splice(0)) {
    h.session?.dispose();
  }
  Object.assign(timing, saved);
});
