/**
 * How a top-level run of the hosted page was started, taken before any other script of the page can see it:
 *   - the element's redirect: a form POST whose body the server put in the page as `#facesign-launch` (a JSON
 *     block at the top of <head>); it is removed here, so the secret is in no URL, timing entry or DOM;
 *   - a link with `?client_secret=…&return_url=…` (the API's own `clientSecret.url`, older elements): taken out of
 *     the address bar, but that first URL stays in this document's navigation timing entry, where no page can
 *     remove it. Third-party scripts on a page opened that way can read the secret there.
 * This must run first: a page that loads analytics or error tracking loads it only after `takeLaunch()`.
 */
export interface Launch {
  secret: string;
  /** where to go back with the outcome (the merchant page) */
  returnUrl?: URL;
  /** posted by the element: the return proves, with `fs_key`, that this page held the session's secret */
  posted: boolean;
}

const asUrl = (v: unknown): URL | undefined => {
  try {
    const u = typeof v === 'string' && v ? new URL(v) : undefined;
    return u && /^https?:$/.test(u.protocol) ? u : undefined;
  } catch {
    // not a URL: no way back; the page says so at the end
    return undefined;
  }
};

export function takeLaunch(): Launch {
  const block = document.getElementById('facesign-launch');
  if (block) {
    block.remove();
    let posted: { clientSecret?: unknown; returnUrl?: unknown } = {};
    try {
      posted = JSON.parse(block.textContent ?? '{}');
    } catch {
      // a block that is not ours: no launch
    }
    return { secret: typeof posted.clientSecret === 'string' ? posted.clientSecret : '', returnUrl: asUrl(posted.returnUrl), posted: true };
  }
  const url = new URL(location.href);
  const secret = url.searchParams.get('client_secret') ?? '';
  const returnUrl = asUrl(url.searchParams.get('return_url'));
  // keep the secret out of history, bookmarks and screenshots of the address bar (the server also sends
  // Referrer-Policy: no-referrer, so it never leaves in a Referer either)
  url.searchParams.delete('client_secret');
  url.searchParams.delete('return_url');
  history.replaceState(null, '', url.href);
  return { secret, returnUrl, posted: false };
}
