// #region webhook
// POST: FaceSign's signed deliveries. The raw body (request.text()) is verified before anything is read from it,
// and each delivery is applied once per webhook id.
import { FaceSignSignatureError } from '@facesign/verify/server';
import { facesign, webhookSecret } from '@/lib/facesign';
import { store } from '@/lib/store';

export async function POST(request: Request) {
  let event;
  try {
    event = await facesign.webhooks.verify(await request.text(), request.headers, webhookSecret());
  } catch (e) {
    if (e instanceof FaceSignSignatureError) return Response.json({ error: { code: e.code, message: e.message } }, { status: 400 });
    throw e;
  }
  // once per webhook id (event.id): FaceSign retries until it gets a 2xx, and a replayed delivery is signed too
  const outcome = await store.applyWebhookOnce(event.id, event.data.session);
  // a session this app never made: 4xx, so it shows in FaceSign's delivery log
  if (outcome === 'unknown_session')
    return Response.json({ error: { code: 'unknown_session', message: 'No such verification here' } }, { status: 422 });
  return Response.json({ received: true });
}
// #endregion
