/**
 * Continue on your phone, the sandbox hosted page's two halves (docs/protocol.md, "Continue on the phone"):
 *   - the relay: the page in the computer's hidden frame (`init.mode` "handoff"). With the session's client secret
 *     it asks the API for a one-time link, then watches the handoff's status (a long poll) and tells the element
 *     where the phone is (`handoff`), its steps (`step`) and its end (`completed`, `canceled`): one end, once.
 *   - the phone: this page opened top-level by that link (`#fs_handoff=…`). It trades the link for a secret of its
 *     own (once: a second open is refused), keeps it in this tab's sessionStorage so a reload goes on, runs the flow,
 *     and learns a cancel on the computer from the same status.
 */
import type { HostConnection } from '../../src/frame.js';

declare const __FACESIGN_API__: string;
const API = `${__FACESIGN_API__}/v1/client`;

export interface HandoffView {
  state: 'none' | 'waiting' | 'opened' | 'left' | 'expired';
  version: number;
  url?: string;
  expiresAt?: number;
  step?: { nodeId: string; nodeType: string };
  status: 'requiresInput' | 'processing' | 'complete' | 'canceled';
  reason?: string;
}
type Api = <T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal) => Promise<T>;

/**
 * Watches the handoff's status until `stop` ends: each change goes to `seen`. A failed request (offline, the
 * computer asleep) is asked again after a growing pause, and at once when the page is back online or shown again:
 * the status says where things are, so nothing that happened meanwhile is missed.
 */
async function watch(api: Api, from: HandoffView, seen: (v: HandoffView) => boolean, stop: AbortSignal): Promise<void> {
  let view = from;
  let pause = 1000;
  while (!stop.aborted) {
    try {
      view = (await api<{ handoff: HandoffView }>('GET', `/handoff?since=${view.version}`, undefined, stop)).handoff;
      pause = 1000;
      if (seen(view)) return;
    } catch {
      if (stop.aborted) return;
      // back online or shown again (a computer waking up): at once; else after the pause
      const wake = new AbortController();
      const again = () => wake.abort();
      addEventListener('online', again, { signal: wake.signal });
      document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && again(), { signal: wake.signal });
      stop.addEventListener('abort', again, { signal: wake.signal });
      await new Promise<void>((r) => {
        const t = setTimeout(r, pause);
        wake.signal.addEventListener('abort', () => (clearTimeout(t), r()));
      });
      wake.abort();
      pause = Math.min(pause * 2, 10_000);
    }
  }
}

/** The computer's relay: the link, then where the phone is, then the one end. */
export async function relay(conn: HostConnection, api: Api, sessionId: string, say: (text: string) => void): Promise<void> {
  const stop = new AbortController();
  conn.on('close', () => stop.abort());
  let started = false;
  let lastStep = '';
  let lastState = '';
  const seen = (v: HandoffView): boolean => {
    if (v.step && v.step.nodeId !== lastStep) {
      lastStep = v.step.nodeId;
      if (!started) conn.started();
      started = true;
      conn.step(v.step.nodeId, v.step.nodeType);
    }
    if (v.status === 'complete') return (stop.abort(), conn.completed(sessionId), true);
    if (v.status === 'canceled') return (stop.abort(), conn.canceled(v.reason ?? 'user_canceled'), true);
    if (v.state !== lastState || v.state === 'waiting') {
      lastState = v.state;
      if (v.state === 'waiting') conn.handoff('waiting', { url: v.url!, expiresAt: v.expiresAt! });
      else if (v.state !== 'none') conn.handoff(v.state);
    }
    return false;
  };
  // `renew`: the person asked for a new code (it replaces a phone that left); as the relay starts, where things are
  const mint = async (renew?: { renew: true }) => {
    try {
      seen((await api<{ handoff: HandoffView }>('POST', '/handoff', renew)).handoff);
    } catch (e) {
      conn.error('handoff_unavailable', `the link for the phone could not be made: ${(e as Error).message}`, true);
    }
  };
  conn.on('handoff-renew', () => void mint({ renew: true }));
  say('Continuing on your phone.');
  await mint();
  if (stop.signal.aborted) return;
  // a version no answer has: the first request answers at once, with where things are now
  await watch(api, { state: 'none', version: -1, status: 'requiresInput' }, seen, stop.signal);
}

/** The phone's secret, taken from the link (once) or, after a reload, from this tab. */
export type PhoneLaunch =
  { secret: string } | { refused: 'handoff_already_opened' | 'handoff_link_expired' | 'handoff_link_invalid' | 'network' } | undefined;

const KEY = 'facesign-phone-secret';

export async function phoneLaunch(): Promise<PhoneLaunch> {
  const token = new URLSearchParams(location.hash.slice(1)).get('fs_handoff');
  if (!token) {
    const kept = sessionStorage.getItem(KEY);
    return kept ? { secret: kept } : undefined;
  }
  // out of the address bar, history and any screenshot of it: it is spent once opened
  history.replaceState(null, '', location.pathname + location.search);
  try {
    const res = await fetch(`${API}/handoff/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) return { refused: json?.error?.code ?? 'handoff_link_invalid' };
    sessionStorage.setItem(KEY, json.secret);
    return { secret: json.secret };
  } catch {
    return { refused: 'network' };
  }
}

/** What the phone says when its link cannot be used. */
export const REFUSED: Record<string, [string, string]> = {
  handoff_already_opened: [
    'This link was already opened on another device.',
    'For your security, a verification link works on one device only. Go back to your computer and choose "Show a new code".',
  ],
  handoff_link_expired: ['This link has expired.', 'Go back to your computer and choose "Show a new code", then scan it again.'],
  handoff_link_invalid: ['This link is not valid.', 'Scan the code shown on your computer again.'],
  session_finished: ['This verification has already ended.', 'There is nothing more to do on this phone.'],
  network: ['The verification service cannot be reached.', 'Check your connection, then open the link again.'],
};

/**
 * The phone's side of the watch: a cancel on the computer ends the phone's run too (`ended`). Its page going away
 * (a closed tab) is told, so the computer can say so; a reload of the same tab comes back with its kept secret.
 */
export function phoneWatch(api: Api, secret: string, ended: (reason: string) => void, stop: AbortSignal): void {
  // a beacon: it outlives the page, and as a simple request (no header of its own) needs no CORS preflight, which
  // Chromium refuses for requests that outlive their page; so the secret goes in its body
  addEventListener('pagehide', () => navigator.sendBeacon(`${API}/handoff/leave`, JSON.stringify({ secret })), { signal: stop });
  const seen = (v: HandoffView) => {
    if (v.status !== 'canceled') return v.status === 'complete';
    ended(v.reason ?? 'canceled');
    return true;
  };
  void watch(api, { state: 'opened', version: -1, status: 'processing' }, seen, stop);
}

/** The session ended on the phone (or the computer canceled it): this tab keeps no secret. */
export function forgetPhoneSecret() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // storage refused (a framed page whose third-party storage is blocked): nothing was kept
  }
}
