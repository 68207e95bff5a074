// The page: the logged-in user starts a verification in <facesign-verify>, and the result shown is the one this
// app's server got from FaceSign's signed webhook. The element's own events only say when to ask the server: any
// script on a page can forge a DOM event.
const el = document.querySelector('facesign-verify');
const result = document.getElementById('result');
const problem = document.getElementById('problem');
const verifyButton = document.getElementById('verify');

const TEXT = {
  none: 'You have not verified your identity yet.',
  pending: 'Verification in progress. The result shows here once FaceSign has confirmed it to us.',
  verified: 'Verified: FaceSign confirmed your identity.',
  not_verified: 'Not verified: FaceSign could not confirm your identity. You can try again.',
  canceled: 'Canceled. You can start again when you are ready.',
  ended: 'This verification ended without a result. You can start again.',
};
const BUTTON = { none: 'Verify my identity', pending: 'Continue verification', ended: 'Verify again' };

/** The server's verification as one of TEXT's states. */
function stateOf(verification) {
  if (!verification) return 'none';
  const { status, isVerified } = verification;
  if (status === 'complete') return isVerified ? 'verified' : 'not_verified';
  if (status === 'canceled') return 'canceled';
  if (status === 'requiresInput' || status === 'processing') return 'pending';
  return 'ended';
}

function showProblem(message) {
  problem.textContent = message;
  problem.hidden = !message;
}

/** Asks the server for the user's verification and shows it; returns its state. */
async function showResult(signal) {
  const res = await fetch('/api/facesign/verification', { signal });
  if (!res.ok) throw new Error(`The server answered ${res.status}`);
  const state = stateOf((await res.json()).verification);
  result.dataset.status = state;
  result.textContent = TEXT[state];
  verifyButton.textContent = BUTTON[state] ?? BUTTON.ended;
  // the server has the result (even when the browser never said the verification ended): a new one can start
  if (state !== 'pending') verifyButton.hidden = false;
  return state;
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** The running watch: asks the server until the verification has its result (each new watch ends the last). */
let watch = new AbortController();
async function watchResult() {
  watch.abort();
  watch = new AbortController();
  const { signal } = watch;
  try {
    // quickly at first (the webhook usually lands within a second), then less often, up to every 10 s
    for (let wait = 1000; (await showResult(signal)) === 'pending'; wait = Math.min(wait * 1.5, 10_000)) await sleep(wait, signal);
  } catch (e) {
    if (!signal.aborted) showProblem(`Could not get the result from the server (${e.message}). Reload the page to try again.`);
  }
}

verifyButton.addEventListener('click', async () => {
  verifyButton.disabled = true;
  showProblem('');
  try {
    // this app's server creates the verification (or continues the unfinished one) for the logged-in user
    const res = await fetch('/api/facesign/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error?.message ?? `The server answered ${res.status}`);
    el.refreshUrl = '/api/facesign/refresh';
    // the whole { secret, expireAt, url }: the element takes the hosted page from its url (the sandbox's or
    // FaceSign's), as a property, so the secret never enters the DOM
    el.clientSecret = body.clientSecret;
    el.hidden = false;
    verifyButton.hidden = true;
    void watchResult();
  } catch (e) {
    showProblem(`Could not start the verification: ${e.message}`);
  } finally {
    verifyButton.disabled = false;
  }
});

// the verification ended in the browser: ask the server now (it confirms it from the webhook), and offer a new one
const ended = () => ((verifyButton.hidden = false), void watchResult());
el.addEventListener('facesign-complete', ended);
el.addEventListener('facesign-cancel', ended);
el.addEventListener('facesign-error', (e) => e.detail.recoverable || ended());

const { user } = await (await fetch('/api/me')).json();
document.getElementById(user ? 'logged-in' : 'logged-out').hidden = false;
if (user) {
  document.getElementById('user-name').textContent = user.name;
  void watchResult();
}
