// ─── REPLACE THIS FILE ─── with your own login. It is a stand-in so the example has a logged-in user: one fixed
// demo user, remembered in a signed cookie. What the rest of the example needs from it is `userOf(cookieHeader)`:
// the logged-in user of a request, or undefined.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const DEMO_USER = { id: 'user_demo_1', name: 'Ada Lovelace' };
const COOKIE = 'demo_login';
// a new key per start logs everyone out on a restart (the in-memory store forgets them anyway)
const key = process.env.LOGIN_COOKIE_SECRET ?? randomBytes(32).toString('hex');
const sign = (value) => createHmac('sha256', key).update(value).digest('base64url');

/** The logged-in user for a request's `cookie` header, or undefined. */
export function userOf(cookieHeader) {
  const value = (cookieHeader ?? '')
    .split(/;\s*/)
    .find((c) => c.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  const [id, mac] = value?.split('.') ?? [];
  if (!id || !mac) return undefined;
  const expected = Buffer.from(sign(id));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return id === DEMO_USER.id ? DEMO_USER : undefined;
}

/**
 * The `set-cookie` value that logs the demo user in. HttpOnly: no script reads it. SameSite=Lax: another site's
 * form or fetch does not carry it, so it cannot start or refresh a verification as this user.
 */
export const logInCookie = () => `${COOKIE}=${DEMO_USER.id}.${sign(DEMO_USER.id)}; Path=/; HttpOnly; SameSite=Lax`;
export const logOutCookie = () => `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
