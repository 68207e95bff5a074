/**
 * While the hosted page shows a live session it asks the client API for it once a second: the session can end
 * without this page (a test helper forcing its outcome, README "Forcing an outcome in your tests"), or be taken by
 * the person's phone (a code this computer showed before it reloaded), and the client API has no push channel. Asking is one small GET on loopback; it stops when the run ends here (the owner aborts).
 * A 401 is left to the flow's own requests (they renew the secret through the host); a network failure too (the
 * flow's next request reports it); a 5xx is the service failing this run, as it would fail the flow's next request.
 */
export interface SessionWatch {
  /** the client API's GET /session */
  url: string;
  /** the current secret and session, read at every request: a refresh replaces the secret */
  headers: () => Record<string, string>;
  /** ends the watch (the run ended here, or the page left) */
  signal: AbortSignal;
  /** the session ended elsewhere */
  onEnded: (session: { status: 'complete' | 'canceled'; canceledReason?: string }) => void;
  /** the service failed this run */
  onFailed: (status: number, message: string, code?: string) => void;
  /**
   * a phone holds the session now (it opened a code this computer showed before a reload): true when this page
   * handed over to the host's relay, which ends the watch; false (a host that cannot relay) and it goes on
   */
  onPhone: (state: 'opened' | 'left') => boolean;
  /** ms between requests */
  every?: number;
}

export function watchSession(w: SessionWatch): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  w.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  const tick = async () => {
    const res = await fetch(w.url, { headers: w.headers(), signal: w.signal }).catch(() => undefined);
    const json = (await res?.json().catch(() => undefined)) as
      { session?: { status: string; canceledReason?: string; handoff?: string }; error?: { message?: string; code?: string } } | undefined;
    if (w.signal.aborted) return;
    const s = json?.session;
    if (res?.ok && (s?.status === 'complete' || s?.status === 'canceled')) return w.onEnded({ status: s.status, canceledReason: s.canceledReason });
    if (res?.ok && (s?.handoff === 'opened' || s?.handoff === 'left') && w.onPhone(s.handoff)) return;
    if (res && res.status >= 500) return w.onFailed(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.code);
    next();
  };
  const next = () => void (timer = setTimeout(() => void tick(), w.every ?? 1000));
  next();
}
