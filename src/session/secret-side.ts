/**
 * The session's side of the client secret: the current one and when it expires, the refresh a margin before
 * that (re-checked when the tab wakes up), the session id that goes with refreshes, and what a failure does to the
 * session (a stall behind a cover whose Try again refreshes, or the end). How a refresh is made and handed to the
 * hosted page (secret-refresh.ts) comes on demand: a session whose secret never needs renewing never loads it.
 */
import { FaceSignError } from '../protocol/errors.js';
import type { FrameMessage } from '../protocol/messages.js';
import type { ClientSecretInput } from '../base/client-secret.js';
import { clock } from '../base/clock.js';
import { onPageEvent } from '../base/page-events.js';
import { secretKey } from '../base/secret-key.js';
import type { Notice } from '../base/outbox.js';
import type { RefreshSettings, RefreshTrigger } from './refresh-settings.js';
import type { SessionCore } from './core.js';
import type { Resumable } from './state.js';
import type { SecretRefresh } from './secret-refresh.js';
import { refreshCode } from './secret-request-on-demand.js';

export type { RefreshSettings, RefreshTrigger } from './refresh-settings.js';

const MAX_TIMER = 2 ** 31 - 1;

export class SecretSide {
  current: ClientSecretInput;
  /** the FaceSign session's id, from the hosted page's `ready` (or the run this one continues) */
  sessionId?: string;
  /** a tag of each secret this session had, to bind a redirect's return to it */
  readonly keys: string[];
  readonly #session: SessionCore;
  /** the proactive refresh's timer */
  #timer?: ReturnType<typeof setTimeout>;
  /** when the current secret was obtained by a refresh (its lifetime is measured from then); the first one's is unknown */
  #receivedAt = -Infinity;
  /** how refreshes are made, once its code is here (made on the first refresh) */
  #refresher?: SecretRefresh;
  /** that code on its way, for the refreshes waiting on it: true once here, false when the session ended meanwhile */
  #loading?: Promise<boolean>;
  /**
   * How a failure of the refresh under way is handled: as its trigger, or as that of one that joined it saying the
   * page waits (secret-expired during an early refresh); as `expiring` once the host page set a working secret.
   */
  #failAs: RefreshTrigger = 'expiring';
  /** a secret the host page set while the code was away: the page gets it by the next `init`, or once the code is here */
  #owed?: ClientSecretInput;

