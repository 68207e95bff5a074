/**
 * The redirect leaves with a form POST (the secret in its body, in no URL), so a page whose Content-Security-Policy
 * sets `form-action` without the verify origin stops it: the tab must stay, and `redirect_blocked` must say what to
 * allow. In a page of its own, top level as the redirect always is (it is never offered in a frame): its CSP cannot
 * be taken back, and WebKit does not apply a frame's `form-action` to that frame's own navigation.
 */
import { expect } from '@open-wc/testing';
import { leaveForHostedPage } from '../../src/surfaces/redirect.js';
import type { FaceSignError } from '../../src/protocol/errors.js';
import { FRAME_ORIGIN } from './fixture.js';

describe('a page whose CSP form-action refuses the verify origin', () => {
  it('keeps the tab, and reports a recoverable redirect_blocked that names the origin to allow, never the secret', async () => {
    // as hardened sites send it: forms post to this origin only
    const meta = Object.assign(document.createElement('meta'), { httpEquiv: 'Content-Security-Policy', content: "form-action 'self'" });
    document.head.append(meta);
    const href = location.href;
    const ctl = new AbortController();
    const blocked = await new Promise<FaceSignError>((resolve) =>
      leaveForHostedPage(
        { base: `${FRAME_ORIGIN}/verify?fs_channel=c`, secret: 'vs_blocked_secret_1234', returnUrl: `${location.origin}/back`, keys: ['k'] },
        resolve,
        ctl.signal,
      ),
    );
    ctl.abort();
    expect(blocked.toJSON()).to.include({ code: 'redirect_blocked', recoverable: true });
    expect(blocked.message).to.include('form-action').and.include(FRAME_ORIGIN);
    expect(blocked.message).not.to.include('vs_blocked_secret_1234');
    // the form is gone, and the page is where it was
    expect(document.querySelector('form')).to.equal(null);
    await new Promise((r) => setTimeout(r, 500));
    expect(location.href).to.equal(href);
  });
});
