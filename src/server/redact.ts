// The API key out of every text an error carries. An API (or a proxy, or a logging fetch) that repeats the
// Authorization header in its message would otherwise put the key into the error's message, its stack (written
// when the error is made), `inspect` and every log or error tracker that receives it.

const KEY_SHAPED = /sk_(?:test|prod)_\w*/g;
/** A run this long of the key's secret part is redacted wherever it appears; shorter ones are ordinary words. */
const MIN_RUN = 8;

/**
 * `text` with anything shaped like a secret key (`sk_test_…`, `sk_prod_…`, whole or a prefix) and every run of 8
 * or more characters of `key`'s secret part (the key without its `sk_test_`, or a piece of it) as `[redacted]`.
 */
export function redactKey(text: string, key = ''): string {
  const shaped = text.replace(KEY_SHAPED, '[redacted]');
  const secret = key.replace(/^sk_(?:test|prod)_/, '');
  // a short key's secret part is redacted only whole
  const min = Math.max(4, Math.min(MIN_RUN, secret.length));
  let out = '';
  for (let i = 0; i < shaped.length;) {
    let run = 0;
    while (i + run < shaped.length && secret.includes(shaped.slice(i, i + run + 1))) run++;
    if (run >= min) {
      out += '[redacted]';
      i += run;
    } else out += shaped[i++];
  }
  return out;
}

/** The texts an error shows in a log or `inspect`: its message, stack and own fields. */
function textsOf(e: Error): string[] {
  const texts = [e.message, e.stack ?? ''];
  for (const v of Object.values(e))
    try {
      texts.push(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    } catch {
      texts.push(String(v));
    }
  return texts;
}

/**
 * A cause as an error may keep it: itself when none of its texts (nor its causes') repeats the key, otherwise a
 * plain copy with the key redacted (its name, `code` and message, the causes redacted the same way).
 */
export function redactCause(cause: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (depth > 4) return undefined;
  if (!(cause instanceof Error)) {
    if (cause === null || (typeof cause !== 'object' && typeof cause !== 'string')) return cause;
    let text: string;
    try {
      text = typeof cause === 'string' ? cause : (JSON.stringify(cause) ?? '');
    } catch {
      text = String(cause);
    }
    return redact(text) === text ? cause : redact(text);
  }
  const inner = cause.cause === undefined ? undefined : redactCause(cause.cause, redact, depth + 1);
  if (inner === cause.cause && textsOf(cause).every((t) => redact(t) === t)) return cause;
  const copy = new Error(redact(cause.message), inner === undefined ? undefined : { cause: inner });
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && redact(code) === code) Object.assign(copy, { code });
  // the copy's stack is new (this function's frames): the original's could hold the key
  return copy;
}
