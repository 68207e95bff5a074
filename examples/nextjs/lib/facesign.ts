// The FaceSign API client and the webhook secret, from the environment; unset, the local sandbox's (`npm start` in
// the SDK's repository). Server only: the API key never reaches a page.
import { FaceSign, type ClientSecret } from '@facesign/verify/server';

const SANDBOX = {
  apiKey: 'sk_test_sandbox_0123456789abcdef',
  apiUrl: 'http://127.0.0.1:4010',
  webhookSecret: 'whsec_ZmFjZXNpZ24tZGVtby13ZWJob29rcy1rZXk=',
};
const ownKey = process.env.FACESIGN_API_KEY;

export const facesign = new FaceSign({
  apiKey: ownKey ?? SANDBOX.apiKey, // sk_test_… or sk_prod_…
  // FaceSign's API for your own key; the sandbox's simulator (http://127.0.0.1:4010) for its test key
  baseUrl: process.env.FACESIGN_API_URL ?? (ownKey ? undefined : SANDBOX.apiUrl),
});

/** The whsec_… secret your webhook's deliveries are signed with. */
export function webhookSecret(): string {
  const secret = process.env.FACESIGN_WEBHOOK_SECRET ?? (ownKey ? undefined : SANDBOX.webhookSecret);
  if (!secret) throw new Error("FACESIGN_WEBHOOK_SECRET is not set: with your own FACESIGN_API_KEY, set your webhook's whsec_… secret too");
  return secret;
}

/** The part of a client secret the browser gets: never the API key, never the whole session. */
export const forBrowser = ({ secret, expireAt, url }: ClientSecret) => ({ secret, expireAt, url });
