// The page, rendered on the server: the login (a stand-in), or the verification with the result the server has
// now. The client component takes it from there.
import { headers } from 'next/headers';
import { userOf } from '@/lib/login';
import { resultState } from '@/lib/result';
import { store } from '@/lib/store';
import Verify from './verify';

export default async function Page() {
  const user = userOf((await headers()).get('cookie'));
  if (!user)
    return (
      <main>
        <h1>Example shop</h1>
        <p>Log in to verify your identity.</p>
        {/* the stand-in login (lib/login.ts): replace with yours */}
        <form method="post" action="/api/login">
          <button type="submit">Log in as the demo user</button>
        </form>
      </main>
    );
  const latest = await store.latestVerificationOf(user.id);
  return (
    <main>
      <h1>Example shop</h1>
      <div className="account">
        <p>
          Logged in as <strong>{user.name}</strong>
        </p>
        <form method="post" action="/api/logout">
          <button type="submit" className="quiet">
            Log out
          </button>
        </form>
      </div>
      <h2>Identity verification</h2>
      <Verify initial={resultState(latest)} />
    </main>
  );
}
