// "Continue on your phone" in the simulator: a one-time, short-lived link bound to a session, minted for the page
// that holds the session's client secret (the computer's), never the secret itself. The first open locks the
// session to that device and gives it a secret of its own; a second open is refused. The computer watches a light
// status (a long poll: one request in flight, answered as soon as something changes or after `handoffPollMs`, so
// a step on the phone shows on the computer at once without a poll every second).
import { randomBytes } from 'node:crypto';

/** the client API paths a session locked to a phone takes only from the phone */
const PHONE_ONLY = ['/client/session/start', '/client/session/answer', '/client/session/finish'];

export class HandoffError extends Error {
  constructor(status, code, message) {
    super(message);
    Object.assign(this, { status, code });
  }
}

/**
 * @param {object} cfg the simulator's config: `handoffTtl` (seconds a link lives, default 600), `handoffPollMs`
 *   (longest a status request is held, default 20 s), `handoffSilenceMs` (a phone not heard from this long has left,
 *   default 30 s), `hostedUrl`, `secretTtl`
 * @param {{ secrets: Map<string, any>, timers: Set<any>, merchantOf: (s: any) => string }} o
 */
export function createHandoffs(cfg, { secrets, timers, merchantOf }) {
  /** token -> session id (the link's one use) */
  const links = new Map();
  /** session id -> { state, token, url, expiresMs, version, step, phoneSecret, waiters } */
  const records = new Map();

  const recordOf = (s) => {
    let r = records.get(s.session.id);
    if (!r) records.set(s.session.id, (r = { state: 'none', version: 0, waiters: new Set() }));
    return r;
  };
  const bump = (r) => {
    r.version++;
    for (const w of r.waiters) w();
    r.waiters.clear();
  };
  /** the link `token` of `r` dies unopened: watchers hear of it */
  const expire = (r, token) => {
    if (r.token !== token || r.state !== 'waiting') return;
    links.delete(token);
    r.token = undefined;
    r.expiresMs = 0;
    (r.expiredTokens ??= new Set()).add(token);
    r.state = 'expired';
    bump(r);
  };
  /** the silence's timer, ended */
  const hush = (r) => {
    clearTimeout(r.silence);
    timers.delete(r.silence);
  };
  /**
   * The phone is there while a status request of its is held, or when it asked anything in the last
   * `handoffSilenceMs` (its page long-polls the status, at most `handoffPollMs` apart). A phone can go without a
   * goodbye beacon (its tab crashed, the browser was killed, its network went, the page froze on a locked screen):
   * after that long without a word it counts as left, so the computer offers a new code; its next request brings
   * it back.
   */
  const heard = (s, r) => {
    hush(r);
    if (r.phoneHeld) return;
    const t = (r.silence = setTimeout(() => {
      timers.delete(t);
      const live = s.session.status !== 'complete' && s.session.status !== 'canceled';
      if (live && r.state === 'opened' && !r.phoneHeld) {
        r.state = 'left';
        bump(r);
      }
    }, cfg.handoffSilenceMs ?? 30_000));
    timers.add(t);
  };
  const view = (s) => {
    const r = recordOf(s);
    return {
      state: r.state,
      version: r.version,
      // the link only while it can be opened
      ...(r.state === 'waiting' && { url: r.url, expiresAt: r.expiresMs }),
      ...(r.step && { step: r.step }),
      status: s.session.status,
      ...(s.cancelReason && { reason: s.cancelReason }),
    };
  };

  return {
    /**
     * the computer asks for a link: a fresh one (the last unopened one dies); none once a phone holds the session,
     * nor for a relay that starts (a reload) while the phone's page is away: it may come back. `asked`: 'start' (a
     * relay starting) or 'renew' (the person asked for a new code, which replaces a phone that left).
     */
    mint(s, asked) {
      const r = recordOf(s);
      if (s.session.status === 'complete' || s.session.status === 'canceled')
        throw new HandoffError(400, 'session_finished', `Session is already ${s.session.status}`);
      // the phone is on it: nothing to mint (a refreshed computer learns it from the answer)
      if (r.state === 'opened' || (r.state === 'left' && asked !== 'renew')) return view(s);
      // the last link, unopened, dies: a photo of it opens nothing
      if (r.token) (links.delete(r.token), (r.expiredTokens ??= new Set()).add(r.token));
      // a phone that left (closed its tab) loses its secret when the person asks for a new code
      if (r.phoneSecret) secrets.get(r.phoneSecret).replaced = true;
      r.phoneSecret = undefined;
      r.token = randomBytes(24).toString('base64url');
      r.expiresMs = Date.now() + (cfg.handoffTtl ?? 600) * 1000;
      const url = new URL(cfg.hostedUrl);
      url.searchParams.set('merchant', merchantOf(s));
      // in the fragment: it never reaches a server's logs or a Referer
      url.hash = `fs_handoff=${r.token}`;
      r.url = url.href;
      r.state = 'waiting';
      links.set(r.token, s.session.id);
      const token = r.token;
      const t = setTimeout(() => (timers.delete(t), expire(r, token)), r.expiresMs - Date.now());
      timers.add(t);
      bump(r);
      return view(s);
    },

    /** the phone opens the link: once; it gets a secret of its own, bound to this session */
    open(token, sessions) {
      const id = links.get(String(token ?? ''));
      const s = id && sessions.get(id);
      if (!s) {
        const all = [...records.values()];
        if (all.some((r) => r.usedTokens?.has(token)))
          throw new HandoffError(409, 'handoff_already_opened', 'This link was already opened on another device');
        if (all.some((r) => r.expiredTokens?.has(token)))
          throw new HandoffError(410, 'handoff_link_expired', 'This link has expired: ask for a new code on your computer');
        throw new HandoffError(404, 'handoff_link_invalid', 'This link is not valid: ask for a new code on your computer');
      }
      const r = recordOf(s);
      // the verification ended on the computer (canceled, finished) while the code was still on its screen
      if (s.session.status === 'complete' || s.session.status === 'canceled')
        throw new HandoffError(410, 'session_finished', `This verification has already ended (${s.session.status})`);
      if (r.expiresMs <= Date.now()) {
        expire(r, token);
        throw new HandoffError(410, 'handoff_link_expired', 'This link has expired: ask for a new code on your computer');
      }
      links.delete(token);
      (r.usedTokens ??= new Set()).add(token);
      r.token = undefined;
      const secret = `fs_client_secret_${randomBytes(12).toString('hex')}`;
      secrets.set(secret, {
        sessionId: s.session.id,
        expiresMs: Date.now() + Math.max(cfg.secretTtl, 3600) * 1000,
        replaced: false,
        device: 'phone',
      });
      r.phoneSecret = secret;
      r.state = 'opened';
      heard(s, r);
      bump(r);
      return { secret, sessionId: s.session.id };
    },

    /** a request with a secret: a session on a phone runs its flow only from the phone; the phone coming back counts */
    guard(s, rec, path) {
      const r = recordOf(s);
      if (rec.device === 'phone' && r.state === 'left' && r.phoneSecret) {
        r.state = 'opened';
        bump(r);
      }
      if (rec.device === 'phone') heard(s, r);
      // the computer runs the flow itself while its code waits (its page reloaded, Try again, it stayed after all):
      // the code dies, so no phone takes the session from under the page running it
      if (rec.device !== 'phone' && r.state === 'waiting' && PHONE_ONLY.includes(path)) expire(r, r.token);
      if (rec.device !== 'phone' && (r.state === 'opened' || r.state === 'left') && PHONE_ONLY.includes(path))
        throw new HandoffError(409, 'session_on_other_device', 'This verification continues on another device');
    },

    /** the phone's page went away (its tab closed, or a reload on the way) */
    left(s, rec) {
      const r = recordOf(s);
      if (rec.device === 'phone' && r.state === 'opened') {
        hush(r);
        r.state = 'left';
        bump(r);
      }
      return view(s);
    },

    /** the flow moved (a step, the start, the end): watchers hear of it */
    changed(s, node) {
      const r = recordOf(s);
      if (node) r.step = { nodeId: node.id, nodeType: node.type };
      bump(r);
    },

    /**
     * the status, at once when it changed since `since`, else when it changes (at most `handoffPollMs` later);
     * `device`: the asking secret's ('phone' for the phone's page, whose held request says it is there)
     */
    watch(s, since, signal, device) {
      const r = recordOf(s);
      if (!(Number(since) >= r.version)) return Promise.resolve(view(s));
      const phone = device === 'phone';
      if (phone) r.phoneHeld = (r.phoneHeld ?? 0) + 1;
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(t);
          timers.delete(t);
          if (!r.waiters.delete(done)) return;
          if (phone) (r.phoneHeld--, heard(s, r));
          resolve(view(s));
        };
        const t = setTimeout(done, cfg.handoffPollMs ?? 20_000);
        timers.add(t);
        r.waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    },

    view,
    /** every unopened link expires now (a test hook) */
    expireAll() {
      for (const r of records.values()) if (r.state === 'waiting') expire(r, r.token);
    },
  };
}
