// POST: logs the stand-in user out (lib/login.ts); then back to the page.
import { logOutCookie } from '@/lib/login';

export function POST() {
  return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': logOutCookie() } });
}
