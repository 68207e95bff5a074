// GET: the logged-in user's verification as FaceSign's signed webhook left it: what the page shows, never what
// the browser saw.
import { userOf } from '@/lib/login';
import { store } from '@/lib/store';

export async function GET(request: Request) {
  const user = userOf(request.headers.get('cookie'));
  if (!user) return Response.json({ error: { code: 'not_logged_in', message: 'Log in first' } }, { status: 401 });
  const latest = await store.latestVerificationOf(user.id);
  return Response.json(
    { verification: latest ? { sessionId: latest.sessionId, status: latest.status, isVerified: latest.isVerified } : null },
    { headers: { 'cache-control': 'no-store' } },
  );
}
