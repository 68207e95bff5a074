// The demo merchant page: asks its own backend for a client secret, runs <facesign-verify>, logs every event, and
// shows the server-confirmed result (from the signed webhook) next to the browser event.
import { handleRedirectResult, resumableSession, type FaceSignFallback, type FaceSignVerifyElement } from '../../src/index.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const EVENTS = [
  'ready',
  'start',
  'step',
  'complete',
  'cancel',
  'error',
  'close-request',
  'close',
  'secret-refresh',
  'secret-request',
  'fallback',
] as const;
let current: FaceSignVerifyElement | undefined;
/** demo options from the page URL: ?secret=string, ?margin=<seconds>, ?sim=<condition>, ?fallback=<path>, ?cross-device=<setting> */
const options = new URL(location.href).searchParams;
/** ?sim=a,b: conditions can be combined (the COOP one matters where a popup is offered) */
const sim = new Set((options.get('sim') ?? '').split(','));
// an in-app browser, as far as the element can tell (the sandbox cannot be one)
if (sim.has('in-app'))
  Object.defineProperty(navigator, 'userAgent', {
    value: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.3.17.90',
  });
// the developer options stay folded away unless one is in use
if (['sim', 'fallback', 'scheme', 'cross-device'].some((k) => options.has(k))) $('setup').querySelector('details')!.open = true;
// the conditions that are headers need a reload: the demo servers send them for ?sim=…
for (const id of ['sim', 'fallback', 'scheme', 'cross-device'] as const) {
  const select = $<HTMLSelectElement>(id);
  select.value = options.get(id) ?? select.value;
  select.onchange = () => {
    options.set(id, select.value);
    location.search = options.toString();
  };
}
let poll: ReturnType<typeof setInterval> | undefined;

/** What a person reads for a status (the API's names, such as `requiresInput`, are for code). */
const STATUS_WORDS: Record<string, string> = {
  requiresInput: 'Waiting for the person',
  processing: 'In progress',
  complete: 'Complete',
  canceled: 'Canceled',
  error: 'Error',
};
const statusWords = (status: string) => STATUS_WORDS[status] ?? status;

function log(text: string) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  const list = $('log');
  // scroll the log itself, never the page: scrollIntoView would move the page (and the verification under the
  // user's pointer) whenever the log is off-screen
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

async function loadSamples() {
  const { samples } = (await (await fetch('/api/samples')).json()) as { samples: { id: string; title: string }[] };
  $('sample').replaceChildren(...samples.map((s) => Object.assign(document.createElement('option'), { value: s.id, textContent: s.title })));
}

/** Polls our own backend (not FaceSign) until the webhook has recorded a final status. */
function watchServer(sessionId: string) {
  clearInterval(poll);
  const check = async () => {
    const rec = await (await fetch(`/api/verifications/${encodeURIComponent(sessionId)}`)).json();
    const outcome = rec.result ? (rec.result.isVerified ? 'verified' : 'not verified') : '';
    $('server-result').textContent = outcome ? `${statusWords(rec.status)}: ${outcome}` : statusWords(rec.status);
    // what code (and the e2e tests) read: the API's status and the result, unchanged
    $('server-result').dataset.status = rec.status;
    $('server-result').dataset.result = outcome ? `${rec.status} (${outcome})` : rec.status;
    if (rec.status === 'complete' || rec.status === 'canceled') clearInterval(poll);
  };
  poll = setInterval(check, 500);
  void check();
}

