/**
 * A page that comes back continues the session its element ran: the element remembers the session id for this
 * tab (sessionStorage, by the element's id; never a secret), hands it to fetchClientSecret on its next start, and
 * says in facesign-ready that it resumed; a backend that declines (null) gets asked for a new session. The end
 * (the outcome, the person's or the merchant's cancel) forgets it; a page or element going away keeps it. Back
 * from the back/forward cache, an inline element goes on by itself.
 */
import { expect } from '@open-wc/testing';
import { resumableSession, verify } from '../../src/index.js';
import { cleanup, command, hostedUrl, mount, until, waitFor, type Mounted } from './helpers.js';

type Ask = { sessionId?: string };

/** An element with fetchClientSecret alone, whose hosted page says it runs `session`; its calls recorded. */
function fetching(session: string, answers: (string | null)[], id = '') {
  const calls: Ask[] = [];
  const m = mount({ 'client-secret': false, 'verify-url': hostedUrl(`session=${session}`), ...(id && { id }) });
  m.el.fetchClientSecret = async ({ sessionId }) => {
    calls.push({ sessionId });
    return answers.length ? answers.shift()! : `vs_resume_${calls.length}_abcdef`;
  };
  return { m, calls };
}

/** A new element, as the page that came back makes it (not in the task the last one left: no re-mount). */
async function later(): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
}

describe('a page that comes back continues the session its element ran', () => {
  afterEach(cleanup);

  it('remembered once the page says which session it runs; a new element asks fetchClientSecret for that session and says it resumed', async () => {
    const first = fetching('fs_session_resume', []);
    await waitFor(first.m, 'facesign-ready');
    await until(
      () => resumableSession(),
      (s) => s === 'fs_session_resume',
      'the session remembered',
    );
    expect(Object.values(sessionStorage).join(' ')).to.not.include('vs_resume_');
    // the page goes away (a reload, a navigation): the element is removed, the session stays open
    first.m.el.remove();
    expect(resumableSession()).to.equal('fs_session_resume');
    await later();
    const next = fetching('fs_session_resume', []);
    const ready = await waitFor(next.m, 'facesign-ready');
    expect(next.calls).to.deep.equal([{ sessionId: 'fs_session_resume' }]);
    expect(ready.detail).to.deep.equal({ resumed: true });
  });

  it('a backend that declines (null) is asked for a new session, and the run is no resume', async () => {
    const first = fetching('fs_session_old', []);
    await waitFor(first.m, 'facesign-ready');
    first.m.el.remove();
    await later();
    const next = fetching('fs_session_new', [null]);
    const ready = await waitFor(next.m, 'facesign-ready');
    expect(next.calls).to.deep.equal([{ sessionId: 'fs_session_old' }, { sessionId: undefined }]);
    expect(ready.detail).to.deep.equal({});
    await until(
      () => resumableSession(),
      (s) => s === 'fs_session_new',
      'the new session remembered',
    );
  });

  for (const [how, end] of [
    ['completes', (m: Mounted) => command(m.el, { do: 'send', method: 'completed', args: ['fs_session_done'] })],
    ['is canceled by the person (close())', (m: Mounted) => m.el.close()],
  ] as const)
    it(`forgotten when the verification ${how}: the next element starts a new one`, async () => {
      const first = fetching('fs_session_done', []);
      await waitFor(first.m, 'facesign-ready');
      await until(
        () => resumableSession(),
        (s) => !!s,
        'the session remembered',
      );
      await end(first.m);
      await until(
        () => resumableSession(),
        (s) => s === undefined,
        'the session forgotten',
      );
    });

  it('by the element’s id: two elements of a page keep their own', async () => {
    const a = fetching('fs_session_a', [], 'verify-a');
    const b = fetching('fs_session_b', [], 'verify-b');
    await waitFor(a.m, 'facesign-ready');
    await waitFor(b.m, 'facesign-ready');
    await until(
      () => [resumableSession('verify-a'), resumableSession('verify-b')].join(),
      (s) => s === 'fs_session_a,fs_session_b',
      'both remembered',
    );
    expect(resumableSession()).to.equal(undefined);
  });

  it('a given clientSecret is not replaced by a remembered session: only fetchClientSecret alone resumes', async () => {
    const first = fetching('fs_session_prev', []);
    await waitFor(first.m, 'facesign-ready');
    first.m.el.remove();
    await later();
    const m = mount({ 'verify-url': hostedUrl('session=fs_session_given') });
    const ready = await waitFor(m, 'facesign-ready');
    expect(ready.detail).to.deep.equal({});
  });

  it('back from the back/forward cache, an inline element goes on with the run that left with the page', async () => {
    const { m, calls } = fetching('fs_session_bfcache', []);
    await waitFor(m, 'facesign-ready');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'page_hidden' }]);
    const before = m.events.length;
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await waitFor(m, 'facesign-ready', before);
    // the same session: no new one asked for
    expect(calls).to.deep.equal([{ sessionId: undefined }]);
    expect(m.el.status).to.equal('requiresInput');
  });

  it('verify()’s inline element stays ended back from the back/forward cache: its promise has settled', async () => {
    const container = document.body.appendChild(document.createElement('div'));
    try {
      const readies: Event[] = [];
      container.addEventListener('facesign-ready', (e) => readies.push(e));
      const p = verify({ mode: 'inline', container, clientSecret: 'vs_resume_verify_123456', verifyUrl: hostedUrl() });
      await until(
        () => readies.length,
        (n) => n === 1,
        'ready',
      );
      dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
      expect(await p).to.deep.equal({ status: 'canceled', reason: 'page_hidden' });
      dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await new Promise((r) => setTimeout(r, 100));
      expect(readies).to.have.length(1);
    } finally {
      container.remove();
    }
  });

  it('a page shown again that was not in the back/forward cache changes nothing', async () => {
    const { m } = fetching('fs_session_shown', []);
    await waitFor(m, 'facesign-ready');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    await new Promise((r) => setTimeout(r, 50));
    expect(m.el.status).to.equal('canceled');
  });
});
