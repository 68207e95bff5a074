/**
 * The sandbox's hosted verify page, built on `src/frame.ts`. Embedded by <facesign-verify>, it gets the client
 * secret over the MessagePort (never from its URL); opened top-level, it takes the secret from the element's
 * POST (launch.ts), or from `client_secret` in a link's URL (`clientSecret.url`, removed from the address bar).
 * It walks the session's flow against the API simulator's client API, shows a live camera preview when it can,
 * and reports its lifecycle to the host. Embedded, it talks only to a host its merchant allowed (the merchant is
 * named in its URL; the session must be that merchant's).
 */
import { connectToHost, embedParams, secretKey, type FaceSignError, type HostConnection } from '../../src/frame.js';
import { takeLaunch } from './launch.js';
import { askCamera, unavailable, type CameraProblem } from './camera.js';
import { watchSession } from './session-watch.js';
import { REFUSED, forgetPhoneSecret, phoneLaunch, phoneWatch, relay } from './handoff.js';

declare const __FACESIGN_API__: string;
const API = `${__FACESIGN_API__}/v1/client`;

interface FlowNode {
  id: string;
  type: 'start' | 'conversation' | 'end';
  prompt?: string;
  outcomes?: { id: string; condition: string; targetNodeId: string }[];
  input?: 'code';
  hint?: string;
}
interface ClientSession {
  id: string;
  status: 'requiresInput' | 'processing' | 'complete' | 'canceled';
  avatar: { id: string; name: string };
  initialPhrase: string;
  finalPhrase: string;
  defaultLang: string;
  customization: { branding?: { primaryColor?: string } };
  /** where a redirect may return to (the merchant's setting) */
  allowedReturnOrigins: string[];
  /** who may embed this session's page (the merchant's setting) */
  allowedEmbedOrigins: string[];
  node: FlowNode;
  transcript: { id: string; text: string; isAvatar: boolean }[];
  /** why a canceled session ended: user_canceled, closed_by_host, expired */
  canceledReason?: string;
  /** where continuing on a phone is: 'opened' or 'left' when a phone holds this session */
  handoff?: 'none' | 'waiting' | 'opened' | 'left' | 'expired';
}
class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the API's finer reason, e.g. client_secret_invalid */
    readonly code?: string,
  ) {
    super(message);
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]) => {
  const e: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

// An id made at load: the secret-lifecycle tests prove the document was not reloaded by reading it.
const loadId = crypto.randomUUID();
document.documentElement.dataset.loadId = loadId;

let conn: HostConnection | undefined;
let secret = '';
let session: ClientSession | undefined;
let stream: MediaStream | undefined;
let livenessSeen = false;
/**
 * Where this page's run is: `live` (the flow runs here), `halted` (nothing more can run here: a camera the flow needs
 * is missing, a secret FaceSign never issued; the host may still hand it to the phone or cancel it), `on-phone` (a
 * phone took the session and the host's relay follows it; a host's cancel still goes to the server), `over` (ended
 * here or elsewhere, or the host let this page go).
 */
let run: 'live' | 'halted' | 'on-phone' | 'over' = 'live';
/** The run left this page: handed to the phone, or ended. */
const gone = () => run === 'on-phone' || run === 'over';
/** top-level runs (the element's redirect fallback): where to go back with the outcome */
let returnUrl: URL | undefined;
/** launched by the element's POST: the return carries `fs_key` (older elements leave an unknown parameter be) */
let posted = false;
/** owns the watch of a live session (session-watch.ts): aborted when the run ends here or the page leaves */
let watching: AbortController | undefined;
/** opened on the person's phone by the computer's one-time link (handoff.ts): its last screen sends them back there */
let onPhone = false;
/** ends the phone's watch of the computer */
const phoneRun = new AbortController();
const back = () => (onPhone ? ' You can return to your computer.' : '');

/** Back to the merchant page with the session id and the outcome, never the secret. */
function goBack(result: 'complete' | 'canceled', reason?: string) {
  if (!returnUrl || !session) return;
  // only to an origin the merchant allowed: otherwise this page would be an open redirect carrying the session id
  // and its result to whatever return_url a link put here
  if (!session.allowedReturnOrigins.includes(returnUrl.origin)) return refuseReturn(returnUrl);
  returnUrl.searchParams.set('fs_session', session.id);
  returnUrl.searchParams.set('fs_result', result);
  if (reason) returnUrl.searchParams.set('fs_reason', reason);
  // proof that the page naming this session id held the session's secret: a tag of it, never the secret
  if (posted) returnUrl.searchParams.set('fs_key', secretKey(secret));
  location.replace(returnUrl.href);
}
/** An error page instead of a navigation to a return address the merchant did not allow. */
function refuseReturn(to: URL) {
  setStatus('This return address is not allowed.');
  notice(
    `The verification ended, but ${to.origin} is not a return address this service allowed, so this page does not go there. Go back to the site you came from.`,
  );
  document.body.dataset.returnRefused = to.origin;
}

/**
 * Who may embed this page: the setting of the merchant its URL names (`merchant`, from clientSecret.url), public and
 * asked before the hello, when no secret has come yet. Undefined when the API cannot be reached.
 */
async function embedOrigins(): Promise<string[] | undefined> {
  const merchant = new URL(location.href).searchParams.get('merchant') ?? '';
  try {
    const res = await fetch(`${API}/embed?merchant=${encodeURIComponent(merchant)}`);
    return res.ok ? ((await res.json()) as { allowedEmbedOrigins: string[] }).allowedEmbedOrigins : [];
  } catch {
    return undefined;
  }
}
/** A page that embeds us without the merchant's leave: it is told so and gets nothing of the verification. */
function refuseHost(origin: string) {
  setStatus('This site may not show this verification.');
  notice(`${origin} is not a site this service allowed to show its verification. Go back to the site you came from.`);
  document.body.dataset.hostRefused = origin;
}
let waitingForSecret: Promise<void> | undefined;
let secretArrived: (() => void) | undefined;

function setStatus(text: string) {
  $('status').textContent = text;
}
function notice(text: string, kind: 'error' | 'waiting' = 'error') {
  const n = $('notice');
  n.textContent = text;
  n.className = `notice ${kind}`;
  n.hidden = !text;
}

/** Calls the client API with the current secret. An expired or replaced secret waits for the host's new one. */
async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  for (;;) {
    let res: Response;
    try {
      res = await fetch(`${API}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          // once the page knows its session, a secret of another one is refused (a host swapping sessions)
          ...(session && { 'facesign-session': session.id }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch {
      throw new ApiFailure(0, 'The verification service cannot be reached. Check your connection and try again.');
    }
    const json = await res.json().catch(() => ({}));
    if (res.ok) return json as T;
    // only an expired or replaced secret can be renewed; one FaceSign never issued cannot
    const code = json?.error?.code;
    if (res.status === 401 && code !== 'client_secret_invalid' && code !== 'client_secret_wrong_session' && conn && run === 'live') {
      await newSecret();
      continue;
    }
    throw new ApiFailure(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.code);
  }
}

/** Asks the host for a new secret once, however many requests are waiting, and keeps the page as it is. */
function newSecret(): Promise<void> {
  waitingForSecret ??= new Promise<void>((resolve) => {
    notice('Your session is being renewed. Please wait, nothing you did is lost…', 'waiting');
    secretArrived = () => {
      waitingForSecret = undefined;
      notice('');
      resolve();
    };
    conn!.secretExpired();
  });
  return waitingForSecret;
}

/** A new secret from the host: checked against the API before it replaces the current one, then acknowledged. */
let secretSeq = 0;
async function takeSecret(next: string) {
  const seq = ++secretSeq;
  let status = 0;
  try {
    // checked against this page's session: a valid secret of another session is refused (401)
    const headers = { authorization: `Bearer ${next}`, ...(session && { 'facesign-session': session.id }) };
    status = (await fetch(`${API}/session`, { headers })).status;
  } catch {
    // offline: take it; the next request tells
  }
  // a newer secret arrived while this one was checked (and refreshing killed this one): only the newest counts
  if (seq !== secretSeq) return;
  if (status === 401) return conn!.secretRejected('FaceSign does not accept this client secret for this session');
  secret = next;
  conn!.secretAccepted();
  secretArrived?.();
}

function say(text: string, isAvatar: boolean) {
  $('transcript').append(el('li', { className: isAvatar ? 'avatar' : 'user', textContent: text }));
}

/** Camera problems end the verification instead of going on without liveness (`?sim=camera-required`). */
const cameraRequired = () => new URL(location.href).searchParams.get('sim') === 'camera-required';

/** Reports a camera problem to the host and says in the page what to do, with Try again where asking again can help. */
function cameraProblem(p: CameraProblem) {
  const note = $('camera-note');
  const again = el('button', { type: 'button', className: 'small', textContent: 'Try again', onclick: () => void startCamera() });
  note.replaceChildren(p.help, ...(p.askAgain ? [' ', again] : []));
  note.hidden = false;
  // the sandbox's flow goes on without liveness (the result is "not verified"); one that needs the camera ends
  // here when there is none (a refused microphone leaves the camera on: typed answers)
  const required = cameraRequired() && !stream;
  if (required) run = 'halted';
  conn?.error(p.code, `${p.code}: ${p.why}`, !required);
}

async function startCamera(): Promise<void> {
  const note = $('camera-note');
  if (!navigator.mediaDevices?.getUserMedia) return cameraProblem(unavailable('this browser or page cannot use a camera'));
  note.textContent = 'Waiting for camera permission…';
  note.hidden = false;
  // a permission prompt the user ignores must not hang the flow: go on after 10 s, attach the camera if it comes
  const asked = askCamera();
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000));
  const first = await Promise.race([asked, timeout]);
  if (first === 'timeout') {
    cameraProblem(unavailable('no answer to the permission request'));
    void asked.then((a) => a.stream && attach(a.stream));
    return;
  }
  if (first.stream) attach(first.stream);
  if (first.problem) cameraProblem(first.problem);
  else note.hidden = true;
}

function attach(s: MediaStream) {
  if (run !== 'live') return s.getTracks().forEach((t) => t.stop());
  // asked again (Try again): the stream before goes
  stream?.getTracks().forEach((t) => t.stop());
  stream = s;
  const video = $<HTMLVideoElement>('camera');
  video.srcObject = s;
  video.dataset.live = '';
  livenessSeen ||= s.getVideoTracks().some((t) => t.readyState === 'live');
}

function stopCamera() {
  stream?.getTracks().forEach((t) => t.stop());
  stream = undefined;
  delete $('camera').dataset.live;
}

function renderNode(node: FlowNode, retry?: string) {
  const controls = $('controls');
  controls.replaceChildren();
  if (node.type === 'end') return void finish();
  if (node.type !== 'conversation') return;
  say(node.prompt!, true);
  if (retry) say(retry, true);
  const answer = async (body: { outcomeId: string } | { text: string }, label: string) => {
    controls.querySelectorAll('button, input').forEach((b) => ((b as HTMLButtonElement).disabled = true));
    say(label, false);
    try {
      const r = await api<{ node: FlowNode; retry?: string }>('POST', '/session/answer', { nodeId: node.id, ...body });
      if (!r.retry) conn?.step(r.node.id, r.node.type);
      renderNode(r.node, r.retry);
    } catch (e) {
      fail(e);
    }
  };
  if (node.input !== 'code') {
    controls.append(
      el(
        'div',
        { className: 'choices' },
        ...node.outcomes!.map((o) =>
          el('button', { type: 'button', textContent: o.condition, onclick: () => answer({ outcomeId: o.id }, o.condition) }),
        ),
      ),
    );
  }
  const input = el('input', {
    name: 'answer',
    placeholder: node.input === 'code' ? '6-digit code' : 'Or type your answer',
    autocomplete: 'off',
    required: true,
  });
  if (node.input === 'code') input.inputMode = 'numeric';
  const form = el('form', {}, input, el('button', { type: 'submit', className: 'primary', textContent: 'Send' }));
  form.onsubmit = (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (text) void answer({ text }, text);
  };
  controls.append(form);
  if (node.hint) controls.append(el('p', { className: 'hint', textContent: node.hint }));
  controls.append(el('button', { type: 'button', textContent: 'Cancel verification', onclick: () => cancel('user_canceled') }));
}

async function finish() {
  watching?.abort();
  try {
    await api('POST', '/session/finish', { livenessDetected: livenessSeen });
  } catch (e) {
    return fail(e);
  }
  completed();
}

/** The end of a completed run, whoever finished it (this page, or a test helper the watch saw). */
function completed() {
  run = 'over';
  stopCamera();
  $('controls').replaceChildren();
  say(session!.finalPhrase, true);
  setStatus(conn ? 'Verification complete.' : onPhone ? 'Verification complete.' + back() : 'Verification complete. You can close this window.');
  phoneRun.abort();
  forgetPhoneSecret();
  conn?.completed(session!.id);
  goBack('complete');
}

/**
 * Ends the run on the server and says so. `by`: the person on this page (it stays to show the end), or the host
 * (its `close`: the host removes this frame once it hears `canceled`, at the latest a second later).
 */
async function cancel(reason: string, by: 'person' | 'host' = 'person') {
  if (run === 'over') return;
  watching?.abort();
  run = 'over';
  if (by === 'host') {
    // the request must outlive this document, or the session (and a phone running it) goes on: a beacon does, and
    // as a simple request it needs no CORS preflight, which Chromium refuses for a request whose document is gone;
    // so the secret and the session it names go in its body
    const beacon = JSON.stringify({ secret, session: session?.id, reason });
    if (!navigator.sendBeacon(`${API}/session/cancel-beacon`, beacon)) void api('POST', '/session/cancel', { reason }).catch(() => {});
    // to the host, the sign that the cancel is on its way (or, before its `close`, the terminal cancel)
    canceled(reason);
    return goBack('canceled', reason);
  }
  await api('POST', '/session/cancel', { reason }).catch(() => {
    // said on this page all the same; the server ends the session when its secret expires
  });
  canceled(reason);
  goBack('canceled', reason);
}

/** The end of a canceled run: by the person here, by the host, or elsewhere (a test helper; `expired`). */
function canceled(reason: string) {
  run = 'over';
  stopCamera();
  $('controls').replaceChildren();
  setStatus((reason === 'expired' ? 'This verification has expired.' : 'Verification canceled.') + back());
  if (reason === 'expired') notice('Go back to the page you came from and start again.');
  phoneRun.abort();
  forgetPhoneSecret();
  conn?.canceled(reason);
}

/** Starts watching the live session for an end that happens elsewhere; the watch ends with the run. */
function watch() {
  watching = new AbortController();
  watchSession({
    url: `${API}/session`,
    headers: () => ({ authorization: `Bearer ${secret}`, 'facesign-session': session!.id }),
    signal: watching.signal,
    onEnded: (s) => {
      watching?.abort();
      if (run !== 'live') return;
      if (s.status === 'complete') return completed();
      const reason = s.canceledReason ?? 'user_canceled';
      canceled(reason);
      goBack('canceled', reason);
    },
    onFailed: (status, message, code) => fail(new ApiFailure(status, message, code)),
    onPhone: (state) => toPhone(state),
  });
}

/**
 * The person's phone holds the session (it opened a code this computer showed before it reloaded): the host's
 * relay takes over and says where the phone is. False for a host that cannot relay: this page's next flow request
 * is refused (session_on_other_device) and says so.
 */
function toPhone(state: 'opened' | 'left'): boolean {
  if (gone() || !conn?.handoff(state)) return false;
  watching?.abort();
  run = 'on-phone';
  stopCamera();
  $('controls').replaceChildren();
  setStatus('This verification continues on your phone.');
  return true;
}

/** The host is done with this page, not with the verification: stop the camera, end nothing on the server. */
function leave() {
  if (gone()) return;
  watching?.abort();
  run = 'over';
  stopCamera();
  $('controls').replaceChildren();
  setStatus('You can continue this verification where you left off.');
}

function fail(e: unknown) {
  // a request answered after the run left this page (handed to the phone, ended): nothing more to say here
  if (gone()) return;
  watching?.abort();
  const status = e instanceof ApiFailure ? e.status : 0;
  const message = e instanceof Error ? e.message : String(e);
  if (status === 401 && e instanceof ApiFailure && e.code === 'client_secret_invalid') {
    run = 'halted';
    notice('This verification link is not valid. Go back to the page you came from and start again.');
    conn?.error(
      'invalid_client_secret',
      'FaceSign does not know this client secret: it was never issued, or it is from another environment (a test secret on production, or the reverse). Create a new session on your server.',
      false,
    );
    return;
  }
  // the phone took the session between two of the watch's looks: the same hand-over
  if (e instanceof ApiFailure && e.code === 'session_on_other_device' && toPhone('opened')) return;
  if (status === 401) {
    notice('This verification link has expired. Ask for a new one.');
    conn?.error('secret_expired', message, false);
    return;
  }
  if (status === 400 && /already (complete|canceled)/.test(message)) {
    run = 'over';
    notice('This verification has already ended.');
    conn?.error('session_finished', message, false);
    return;
  }
  // the run stopped here: no camera left on, no "Verifying" over an error
  stopCamera();
  setStatus('The verification stopped.');
  notice(message);
  const retry = el('button', { type: 'button', className: 'primary', textContent: 'Try again', onclick: () => location.reload() });
  $('controls').replaceChildren(retry);
  conn?.error(status === 0 ? 'network_error' : 'hosted_page_error', message, false);
}

/**
 * The element's appearance (JSON, checked by the element; parsed defensively all the same: it crossed a window):
 * the colour scheme and the colours it names, on this page's own tokens (hosted.css).
 */
function applyAppearance(json: string) {
  let a: Record<string, unknown>;
  try {
    a = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return;
  }
  const root = document.documentElement;
  if (a.colorScheme === 'dark' || a.colorScheme === 'system') root.dataset.scheme = a.colorScheme;
  const tokens: Record<string, string> = {
    accent: '--accent',
    onAccent: '--on-accent',
    text: '--fg',
    background: '--bg',
    radius: '--radius',
    font: '--font',
  };
  for (const [k, prop] of Object.entries(tokens)) {
    const v = a[k];
    if (typeof v === 'string' && CSS.supports(k === 'radius' ? 'border-radius' : k === 'font' ? 'font-family' : 'color', v))
      root.style.setProperty(prop, v);
  }
  // text of its own on a background of its own: the muted text follows it
  if (typeof a.text === 'string') root.style.setProperty('--muted', a.text);
}

async function begin() {
  $('controls').replaceChildren();
  setStatus(`Verifying with ${session!.avatar.name}`);
  await startCamera();
  // a flow that needs the camera ended with its problem
  if (run !== 'live') return;
  try {
    const r = await api<{ node: FlowNode }>('POST', '/session/start', {
      userAgent: navigator.userAgent,
      platform: navigator.platform,
      lang: document.documentElement.lang,
    });
    conn?.started();
    conn?.step(r.node.id, r.node.type);
    renderNode(r.node);
  } catch (e) {
    fail(e);
  }
}

async function main() {
  if (new URL(location.href).searchParams.has('fs_channel') && !embedParams()) {
    // opened as the element's popup, but severed from the page (its Cross-Origin-Opener-Policy): that page goes on
    // without us (it redirects here instead), so this window closes
    setStatus('This window lost its connection to the page you came from. Close it and continue there.');
    window.close();
    return;
  }
  if (embedParams()) {
    const allowed = await embedOrigins();
    if (!allowed) {
      // no hello: the host finds the page silent and offers another way
      setStatus('The verification service cannot be reached.');
      return;
    }
    try {
      conn = await connectToHost({ allowedHostOrigins: allowed, appearance: true, handoff: true });
    } catch (e) {
      // the host was told (one `refused` message, nothing of the session)
      if ((e as FaceSignError).code === 'origin_not_allowed') return refuseHost(embedParams()!.hostOrigin);
      setStatus('This page must be opened by the FaceSign SDK.');
      notice((e as Error).message);
      return;
    }
    secret = conn.init.secret;
    conn.on('secret', (m) => void takeSecret(m.secret));
    // a cancel ends the session on the server; a page or element that only goes away leaves it open, so the
    // person can continue it (docs/protocol.md, "close"); an older host says neither: a cancel
    conn.on('close', (m) => (m.goodbye === 'leave' ? leave() : void cancel('closed_by_host', 'host')));
    if (conn.init.lang) document.documentElement.lang = conn.init.lang;
    // the camera blocked for this document by the host page's Permissions-Policy, where the browser tells: the
    // host can offer a popup before the user starts
    const policy = (document as { featurePolicy?: { allowsFeature(f: string): boolean } }).featurePolicy;
    const blocked =
      conn.init.mode !== 'popup' && conn.init.mode !== 'handoff' && policy ? ['camera', 'microphone'].filter((f) => !policy.allowsFeature(f)) : [];
    if (blocked.length) {
      setStatus('Your camera cannot be used here.');
      return conn.error('camera_blocked', `the host page's Permissions-Policy blocks ${blocked.join(' and ')} for the verify page`, true);
    }
    // the sandbox's "hosted page navigates away" condition: a link that replaces this document in the frame
    if (new URL(location.href).searchParams.get('sim') === 'navigate')
      $('app').append(el('p', { className: 'small' }, el('a', { id: 'leave', href: '/privacy.html', textContent: 'Privacy policy' })));
  } else if (await phoneStart()) {
    // opened on the phone by the computer's link
  } else {
    if (onPhone) return;
    // the element's POST (in no URL), or a link's query; taken before anything else of this page runs
    const launch = takeLaunch();
    secret = launch.secret;
    returnUrl = launch.returnUrl;
    posted = launch.posted;
    if (!secret) {
      setStatus('No verification session.');
      notice('Open this page from the link your service gave you (it carries a client secret).');
      return;
    }
  }
  try {
    session = (await api<{ session: ClientSession }>('GET', '/session')).session;
  } catch (e) {
    setStatus('The verification could not be loaded.');
    return fail(e);
  }
  if (conn && !session.allowedEmbedOrigins.includes(conn.hostOrigin)) {
    // our URL named a merchant that allows this host, but the secret is another merchant's session: its setting
    // counts. Refused before `ready`: the host learns nothing of the session
    run = 'over';
    refuseHost(conn.hostOrigin);
    conn.error('origin_not_allowed', `${conn.hostOrigin} may not embed this session: it is not one of its merchant's allowed embed origins`, false);
    return;
  }
  if (session.status === 'complete' || session.status === 'canceled') {
    setStatus('This verification has already ended.');
    run = 'over';
    // a page continuing a session that ended meanwhile (a reload after the end, a resume): the host gets the
    // outcome itself, not an error (a canceled one: its reason in the message)
    if (session.status === 'complete') conn?.completed(session.id);
    else conn?.error('session_finished', `session is already canceled${session.canceledReason ? ` (${session.canceledReason})` : ''}`, false);
    return;
  }
  if (conn?.init.mode === 'handoff') {
    // the computer's relay: where the phone is, never the flow itself
    conn.ready(session.id);
    return relay(conn, api, session.id, setStatus);
  }
  // this computer came back (a reload) to a session its phone holds: the element's relay takes over
  if ((session.handoff === 'opened' || session.handoff === 'left') && toPhone(session.handoff)) return;
  const color = session.customization.branding?.primaryColor;
  if (color) document.documentElement.style.setProperty('--accent', color);
  // the merchant's appearance from the element wins over the session's branding: the same brand as its page
  if (conn?.init.appearance) applyAppearance(conn.init.appearance);
  if (!conn?.init.lang) document.documentElement.lang = session.defaultLang;
  $('stage').hidden = false;
  for (const t of session.transcript) say(t.text, t.isAvatar);
  conn?.ready(session.id);
  watch();
  if (session.status === 'processing') {
    // reloaded mid-flow: continue where the server says we are
    setStatus(`Verifying with ${session.avatar.name}`);
    await startCamera();
    if (run !== 'live') return;
    conn?.started();
    renderNode(session.node);
    return;
  }
  setStatus(`${session.avatar.name} will guide you`);
  say(session.initialPhrase, true);
  $('controls').append(
    el('button', { type: 'button', className: 'primary', textContent: 'Start verification', onclick: () => void begin() }),
    el('button', { type: 'button', textContent: 'Cancel', onclick: () => void cancel('user_canceled') }),
  );
}

/**
 * This page on the phone: the link's secret (or this tab's, after a reload), and the watch that hears a cancel on
 * the computer. True when it was opened that way (`onPhone`, even when the link was refused: that screen is shown).
 */
async function phoneStart(): Promise<boolean> {
  const phone = await phoneLaunch();
  if (!phone) return false;
  onPhone = true;
  if ('refused' in phone) {
    // a refusal this page has no words of its own for (a rate limit, a service failure) reads as an invalid link
    const [title, help] = REFUSED[phone.refused] ?? REFUSED.handoff_link_invalid!;
    setStatus(title);
    notice(help);
    document.body.dataset.handoffRefused = phone.refused;
    return false;
  }
  secret = phone.secret;
  phoneWatch(
    api,
    secret,
    () => {
      if (run === 'over') return;
      run = 'over';
      stopCamera();
      forgetPhoneSecret();
      $('controls').replaceChildren();
      setStatus('Verification canceled on your computer.' + back());
    },
    phoneRun.signal,
  );
  return true;
}

// Nothing is canceled when this page goes away (a reload, a closed popup, the host page leaving): the session
// stays open on the server until it ends or its secret expires, and the next page for it continues it.

void main();
