// POST: the stand-in login (lib/login.ts), from the page's form; then back to the page.
import { logInCookie } from '@/lib/login';

export function POST() {
  return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': logInCookie() } });
}
