// What `npm start` prints once the sandbox runs: where everything is, and where it delivers and allows, so a developer
// pointing it at their own app sees at a glance that it took their settings.

/** @param {Awaited<ReturnType<typeof import('./sandbox.mjs').startSandbox>>} sb */
export function banner(sb) {
  const cfg = sb.simulator.config;
  const list = (xs) => xs.join(', ');
  return `
FaceSign sandbox is running (loopback only)

  Demo merchant app   ${sb.demoUrl}        <- open this
  Hosted verify page  ${sb.verifyUrl}
  FaceSign API        ${sb.apiUrl}
  Test API key        ${sb.apiKey}
  Webhook secret      ${sb.webhookSecret}

  Webhooks to         ${list([cfg.webhookUrl].flat())}
  May return to       ${list(cfg.allowedReturnOrigins)}
  May embed it        ${list(cfg.allowedEmbedOrigins[sb.apiKey])}
  (your app's: --webhook-url, --return-origin, --embed-origin; npm start -- --help)

  curl -s -X POST ${sb.apiUrl}/v1/sessions -H "Authorization: Bearer ${sb.apiKey}" \\
    -H "content-type: application/json" \\
    -d '{"clientReferenceId":"user-1","modules":[{"type":"identityVerification"}]}'

  Force a session's outcome in a test (verified, not_verified, canceled, expired, error):
  curl -s -X POST ${sb.apiUrl}/v1/test_helpers/sessions/SESSION_ID/outcome -H "Authorization: Bearer ${sb.apiKey}" \\
    -H "content-type: application/json" -d '{"outcome":"not_verified"}'

Ctrl-C stops everything.`;
}
