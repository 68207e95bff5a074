// Webhook verification, the Standard Webhooks way (https://www.standardwebhooks.com/): `webhook-id`,
// `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, key = the base64
// after `whsec_`. Web Crypto only. Not the `standardwebhooks` package: its tolerance is fixed at 5 minutes, it
// reads headers only from plain objects (not a fetch `Headers`), takes a Buffer but not a Uint8Array body (what
// Workers and Deno give), is CommonJS, and reports why only in message text; the tests check that both agree.
import { FaceSignSignatureError, checkNumber } from './errors.js';
import type { FaceSignWebhookEvent } from './types.js';

/** A fetch `Headers`, or a plain object as node:http / Express give it (`req.headers`). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** seconds a delivery's timestamp may be off from now, either way (default 300): a finite number ≥ 0 */
  tolerance?: number;
  /** for tests: the current time, Unix seconds (a finite number ≥ 0) */
  now?: number;
}

/** Signature entries read at most (a rotation sends two or three), and the header's length at most. */
const MAX_ENTRIES = 10;
const MAX_HEADER = 2048;
/** Secrets taken at most (one HMAC each). */
const MAX_SECRETS = 10;

const header = (headers: WebhookHeaders, name: string): string | undefined => {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(' ') : v;
  return undefined;
};

const bad = (code: ConstructorParameters<typeof FaceSignSignatureError>[0], message: string) => new FaceSignSignatureError(code, message);

/** The key bytes of a `whsec_` secret. */
function keyOf(secret: unknown): Uint8Array {
  if (typeof secret !== 'string' || !secret.startsWith('whsec_'))
    throw bad('invalid_secret', 'The webhook secret must be the whsec_… value from your FaceSign webhook settings');
  let key: Uint8Array;
  try {
    key = Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0));
  } catch {
    throw bad('invalid_secret', 'The webhook secret is not whsec_ followed by base64: copy it again from your FaceSign webhook settings');
  }
  if (!key.length) throw bad('invalid_secret', 'The webhook secret is empty after whsec_');
  return key;
}

/** Equal bytes, in time that depends on the length only. */
function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/**
 * Checks a delivery and returns its event; throws a `FaceSignSignatureError` (answer 400) when it must not be
 * trusted. Pass the body exactly as received (a string or bytes: `express.raw()`, `await request.text()`), never
 * a parsed object. A valid delivery can still arrive twice: deduplicate on `event.id` (= `webhook-id`).
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<FaceSignWebhookEvent> {
  // a NaN tolerance would accept a delivery of any age
  const tolerance = checkNumber('tolerance', options?.tolerance ?? 300, { unit: 'seconds' });
  const now = checkNumber('now', options?.now ?? Math.floor(Date.now() / 1000), { unit: 'seconds' });
  // a list while rotating: the new secret and the old one
  const list = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret : [secret];
  if (!list.length || list.length > MAX_SECRETS)
    throw bad('invalid_secret', `Pass your whsec_… secret, or a list of 1 to ${MAX_SECRETS} of them while rotating`);
  const keys = list.map(keyOf);
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array) && !(rawBody instanceof ArrayBuffer))
    throw bad(
      'invalid_body',
      'Pass the raw request body (a string or bytes): a parsed object cannot be verified. Express: express.raw({ type: "application/json" }); fetch handlers: await request.text()',
    );
  if (!headers || typeof headers !== 'object') throw bad('missing_header', 'Pass the request headers (req.headers or request.headers)');
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigs = header(headers, 'webhook-signature');
  const missing = [!id && 'webhook-id', !ts && 'webhook-timestamp', !sigs && 'webhook-signature'].filter(Boolean);
  if (missing.length) throw bad('missing_header', `The delivery has no ${missing.join(', ')} header: it is not from FaceSign`);
  if (!/^\d{1,12}$/.test(ts!)) throw bad('invalid_timestamp', 'webhook-timestamp is not Unix seconds');
  const age = now - Number(ts);
  if (age > tolerance) throw bad('timestamp_too_old', `The delivery is ${age} s old (tolerance ${tolerance} s): a replay, or a clock that is off`);
  if (-age > tolerance)
    throw bad('timestamp_in_future', `The delivery is dated ${-age} s ahead (tolerance ${tolerance} s): check this server's clock`);

  // several entries when FaceSign rotates its signing; bounded before any hashing, so a header of 2,000 entries
  // (or a megabyte of one) costs nothing but this check
  const entries = sigs!.length > MAX_HEADER ? [] : sigs!.split(' ');
  if (!entries.length || entries.length > MAX_ENTRIES)
    throw bad('invalid_signature', `webhook-signature has more than ${MAX_ENTRIES} entries or ${MAX_HEADER} characters: not a FaceSign delivery`);
  const macs: Uint8Array[] = [];
  for (const part of entries) {
    const [version, b64] = part.split(',');
    if (version !== 'v1' || !b64) continue;
    try {
      macs.push(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    } catch {
      // not base64: no match
    }
  }

  const body = typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : new Uint8Array(rawBody);
  const signed = concat(new TextEncoder().encode(`${id}.${ts}.`), body);
  let ok = false;
  // one HMAC per secret, whatever the number of entries; each entry compared in constant time
  for (const key of macs.length ? keys : []) {
    const cryptoKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const expected = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, signed as BufferSource));
    for (const m of macs) if (same(m, expected)) ok = true;
  }
  if (!ok)
    throw bad('invalid_signature', "No webhook-signature matches this body and secret: the body was changed, or the secret is not this endpoint's");

  let event: FaceSignWebhookEvent;
  try {
    event = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw bad('invalid_payload', 'The signed body is not JSON');
  }
  if (!event || typeof event.type !== 'string' || typeof event.data?.session?.id !== 'string')
    throw bad('invalid_payload', 'The signed body is not a FaceSign event ({ id, type, createdAt, data: { session } })');
  return event;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