$('setup').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target as HTMLFormElement);
  const mode = form.get('mode') as 'inline' | 'modal';
  current?.remove();
  $('browser-result').textContent = '—';
  $('server-result').textContent = '—';
  delete $('server-result').dataset.status;
  const res = await fetch('/api/verifications', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sample: form.get('sample') }),
  });
  const body = await res.json();
  if (!res.ok) return log(`backend error: ${body.error}`);
  log(`session ${body.sessionId} created by the backend (${mode})`);

  const el = document.createElement('facesign-verify');
  el.mode = mode;
  // the API's whole clientSecret object: the element knows when it expires and where the hosted page is.
  // ?secret=string passes the bare string instead (no expiry known: refresh happens when the page reports it)
  el.clientSecret = options.get('secret') === 'string' ? body.clientSecret.secret : body.clientSecret;
  // the hosted page as clientSecret.url has it, without the secret: it names this merchant (who may embed it)
  const page = new URL(body.clientSecret.url);
  page.searchParams.delete('client_secret');
  if (options.get('secret') === 'string') el.verifyUrl = page.href;
  // a secret FaceSign never issued
  if (sim.has('invalid-secret')) el.clientSecret = { ...body.clientSecret, secret: `fs_client_secret_${crypto.randomUUID().replaceAll('-', '')}` };
  for (const s of ['frame-blocked', 'navigate', 'camera-required']) if (sim.has(s)) page.searchParams.set('sim', s);
  if (page.searchParams.has('sim')) el.verifyUrl = page.href;
  el.fallback = (options.get('fallback') ?? 'auto') as FaceSignFallback;
  el.crossDevice = (options.get('cross-device') ?? 'auto') as FaceSignVerifyElement['crossDevice'];
  // the merchant's brand, stated once: the element's screens and the hosted page wear it
  el.appearance = { colorScheme: (options.get('scheme') ?? 'light') as 'light' | 'dark' | 'system' };
  if (options.has('margin')) el.refreshMargin = Number(options.get('margin'));
  el.refreshUrl = `/api/verifications/${encodeURIComponent(body.sessionId)}/secret`;
  listen(el);
  current = el;
  $('verify-slot').replaceChildren(el);
  if (mode === 'modal') el.show();
  watchServer(body.sessionId);
});

/** Logs every event of `el`, and shows the browser's result. */
function listen(el: FaceSignVerifyElement) {
  for (const name of EVENTS) {
    el.addEventListener(`facesign-${name}`, (ev) => {
      const detail = (ev as CustomEvent).detail;
      const shown = detail;
      log(`facesign-${name} ${shown && Object.keys(shown).length ? JSON.stringify(shown) : ''}`);
      if (name === 'complete' || name === 'cancel' || (name === 'error' && !(detail as { recoverable: boolean }).recoverable)) {
        $('browser-result').textContent =
          name === 'complete' ? 'Complete' : name === 'cancel' ? 'Canceled' : `Error (${(detail as { code: string }).code})`;
      }
    });
  }
}

// back from the redirect fallback: the outcome is in the URL (a hint), the server has the truth
const back = handleRedirectResult();
if (back) {
  log(`back from the hosted page: ${JSON.stringify(back)}`);
  $('browser-result').textContent = back.status === 'complete' ? 'Complete' : 'Canceled';
  watchServer(back.sessionId);
}

// A reload (or Back, or a tab the browser discarded) while a verification ran: the element remembers which session
// (its id only, for this tab), and our backend gives a secret of that same session, so the person goes on where
// they were. Declined (404: ended, or not ours): a new verification.
const resumable = !back && resumableSession();
if (resumable) {
  log(`continuing verification ${resumable}`);
  const json = { 'content-type': 'application/json' };
  const post = (path: string, body: unknown, signal: AbortSignal) =>
    fetch(path, { method: 'POST', headers: json, body: JSON.stringify(body), signal });
  let latest: string | undefined;
  const el = document.createElement('facesign-verify');
  el.appearance = { colorScheme: (options.get('scheme') ?? 'light') as 'light' | 'dark' | 'system' };
  el.fetchClientSecret = async ({ sessionId, signal }) => {
    // a refresh sends the secret we hold, as the refresh endpoint checks; the first ask of a session, none
    const res = !sessionId
      ? await post('/api/verifications', { sample: 'greeting' }, signal)
      : latest
        ? await post(`/api/verifications/${encodeURIComponent(sessionId)}/secret`, { clientSecret: latest, sessionId }, signal)
        : await post('/api/verifications/resume', { sessionId }, signal);
    if (res.status === 404 && sessionId && !latest) return null;
    if (!res.ok) throw new Error(`our backend answered ${res.status}`);
    const body = (await res.json()) as { sessionId?: string; clientSecret: { secret: string } };
    latest = body.clientSecret.secret;
    watchServer(body.sessionId ?? sessionId!);
    return body.clientSecret;
  };
  listen(el);
  current = el;
  $('verify-slot').replaceChildren(el);
}

void loadSamples();
