'use client';

// The verification: this app's route handler creates it for the logged-in user, <FaceSignVerify> runs it, and the
// result shown is the one the server got from FaceSign's signed webhook. The element's own events only say when to
// ask the server: any script on a page can forge a DOM event.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { FaceSignVerify, type ClientSecret } from '@facesign/verify/react';
import { resultState, type ResultState } from '@/lib/result';

const TEXT: Record<ResultState, string> = {
  none: 'You have not verified your identity yet.',
  pending: 'Verification in progress. The result shows here once FaceSign has confirmed it to us.',
  verified: 'Verified: FaceSign confirmed your identity.',
  not_verified: 'Not verified: FaceSign could not confirm your identity. You can try again.',
  canceled: 'Canceled. You can start again when you are ready.',
  ended: 'This verification ended without a result. You can start again.',
};
const BUTTON: Partial<Record<ResultState, string>> = { none: 'Verify my identity', pending: 'Continue verification' };
const nothingToWatch = () => () => {};

/** false in the server's HTML and until React has hydrated it: a click before then would reach no handler */
const useHydrated = () =>
  useSyncExternalStore(
    nothingToWatch,
    () => true,
    () => false,
  );

export default function Verify({ initial }: { initial: ResultState }) {
  const [result, setResult] = useState(initial);
  const [clientSecret, setClientSecret] = useState<ClientSecret>();
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState('');
  // a new value asks the server again at once (the element reported an end)
  const [asked, setAsked] = useState(0);
  const hydrated = useHydrated();

  // while the result is pending: ask the server, quickly at first (the webhook usually lands within a second), then
  // less often, up to every 10 s
  useEffect(() => {
    if (result !== 'pending') return;
    const stop = new AbortController();
    let timer: ReturnType<typeof setTimeout>;
    const ask = async (wait: number) => {
      try {
        const res = await fetch('/api/facesign/verification', { signal: stop.signal });
        if (!res.ok) throw new Error(`The server answered ${res.status}`);
        const next = resultState((await res.json()).verification);
        if (next !== 'pending') return setResult(next);
        timer = setTimeout(() => void ask(Math.min(wait * 1.5, 10_000)), wait);
      } catch (e) {
        if (!stop.signal.aborted) setProblem(`Could not get the result from the server (${(e as Error).message}). Reload the page to try again.`);
      }
    };
    void ask(1000);
    return () => (stop.abort(), clearTimeout(timer));
  }, [result, asked]);

  async function start() {
    setProblem('');
    try {
      // the route handler creates the verification (or continues the unfinished one) for the logged-in user
      const res = await fetch('/api/facesign/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error?.message ?? `The server answered ${res.status}`);
      // the whole { secret, expireAt, url }: the element takes the hosted page from its url (the sandbox's or FaceSign's)
      setClientSecret(body.clientSecret);
      setRunning(true);
      setResult('pending');
    } catch (e) {
      setProblem(`Could not start the verification: ${(e as Error).message}`);
    }
  }
  // the verification ended in the browser: ask the server now, and offer a new one
  const ended = () => (setRunning(false), setAsked((n) => n + 1));

  return (
    <>
      {/* what the server got from FaceSign's signed webhook: data-status is none, pending, verified, not_verified,
          canceled or ended */}
      <p id="result" role="status" data-status={result}>
        {TEXT[result]}
      </p>
      {problem && (
        <p id="problem" role="alert">
          {problem}
        </p>
      )}
      {/* hidden while the element runs the verification, until the server has its result */}
      {(!running || result !== 'pending') && (
        <button type="button" onClick={start} disabled={!hydrated}>
          {BUTTON[result] ?? 'Verify again'}
        </button>
      )}
      {clientSecret && (
        <FaceSignVerify
          clientSecret={clientSecret}
          refreshUrl="/api/facesign/refresh"
          onComplete={ended}
          onCancel={ended}
          onError={(e) => e.detail.recoverable || ended()}
        />
      )}
    </>
  );
}
