// Who may frame the hosted page, as its server says it (CSP `frame-ancestors`; the sandbox's server for the hosted
// origin sends it, FaceSign's own the same way). The page's URL says whose page it is (`merchant`, from
// clientSecret.url) and who asks to embed it (`fs_origin`); the merchant's setting says who may:
//   - top level (no `fs_channel`: clientSecret.url, the redirect): 'none', never in a frame;
//   - asked by an allowed origin: every allowed origin, so a page elsewhere that claims an allowed origin is refused
//     by the browser before the hosted page runs;
//   - asked by any other origin: that origin only. The page runs there just to refuse it (one `refused` message
//     with nothing of the session), so a merchant who has not allowed its origin yet sees why at once.

const isOrigin = (o) => {
  try {
    return /^https?:/.test(o) && new URL(o).origin === o;
  } catch {
    return false;
  }
};

/**
 * The `frame-ancestors` sources for the hosted page at `url`.
 * @param {URL} url
 * @param {(merchantId: string) => string[]} allowedFor the merchant's allowed embed origins ([] for an unknown one)
 */
export function frameAncestors(url, allowedFor) {
  const q = url.searchParams;
  if (!q.has('fs_channel')) return "'none'";
  const allowed = allowedFor(q.get('merchant') ?? '');
  const asked = q.get('fs_origin') ?? '';
  if (allowed.includes(asked)) return allowed.join(' ');
  return isOrigin(asked) ? asked : "'none'";
}
