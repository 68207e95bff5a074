// #region refresh
// POST: the element's refresh-url. A new secret for the verification this user holds (the old one stops working).
// Created once, at module level: its limits (README, "The refresh endpoint, ready-made") live in its memory.
import { facesign } from '@/lib/facesign';
import { userOf } from '@/lib/login';
import { store } from '@/lib/store';

export const POST = facesign.refreshHandler({
  // your login decides: the verification you stored for this user, returned as stored (false refuses)
  authorize: async (request) => {
    const user = userOf(request.headers.get('cookie'));
    const latest = user && (await store.latestVerificationOf(user.id));
    return latest ? { sessionId: latest.sessionId, clientSecret: latest.clientSecret } : false;
  },
  onRefresh: ({ sessionId, clientSecret }) => store.saveSecret(sessionId, clientSecret.secret),
  onError: (e) => console.error('facesign refresh:', e),
});
// #endregion