  constructor(session: SessionCore, first: ClientSecretInput, sessionId: string | undefined) {
    this.#session = session;
    this.sessionId = sessionId;
    this.current = first;
    this.keys = [secretKey(first.secret)];
    const signal = session.untilEnd;
    const check = () => document.visibilityState === 'visible' && this.#schedule();
    // timers sleep in background tabs and in the back/forward cache: look again when the page is back
    onPageEvent('pageshow', check, signal);
    onPageEvent('visibilitychange', check, signal);
    signal.addEventListener('abort', () => clearTimeout(this.#timer));
    // not from the constructor: a refresh due at once reports to a session that is still being built
    queueMicrotask(() => this.#schedule());
  }

  /** The known secret is past its expireAt. */
  get expired(): boolean {
    const at = this.current.expireAt;
    return at !== undefined && at * 1000 <= clock.now();
  }

  /**
   * One refresh at a time: concurrent triggers share it. Resolves once the hosted page took the new secret;
   * rejects with the FaceSignError that was also reported, so callers that only trigger must catch.
   */
  refresh(trigger: RefreshTrigger): Promise<void> {
    if (this.#session.untilEnd.aborted) return Promise.resolve();
    // a refresh under way, or one that fails, re-arms nothing: the next secret does (accepted), or the tab waking up;
    // one that joins it leaves the timer alone (armed already for the secret it got, while the page confirms it)
    const idle = !this.#loading && !this.#refresher?.busy;
    if (idle) clearTimeout(this.#timer);
    if (idle || this.#failAs === 'expiring') this.#failAs = trigger;
    return this.#with((r) => r.refresh(trigger));
  }

  /**
   * The host page set a new secret: taken when this session waits for one (the host was asked for it, or a
   * refresh stalled); false otherwise.
   */
  takes(secret: ClientSecretInput): boolean {
    const s = this.#session;
    const r = this.#refresher;
    if (s.ended) return false;
    if (r?.awaitingHost) {
      r.supply(secret).catch(() => {});
      return true;
    }
    if (s.phase.name !== 'stalled') return false;
    // the current secret from now (a refresh's request, still waiting for its code, tells refresh-url it replaces
    // this one); the page has a working secret again, so a refresh under way that fails only reports
    this.#failAs = 'expiring';
    this.accepted(secret);
    // handed over here, or once the code is: unless an init carried it meanwhile, or the host page set another
    this.#owed = secret;
    this.#with((r) => {
      if (this.#owed !== secret) return Promise.resolve();
      this.#owed = undefined;
      return r.handOver(secret, 'expired');
    }).catch(() => {});
    return true;
  }

  readyWith(sessionId: string | undefined): void {
    this.sessionId = sessionId ?? this.sessionId;
    // the code a refresh runs comes on demand: fetched now, while nothing waits on it, where a refresh is configured
    const code = this.#session.parts.secrets;
    if (code.now()) return;
    try {
      const set = this.settings();
      if (set.fetchClientSecret || set.refreshUrl) code.load().catch(() => {});
    } catch {
      // an invalid setting is reported when a refresh runs
    }
  }

  /** The secret messages from the hosted page. */
  pageSaid(m: FrameMessage): void {
    // reported as events; the promise is for refreshSecret()'s callers
    if (m.type === 'secret-expired') return void this.refresh('expired').catch(() => {});
    // an answer about a secret handed over: only a refresher hands secrets over
    this.#refresher?.pageSaid(m);
  }

  /** A handshake's `init` carried the current secret: a hand-over under way is done. */
  handedOver(): void {
    // one the host page set while the code was away: this init is its hand-over
    if (this.#owed) {
      this.#owed = undefined;
      this.refreshed('expired');
    }
    this.#refresher?.handedOver();
  }

  /** The hosted page has the new secret: a stall is over; the host page is told (its expiry, never the secret). */
  refreshed(trigger: RefreshTrigger): void {
    const s = this.#session;
    const p = s.phase;
    const expireAt = this.current.expireAt;
    const notice: Notice = ['facesign-secret-refresh', { trigger, ...(expireAt && { expireAt }) }];
    if (p.name === 'stalled') s.go(p.resume, notice);
    else s.host.events.post(notice);
  }

  settings(): RefreshSettings {
    return this.#session.host.refreshSettings();
  }

  /** refreshTimeout as now set, or its default (10 s) while the setting is invalid (reported when a refresh runs) */
  timeout(): number {
    try {
      return this.settings().timeout;
    } catch {
      return 10_000;
    }
  }

  /** A refresh got `s`: it is the current secret from now, and the next refresh is timed from it. */
  accepted(s: ClientSecretInput): void {
    this.current = s;
    // one the host page set before, and not handed over, is moot
    this.#owed = undefined;
    this.keys.push(secretKey(s.secret));
    this.#receivedAt = clock.now();
    this.#schedule();
  }

  /** The refresh under way failed; whether the hosted page waits for it (`#failAs`) says what that does. */
  refreshFailed(e: FaceSignError): void {
    // the endpoint says the session is gone (or not this user's): it ends, with no "Try again" that cannot work
    if (!e.recoverable) return this.#session.fail(e);
    // a failed early refresh leaves a working secret: the user goes on, and the hosted page's secret-expired
    // later tries again; otherwise the session waits behind a retry cover
    if (this.#failAs !== 'expiring' || this.expired) this.stall(e);
    else this.#session.fail(e, 'event');
  }

  /** The session waits behind a cover until a new secret reaches the page. */
  stall(error: FaceSignError): void {
    const s = this.#session;
    const resume = resumable(s);
    if (!resume) return s.fail(error, 'event');
    s.go({ name: 'stalled', error, resume }, ['facesign-error', error.toJSON()]);
  }

  log(...a: unknown[]): void {
    this.#session.host.log(...a);
  }

  /** Runs `act` on the refresher: at once where its code is here, after it arrived where not. */
  #with(act: (r: SecretRefresh) => Promise<void>): Promise<void> {
    const s = this.#session;
    const now = s.parts.secrets.now();
    if (this.#refresher || now) return act((this.#refresher ??= new now!.SecretRefresh(this, s)));
    // once it is here, each waiting caller acts in turn: the refresher shares one refresh among them
    return (this.#loading ??= this.#load()).then((here) => (here ? this.#with(act) : undefined));
  }

  /**
   * The refresh's code, for the refreshes waiting on it: true once here, false when the session ended meanwhile
   * (what arrives later does nothing); a load that fails, or has not arrived within refreshTimeout (a refresh never
   * waits forever), is reported as a failed refresh and rejects with it.
   */
  #load(): Promise<boolean> {
    return refreshCode(this.#session.parts.secrets, this.timeout(), this.#session.untilEnd).then(
      (m) => ((this.#loading = undefined), !!m),
      (e: FaceSignError) => {
        this.#loading = undefined;
        this.refreshFailed(e);
        throw e;
      },
    );
  }

  /** Re-arms the proactive timer; refreshes at once when the margin is already reached. */
  #schedule(): void {
    clearTimeout(this.#timer);
    const at = this.current.expireAt;
    if (at === undefined || this.#session.untilEnd.aborted) return;
    let margin = 60;
    try {
      margin = this.settings().margin;
    } catch {
      // an invalid setting is reported when the refresh runs
    }
    // a secret that lives no longer than the margin (a short TTL in a sandbox) would be refreshed again as soon as
    // it arrived, each refresh killing the last secret: it is refreshed when it expires instead, once per lifetime
    if ((at - margin) * 1000 <= this.#receivedAt) margin = 0;
    const wait = at * 1000 - margin * 1000 - clock.now();
    // failures are reported as events; the promise is for refreshSecret()'s callers
    if (wait <= 0) this.refresh(margin ? 'expiring' : 'expired').catch(() => {});
    else this.#timer = setTimeout(() => this.#schedule(), Math.min(wait, MAX_TIMER));
  }
}

/** The phase a stall interrupts (the one it interrupted already, when stalled again). */
function resumable(s: SessionCore): Resumable | undefined {
  const p = s.phase;
  switch (p.name) {
    case 'stalled':
      return p.resume;
    case 'away':
      return p.from;
    case 'ended':
    case 'starting':
      return undefined;
    default:
      return p;
  }
}
