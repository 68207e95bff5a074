// `npm start`: the local FaceSign sandbox. Ports and the secret lifetime come from env vars (docs/sandbox.md, "Ports and settings").
import { startSandbox } from './sandbox.mjs';

const num = (name, def) => {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a whole number (a port, or seconds), got "${v}"`);
    process.exit(1);
  }
  return n;
};

// more sites that may embed the hosted page, beside the demo app (the merchant's allowed embed origins)
const embedOrigins = (process.env.FACESIGN_EMBED_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
for (const o of embedOrigins) {
  let bare = false;
  try {
    bare = /^https?:$/.test(new URL(o).protocol) && new URL(o).origin === o;
  } catch {
    // reported below
  }
  if (!bare) {
    console.error(`FACESIGN_EMBED_ORIGINS takes origins separated by commas (e.g. http://localhost:3000), got "${o}"`);
    process.exit(1);
  }
}

let sandbox;
try {
  sandbox = await startSandbox({
    apiPort: num('FACESIGN_API_PORT', 4010),
    verifyPort: num('FACESIGN_VERIFY_PORT', 5174),
    demoPort: num('DEMO_PORT', 5173),
    secretTtl: num('FACESIGN_SECRET_TTL', 3600),
    rateLimit: num('FACESIGN_RATE_LIMIT', 120),
    log: (line) => console.log(line),
  });
} catch (e) {
  console.error(`sandbox: ${e.message}`);
  process.exit(1);
}
const allowed = sandbox.simulator.config.allowedEmbedOrigins[sandbox.apiKey];
allowed.push(...embedOrigins.filter((o) => !allowed.includes(o)));

console.log(`
FaceSign sandbox is running (loopback only)

  Demo merchant app   ${sandbox.demoUrl}        <- open this
  Hosted verify page  ${sandbox.verifyUrl}
  FaceSign API        ${sandbox.apiUrl}
  Test API key        ${sandbox.apiKey}
  Webhook secret      ${sandbox.webhookSecret}
  May embed it        ${allowed.join(', ')} (FACESIGN_EMBED_ORIGINS adds more)

  curl -s -X POST ${sandbox.apiUrl}/v1/sessions -H "Authorization: Bearer ${sandbox.apiKey}" \\
    -H "content-type: application/json" \\
    -d '{"clientReferenceId":"user-1","modules":[{"type":"identityVerification"}]}'

Ctrl-C stops everything.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await sandbox.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
