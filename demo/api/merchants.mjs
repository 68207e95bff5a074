// The merchant's embed setting. FaceSign holds it per account, the simulator per API key: the origins that may
// embed the hosted page of the merchant's sessions (a frame's parent, a popup's opener). The hosted page's URL names
// the merchant by a public id (never the key), so the page and its server know whose setting applies before any
// secret has arrived; the setting itself is public (a frame-ancestors header shows it to anyone anyway).
import { createHash } from 'node:crypto';

/** The public id of the merchant holding `apiKey`, as `clientSecret.url` carries it (`merchant=…`). */
export const merchantId = (apiKey) => `mer_${createHash('sha256').update(apiKey).digest('hex').slice(0, 20)}`;

/** The origins the merchant with this public id allowed to embed its sessions; none for an unknown id. */
export function embedOriginsOf(cfg, id) {
  const key = cfg.apiKeys.find((k) => merchantId(k) === id);
  return key ? [...(cfg.allowedEmbedOrigins[key] ?? [])] : [];
}
