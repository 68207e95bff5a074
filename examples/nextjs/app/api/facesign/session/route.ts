// POST: the logged-in user's verification. Their unfinished one goes on (a reload, a second tab: the person
// continues where they were), otherwise a new one; the browser gets only its client secret.
import { FaceSignAPIError, FaceSignConnectionError, type FlowNode } from '@facesign/verify/server';
import { facesign, forBrowser } from '@/lib/facesign';
import { userOf } from '@/lib/login';
import { FINISHED } from '@/lib/result';
import { store } from '@/lib/store';

/** What the verification asks (see FaceSign's docs for flows); the sandbox runs any flow. */
const FLOW: FlowNode[] = [
  { id: 'start', type: 'start', outcome: 'greeting' },
  {
    id: 'greeting',
    type: 'conversation',
    prompt: "Say: Hello! What's your name?",
    outcomes: [{ id: 'named', condition: 'user provided name', targetNodeId: 'end' }],
  },
  { id: 'end', type: 'end' },
];

export async function POST(request: Request) {
  const user = userOf(request.headers.get('cookie'));
  if (!user) return Response.json({ error: { code: 'not_logged_in', message: 'Log in first' } }, { status: 401 });
  // a JSON body only: another site can make a browser send a form or text/plain POST without asking, but not a
  // JSON one (the login cookie is SameSite=Lax as well)
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? ''))
    return Response.json({ error: { code: 'unsupported_media_type', message: 'Send content-type: application/json' } }, { status: 415 });

  // a page that came back may name the session its element ran ({ sessionId }, the element's fetchClientSecret):
  // 404 unless it is this user's unfinished one
  let claimed: unknown;
  try {
    claimed = (await request.json())?.sessionId;
  } catch {
    return Response.json({ error: { code: 'invalid_body', message: 'The body must be JSON: {} or { "sessionId": "…" }' } }, { status: 400 });
  }
  const latest = await store.latestVerificationOf(user.id);
  const unfinished = latest && !FINISHED.has(latest.status) ? latest : undefined;
  const notYours = () =>
    Response.json({ error: { code: 'no_unfinished_verification', message: 'Not your unfinished verification: start a new one' } }, { status: 404 });
  if (claimed !== undefined && claimed !== unfinished?.sessionId) return notYours();
  if (unfinished) {
    try {
      const { clientSecret } = await facesign.sessions.refreshSecret(unfinished.sessionId); // the old secret dies at once
      await store.saveSecret(unfinished.sessionId, clientSecret.secret);
      return Response.json({ sessionId: unfinished.sessionId, clientSecret: forBrowser(clientSecret) });
    } catch (e) {
      // it ended on FaceSign's side before its webhook arrived: a new one (or, for a named one, none)
      if (!(e instanceof FaceSignAPIError && e.status < 500)) return failed(e);
      if (claimed !== undefined) return notYours();
    }
  }
  let created;
  try {
    created = await facesign.sessions.create({ clientReferenceId: user.id, flow: FLOW });
  } catch (e) {
    return failed(e);
  }
  const { session, clientSecret } = created;
  await store.createVerification({
    sessionId: session.id,
    userId: user.id,
    clientSecret: clientSecret.secret,
    status: session.status,
    isVerified: null,
  });
  return Response.json({ sessionId: session.id, clientSecret: forBrowser(clientSecret) }, { status: 201 });
}

/** A failure: the details to your log, a stable code to the browser. */
function failed(e: unknown) {
  console.error('facesign session:', e);
  if (e instanceof FaceSignConnectionError || (e instanceof FaceSignAPIError && (e.status >= 500 || e.status === 429)))
    return Response.json({ error: { code: 'facesign_unavailable', message: 'FaceSign could not be reached: try again shortly' } }, { status: 503 });
  return Response.json({ error: { code: 'server_error', message: 'Something went wrong on our side' } }, { status: 500 });
}
