// `npm start`'s options: the merchant's own app as the sandbox's target (its webhook URL, the origins it may return
// to and embed from), from flags or environment variables (a flag wins over its variable), and the ports. Anything
// malformed is refused with a message naming the flag or variable and what to write instead.
import { parseArgs } from 'node:util';

export const DEFAULT_PORTS = { api: 4010, verify: 4011, demo: 4012 };

export const USAGE = `Usage: npm start -- [options]

Starts the local FaceSign sandbox on loopback: the API simulator, the hosted verify page and the demo merchant app.
Point it at your own app with:

  --webhook-url URL      also deliver every webhook to URL (the demo app's backend keeps getting them)
                         env FACESIGN_WEBHOOK_URL
  --return-origin ORIGIN also allow the redirect to return to ORIGIN (repeat it, or separate by commas)
                         env FACESIGN_RETURN_ORIGINS
  --embed-origin ORIGIN  also allow ORIGIN to embed the hosted page (repeat it, or separate by commas)
                         env FACESIGN_EMBED_ORIGINS
  -h, --help             print this

A flag wins over its variable. An origin is scheme://host[:port], without a path.
For an app on http://localhost:3000 with its webhook route at /api/webhooks/facesign:

  npm start -- --webhook-url http://localhost:3000/api/webhooks/facesign \\
    --return-origin http://localhost:3000 --embed-origin http://localhost:3000

Ports (env): FACESIGN_API_PORT (${DEFAULT_PORTS.api}), FACESIGN_VERIFY_PORT (${DEFAULT_PORTS.verify}), DEMO_PORT (${DEFAULT_PORTS.demo}).
Also FACESIGN_SECRET_TTL (client secret lifetime, seconds, 3600) and FACESIGN_RATE_LIMIT (requests a minute per key, 120).`;

/** A refused option: its message says which one and what to write instead. */
export class UsageError extends Error {
  name = 'UsageError';
}

/**
 * @param {string[]} argv the arguments after `node demo/start.mjs`
 * @param {Record<string, string | undefined>} env
 * @returns {{ help: true } | { help: false, sandbox: object }} `sandbox`: startSandbox's options
 */
export function sandboxOptions(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'webhook-url': { type: 'string' },
        'return-origin': { type: 'string', multiple: true },
        'embed-origin': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    // parseArgs says "Unknown option '--x'", "Option '--webhook-url <value>' argument missing", …
    throw new UsageError(`${e.message.replace(/\. To specify a positional argument.*$/s, '')}. See npm start -- --help`);
  }
  const { values } = parsed;
  if (values.help) return { help: true };
  /** the flag's values when it was given, else its variable's */
  const pick = (flag, variable) =>
    values[flag] !== undefined ? { from: `--${flag}`, raw: [values[flag]].flat() } : { from: variable, raw: env[variable] ? [env[variable]] : [] };
  const webhook = pick('webhook-url', 'FACESIGN_WEBHOOK_URL');
  return {
    help: false,
    sandbox: {
      apiPort: port(env, 'FACESIGN_API_PORT', DEFAULT_PORTS.api),
      verifyPort: port(env, 'FACESIGN_VERIFY_PORT', DEFAULT_PORTS.verify),
      demoPort: port(env, 'DEMO_PORT', DEFAULT_PORTS.demo),
      secretTtl: whole(env, 'FACESIGN_SECRET_TTL', 3600),
      rateLimit: whole(env, 'FACESIGN_RATE_LIMIT', 120),
      webhookUrl: webhook.raw.length ? webhookUrl(webhook.raw[0], webhook.from) : undefined,
      allowedReturnOrigins: origins(pick('return-origin', 'FACESIGN_RETURN_ORIGINS')),
      allowedEmbedOrigins: origins(pick('embed-origin', 'FACESIGN_EMBED_ORIGINS')),
    },
  };
}

function whole(env, name, def) {
  const v = env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`${name} must be a whole number, got "${v}"`);
  return n;
}

function port(env, name, def) {
  const n = whole(env, name, def);
  if (n > 65535) throw new UsageError(`${name} must be a port (0 to 65535; 0 picks a free one), got "${env[name]}"`);
  return n;
}

/** An http(s) URL, anywhere the developer's app listens (loopback, a container's host name, a tunnel). */
function webhookUrl(v, from) {
  const example = 'e.g. http://localhost:3000/api/webhooks/facesign';
  let url;
  try {
    url = new URL(v.trim());
  } catch {
    throw new UsageError(`${from} must be a URL, ${example}; got "${v}"`);
  }
  // "localhost:3000/…" parses, with "localhost:" as its scheme
  if (!/^https?:$/.test(url.protocol)) throw new UsageError(`${from} must start with http:// or https://, ${example}; got "${v}"`);
  if (url.username || url.password)
    throw new UsageError(`${from} must not carry a user or password: deliveries are signed with the webhook secret instead; got "${url.host}"`);
  if (url.hash) throw new UsageError(`${from} must not have a #fragment (it is never sent); got "${v}"`);
  return url.href;
}

/** Origins from each value, split at commas; a trailing "/" is forgiven, a path is not. */
function origins({ from, raw }) {
  const all = raw
    .flatMap((v) => v.split(','))
    .map((o) => o.trim())
    .filter(Boolean);
  return [...new Set(all.map((o) => origin(o, from)))];
}

function origin(v, from) {
  const example = 'e.g. http://localhost:3000';
  let url;
  try {
    url = new URL(v);
  } catch {
    throw new UsageError(`${from} takes origins (scheme://host[:port]) separated by commas, ${example}; got "${v}"`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new UsageError(`${from} takes http:// or https:// origins, ${example}; got "${v}"`);
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/')
    throw new UsageError(
      `${from} takes an origin, without a path, query or user: "${url.origin}" rather than "${v}" (every page of an allowed origin is allowed)`,
    );
  return url.origin;
}
