// What the demo backend checks before it acts on a request, as a merchant's backend should: that a browser sent it
// from the app's own pages, and that its body is small, checked before anything is buffered.

/** A refusal, answered with its status and `{ error, code }`. */
export class Refused extends Error {
  constructor(status, code, message) {
    super(message);
    Object.assign(this, { status, code });
  }
}

/**
 * Refuses a request a browser sent from another origin, and one addressed to another host name.
 * - `Host` must be the app's own: a page on the attacker's domain whose DNS name was rebound to this machine sends
 *   its own name there (and is same-origin to itself, so nothing below would tell).
 * - `Sec-Fetch-Site`, the browser's own judgement of who is asking (every current browser sends it), must be
 *   `same-origin`, or `none` (typed in the address bar). A page on another port of localhost is `same-site`, any
 *   other site `cross-site`: both refused. Your own front end behind a proxy (`/api` forwarded here) is
 *   `same-origin` to the browser, so it passes, even though the `Origin` it forwards is the proxy's.
 * - Without it (an older browser), `Origin`, which a browser sends on every cross-origin request and every POST,
 *   must be the app's. A client that is not a browser sends neither, and carries no user's cookies either.
 * - A POST must be `application/json`: a form or `text/plain` body needs no CORS preflight, so any page can make a
 *   browser send one; JSON from another origin needs a preflight, which this backend never answers.
 */
export function checkSameOrigin(req, appOrigin) {
  const app = new URL(appOrigin);
  if (req.headers.host !== app.host)
    throw new Refused(403, 'wrong_host', `This backend answers requests for ${app.host} only (got Host: ${String(req.headers.host).slice(0, 100)})`);
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new Refused(403, 'cross_origin', `Requests from other sites or origins are refused (Sec-Fetch-Site: ${String(site).slice(0, 20)})`);
  const origin = req.headers.origin;
  if (site === undefined && origin !== undefined && origin !== app.origin)
    throw new Refused(403, 'cross_origin', `Requests from other origins than ${app.origin} are refused`);
  if (req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
    throw new Refused(415, 'unsupported_media_type', 'Send the body as JSON with content-type: application/json');
}

/**
 * The body, at most `limit` bytes: a larger `Content-Length` is refused before a byte is read, a longer stream
 * (chunked) where it crosses the limit. Reading stops there; the refusal closes the connection, so the rest is
 * never read either.
 */
export function readBody(req, limit) {
  const tooLarge = () => new Refused(413, 'body_too_large', `The body is over ${limit} bytes`);
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) return reject(tooLarge());
    const chunks = [];
    let size = 0;
    const stop = () => req.off('data', onData).off('end', onEnd).off('error', onError);
    const onData = (c) => {
      size += c.length;
      if (size <= limit) return void chunks.push(c);
      stop();
      req.pause();
      reject(tooLarge());
    };
    const onEnd = () => (stop(), resolve(Buffer.concat(chunks)));
    const onError = (e) => (stop(), reject(e));
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** A JSON body of at most `limit` bytes: `{}` when empty, a 400 when not JSON. */
export async function readJson(req, limit) {
  const text = (await readBody(req, limit)).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new Refused(400, 'invalid_json', 'The body is not JSON');
  }
}
