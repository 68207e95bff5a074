/**
 * Retrying and restarting: what "Try again", retry() and the restarts a changed input makes carry over (the
 * session's current secret and id, a verify() promise), what they cancel with, and the page a redirect
 * returns to.
 */
import { expect } from '@open-wc/testing';
import { verify, type FaceSignVerifyElement } from '../../src/index.js';
import { timing } from '../../src/session/watch.js';
import { rememberRedirect } from '../../src/surfaces/redirect.js';
import { secretKey } from '../../src/base/secret-key.js';
import { commandWindow, postWindow } from './fixture.js';
import {
  FRAME_ORIGIN,
  SECRET,
  cleanup,
  command,
  endpoint,
  frameOf,
  fromFixture,
  hostedUrl,
  mount,
  mountReady,
  realClick,
  record,
  recordPopups,
  clickPopup,
  withTiming,
  types,
  until,
  waitFor,
  type Mounted,
} from './helpers.js';

/** The iframe the element shows now (a closed session's iframe may linger, hidden, beside it). */
const shownFrame = (el: FaceSignVerifyElement) => el.shadowRoot!.querySelector<HTMLIFrameElement>('iframe:not(.lingering)');
/** The next `init` the hosted page shown in `el` reports, from a document other than `not` (a load id). */
const nextInit = (el: FaceSignVerifyElement, not?: unknown) =>
  fromFixture(
    () => shownFrame(el)?.contentWindow,
    (f) => f.event === 'init' && f.loadId !== not,
  );
const initSecret = (f: Record<string, unknown>) => (f.init as { secret: string }).secret;

describe('"Try again" in a verify() modal is the same verification to its promise', () => {
  afterEach(async () => {
    for (const el of document.querySelectorAll('facesign-verify')) el.remove();
    cleanup();
  });

  /** [the error, the verify() options, what makes it happen, whether the page says hello only when told] */
  const cases: [string, { verifyUrl: string; loadTimeout?: number }, (el: FaceSignVerifyElement) => void | Promise<void>, boolean][] = [
    // the page does not connect within the element's loadTimeout
    ['load_timeout', { verifyUrl: hostedUrl('hello=manual'), loadTimeout: 300 }, () => {}, true],
    [
      'hosted_page_lost',
      { verifyUrl: hostedUrl() },
      async (el) => {
        // ready, then its document replaced by another (here on the host's own origin): lost after the hello grace
        timing.helloAfterLoad = 300;
        await until(
          () => el.status,
          (s) => s === 'requiresInput',
          'ready',
        );
        postWindow(shownFrame(el)!.contentWindow!, { do: 'navigate', url: shownFrame(el)!.src.replace(FRAME_ORIGIN, location.origin) });
      },
      false,
    ],
  ];
  for (const [code, options, fail, manualHello] of cases)
    it(`after ${code}: the promise stays pending and settles with the retried session's outcome`, async () => {
      const grace = timing.helloAfterLoad;
      try {
        let settled: unknown;
        const p = verify({ clientSecret: SECRET, ...options }).then(
          (r) => (settled = r),
          (e: unknown) => (settled = e),
        );
        const el = document.querySelector('facesign-verify')!;
        const m = record(el);
        await fail(el);
        const err = await waitFor(m, 'facesign-error');
        expect(err.detail).to.include({ code, recoverable: true });
        // the retried session has the time it needs
        el.loadTimeout = 20_000;
        timing.helloAfterLoad = grace;
        await el.updateComplete;
        const loaded = fromFixture(
          () => shownFrame(el)?.contentWindow,
          (f) => f.event === 'loaded',
        );
        const retried = nextInit(el);
        // the modal's own button, pressed as a user does
        await realClick(el.shadowRoot!.querySelector('[part=retry-button]')!);
        await loaded;
        if (manualHello) await commandWindow(() => shownFrame(el)?.contentWindow, { do: 'connect' });
        const init = await retried;
        expect(settled === undefined ? 'pending' : JSON.stringify(settled), 'the promise after pressing "Try again"').to.equal('pending');
        expect(initSecret(init)).to.equal(SECRET);
        await commandWindow(() => shownFrame(el)?.contentWindow, { do: 'send', method: 'completed', args: ['fs_session_retried'] });
        await p;
        expect(settled).to.deep.equal({ status: 'complete', sessionId: 'fs_session_retried' });
      } finally {
        timing.helloAfterLoad = grace;
      }
    });
});

describe('a restart continues with the session’s current secret and id', () => {
  afterEach(cleanup);

  /** Ready with its session id, then one refresh through refresh-url: resolves with the refreshed secret. */
  async function refreshed(attrs: Record<string, string | boolean> = {}) {
    const ep = await endpoint();
    const m = mount({ 'refresh-url': ep.url, 'verify-url': hostedUrl('ready=manual'), ...attrs });
    const first = await nextInit(m.el);
    // the session id comes with ready (the restarted pages below never send one: it must be remembered)
    await command(m.el, { do: 'send', method: 'ready', args: ['fs_session_restart'] });
    await waitFor(m, 'facesign-ready');
    const sent = fromFixture(
      () => shownFrame(m.el)?.contentWindow,
      (f) => f.event === 'secret',
    );
    await m.el.refreshSecret().catch(() => {});
    const secret = (await sent).secret as string;
    await waitFor(m, 'facesign-secret-refresh');
    expect(secret).to.match(/^vs_refreshed_/);
    return { m, ep, secret, first };
  }

  const restarts: [string, Record<string, string | boolean>, (m: Mounted) => void][] = [
    ['retry()', {}, (m) => m.el.retry()],
    ['a lang change', {}, (m) => (m.el.lang = 'fr')],
    ['a verifyUrl change', {}, (m) => (m.el.verifyUrl = hostedUrl('ready=manual&moved=1'))],
    ['a mode change (an open modal made inline)', { mode: 'modal', open: true }, (m) => (m.el.mode = 'inline')],
    ['a move in the DOM', {}, (m) => document.body.prepend(m.el)],
  ];
  for (const [what, attrs, restart] of restarts)
    it(`${what} after a refresh: the new page gets the refreshed secret, and the next refresh names the session`, async () => {
      const { m, ep, secret, first } = await refreshed(attrs);
      const again = nextInit(m.el, first.loadId);
      restart(m);
      const init = await again;
      expect(initSecret(init), 'the secret in the restarted page’s init').to.equal(secret);
      // the refresh endpoint is asked with what the session holds now: the live secret and the session's id
      await m.el.refreshSecret().catch(() => {});
      const log = await ep.log();
      expect(log.at(-1)!.body).to.deep.equal({ clientSecret: secret, sessionId: 'fs_session_restart' });
    });

  /** A new element as a framework re-mounting one makes it: the same props, connected in the task the old one left. */
  function remount(props: Record<string, unknown>) {
    const next = record(document.createElement('facesign-verify'));
    Object.assign(next.el, props);
    const init = nextInit(next.el);
    document.body.append(next.el);
    return { next, init };
  }

  it('a new element given the same secret in the same task (a framework re-mount, a React key change) after a refresh goes on from the refreshed secret and the session id', async () => {
    const { m, ep, secret } = await refreshed();
    m.el.remove();
    const { next, init } = remount({ refreshUrl: ep.url, verifyUrl: hostedUrl('ready=manual'), clientSecret: SECRET });
    try {
      expect(initSecret(await init), 'the secret in the re-mounted page’s init').to.equal(secret);
      await next.el.refreshSecret().catch(() => {});
      expect((await ep.log()).at(-1)!.body).to.deep.equal({ clientSecret: secret, sessionId: 'fs_session_restart' });
    } finally {
      next.el.remove();
    }
  });

  it('a new element given the same secret in the same task but set up otherwise (another verify-url) is another verification: it starts from the secret it is given', async () => {
    const { m, ep } = await refreshed();
    m.el.remove();
    const { next, init } = remount({ refreshUrl: ep.url, verifyUrl: hostedUrl('ready=manual&other=1'), clientSecret: SECRET });
    try {
      expect(initSecret(await init)).to.equal(SECRET);
    } finally {
      next.el.remove();
    }
  });

  it('a new element given the same secret in a later task starts from the secret it is given: nothing of an earlier element is carried into another verification', async () => {
    const { m, ep } = await refreshed();
    m.el.remove();
    await new Promise((r) => setTimeout(r, 20));
    const { next, init } = remount({ refreshUrl: ep.url, verifyUrl: hostedUrl('ready=manual'), clientSecret: SECRET });
    try {
      expect(initSecret(await init)).to.equal(SECRET);
    } finally {
      next.el.remove();
    }
  });

  it('fetchClientSecret alone, re-mounted in the same task after a refresh: no call for a new session, the refreshed secret in init', async () => {
    const calls: { sessionId?: string }[] = [];
    const fetchClientSecret = async (ctx: { sessionId?: string }) => {
      calls.push({ sessionId: ctx.sessionId });
      return `vs_remount_${calls.length}_abcdef`;
    };
    const m = mount({ 'client-secret': false, 'verify-url': hostedUrl('session=fs_session_remount') });
    m.el.fetchClientSecret = fetchClientSecret;
    await nextInit(m.el);
    await waitFor(m, 'facesign-ready');
    await m.el.refreshSecret().catch(() => {});
    await waitFor(m, 'facesign-secret-refresh');
    m.el.remove();
    const { next, init } = remount({ verifyUrl: hostedUrl('session=fs_session_remount'), fetchClientSecret });
    try {
      expect(initSecret(await init)).to.equal('vs_remount_2_abcdef');
      expect(calls).to.deep.equal([{ sessionId: undefined }, { sessionId: 'fs_session_remount' }]);
    } finally {
      next.el.remove();
    }
  });

  it('fetchClientSecret shared with another element that restarts in the same task: the re-mounted element still goes on from the removed one', async () => {
    const calls: { sessionId?: string }[] = [];
    const fetchClientSecret = async (ctx: { sessionId?: string }) => {
      calls.push({ sessionId: ctx.sessionId });
      return `vs_shared_${calls.length}_abcdef`;
    };
    const a = mount({ 'client-secret': false, 'verify-url': hostedUrl('session=fs_session_a') });
    a.el.fetchClientSecret = fetchClientSecret;
    expect(initSecret(await nextInit(a.el))).to.equal('vs_shared_1_abcdef');
    const other = mount({ 'client-secret': false, 'verify-url': hostedUrl('session=fs_session_other') });
    other.el.fetchClientSecret = fetchClientSecret;
    const otherFirst = await nextInit(other.el);
    expect(initSecret(otherFirst)).to.equal('vs_shared_2_abcdef');
    // one task: a is re-mounted, and the other element (its own verification) restarts with a new lang
    a.el.remove();
    const otherAgain = nextInit(other.el, otherFirst.loadId);
    other.el.lang = 'fr';
    const { next, init } = remount({ verifyUrl: hostedUrl('session=fs_session_a'), fetchClientSecret });
    try {
      expect(initSecret(await init), 'the re-mounted element’s init').to.equal('vs_shared_1_abcdef');
      expect(initSecret(await otherAgain), 'the restarted element’s init').to.equal('vs_shared_2_abcdef');
      expect(calls).to.have.length(2);
    } finally {
      next.el.remove();
    }
  });

  it('fetchClientSecret shared: an element moved in the same task that another is created keeps its run, and the new one starts its own', async () => {
    const calls: { sessionId?: string }[] = [];
    const fetchClientSecret = async (ctx: { sessionId?: string }) => {
      calls.push({ sessionId: ctx.sessionId });
      return `vs_moved_${calls.length}_abcdef`;
    };
    const a = mount({ 'client-secret': false, 'verify-url': hostedUrl('session=fs_session_moved') });
    a.el.fetchClientSecret = fetchClientSecret;
    const first = await nextInit(a.el);
    await waitFor(a, 'facesign-ready');
    // one task: a moved, and a new element (another verification) given the same function
    const again = nextInit(a.el, first.loadId);
    document.body.prepend(a.el);
    const { next, init } = remount({ verifyUrl: hostedUrl('session=fs_session_new'), fetchClientSecret });
    try {
      expect(initSecret(await again), 'the moved element’s init').to.equal('vs_moved_1_abcdef');
      expect(initSecret(await init), 'the new element’s init').to.equal('vs_moved_2_abcdef');
      expect(calls).to.deep.equal([{ sessionId: undefined }, { sessionId: undefined }]);
    } finally {
      next.el.remove();
    }
  });

  it('fetchClientSecret alone, retry() after a refresh: no call for a new session, the refreshed secret in init', async () => {
    const calls: { sessionId?: string }[] = [];
    const m = mount({ 'client-secret': false, 'verify-url': hostedUrl('session=fs_session_fetched') });
    m.el.fetchClientSecret = async (ctx) => {
      calls.push({ sessionId: ctx.sessionId });
      return `vs_fetched_${calls.length}_abcdef`;
    };
    const first = await nextInit(m.el);
    expect(initSecret(first)).to.equal('vs_fetched_1_abcdef');
    await waitFor(m, 'facesign-ready');
    await m.el.refreshSecret().catch(() => {});
    await waitFor(m, 'facesign-secret-refresh');
    expect(calls).to.deep.equal([{ sessionId: undefined }, { sessionId: 'fs_session_fetched' }]);
    const again = nextInit(m.el, first.loadId);
    m.el.retry();
    const init = await again;
    // undefined would ask the merchant's server for a brand-new session
    expect(
      calls.slice(1).map((c) => c.sessionId),
      'the session id of every call after the first',
    ).to.not.include(undefined);
    expect(initSecret(init)).to.equal('vs_fetched_2_abcdef');
  });
});

describe('after the end, a restart goes on only from a FaceSign session still open', () => {
  let popups: ReturnType<typeof recordPopups>;
  beforeEach(() => (popups = recordPopups()));
  afterEach(() => (popups.restore(), cleanup()));

  it('fetchClientSecret alone, retry() after the popup was closed (popup_closed, a leave): no call for a new session', async function () {
    this.timeout(30_000);
    const calls: { sessionId?: string }[] = [];
    const m = mount({ 'client-secret': false, 'verify-url': hostedUrl('frame=deny&session=fs_session_popup') });
    await withTiming({ helloAfterLoad: 500 }, async () => {
      m.el.fetchClientSecret = async (ctx) => {
        calls.push({ sessionId: ctx.sessionId });
        return `vs_popup_${calls.length}_abcdef`;
      };
      await waitFor(m, 'facesign-fallback');
    });
    const popup = await clickPopup(m, popups);
    await waitFor(m, 'facesign-ready');
    popup.close();
    expect((await waitFor(m, 'facesign-cancel')).detail).to.deep.equal({ reason: 'popup_closed' });
    m.el.retry();
    await until(
      () => frameOf(m.el),
      (f) => !!f,
      'the retried session’s frame',
    );
    // a call without the session id would ask the merchant's server for a brand-new session
    expect(calls).to.deep.equal([{ sessionId: undefined }]);
  });

  it('fetchClientSecret alone, retry() after close() (a cancel: the FaceSign session is over): a call for a new session, its secret in init', async () => {
    const calls: { sessionId?: string }[] = [];
    const m = mount({ 'client-secret': false, 'verify-url': hostedUrl('session=fs_session_closed') });
    m.el.fetchClientSecret = async (ctx) => {
      calls.push({ sessionId: ctx.sessionId });
      return `vs_closed_${calls.length}_abcdef`;
    };
    const first = await nextInit(m.el);
    await waitFor(m, 'facesign-ready');
    m.el.close();
    expect(m.terminal().map((e) => e.detail)).to.deep.equal([{ reason: 'closed' }]);
    const again = nextInit(m.el, first.loadId);
    m.el.retry();
    const init = await again;
    // the cancelled session's secret would only reach a session the person ended
    expect(calls).to.deep.equal([{ sessionId: undefined }, { sessionId: undefined }]);
    expect(initSecret(init)).to.equal('vs_closed_2_abcdef');
  });
});

describe('a secret promised after facesign-secret-request, set late', () => {
  afterEach(cleanup);

  it('set after refreshTimeout: the stalled session takes it (same iframe, a `secret` message, no cancel)', async () => {
    const m = mount({ 'refresh-timeout': '300' });
    await waitFor(m, 'facesign-ready');
    const frame = shownFrame(m.el);
    let supply!: () => void;
    m.el.addEventListener('facesign-secret-request', (e) => {
      e.preventDefault();
      // the merchant's server answers, but only after the element stopped waiting
      supply = () => (m.el.clientSecret = 'vs_supplied_after_timeout_1');
    });
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    const err = await waitFor(m, 'facesign-error');
    expect(err.detail).to.include({ code: 'secret_refresh_failed', recoverable: true });
    const sent = fromFixture(
      () => frame?.contentWindow,
      (f) => f.event === 'secret',
    );
    const n = m.events.length;
    supply();
    // whichever comes first: the stalled page handed the secret, or a cancel (a new session replacing it)
    const outcome = await Promise.race([sent.then((f) => f.secret), waitFor(m, 'facesign-cancel', n).then((e) => e.detail)]);
    expect(outcome).to.equal('vs_supplied_after_timeout_1');
    expect(shownFrame(m.el)).to.equal(frame);
    await waitFor(m, 'facesign-secret-refresh', n);
    expect(types(m)).to.not.include('facesign-cancel');
    expect(m.terminal()).to.deep.equal([]);
  });
});

describe('a mode change mid-session', () => {
  afterEach(cleanup);

  it('a running inline element made a (closed) modal is canceled as replaced, not closed', async () => {
    const m = mount();
    await waitFor(m, 'facesign-ready');
    m.el.mode = 'modal';
    const c = await waitFor(m, 'facesign-cancel');
    expect(c.detail).to.deep.equal({ reason: 'replaced' });
    expect(m.terminal()).to.have.length(1);
  });
});

describe('after a completed verification, its secret is spent', () => {
  afterEach(cleanup);

  const CHANGES: [string, (el: FaceSignVerifyElement) => void][] = [
    ['lang', (el) => (el.lang = 'de')],
    ['verify-url', (el) => (el.verifyUrl = hostedUrl('session=other'))],
    ['mode (a modal opened)', (el) => Object.assign(el, { mode: 'modal', open: true })],
  ];
  for (const [what, change] of CHANGES)
    it(`a changed ${what} does not load a page with it again: the end stays, and a new secret starts a new session`, async () => {
      const m = await mountReady();
      const ended = frameOf(m.el);
      await command(m.el, { do: 'send', method: 'completed', args: ['fs_session_spent'] });
      await waitFor(m, 'facesign-complete');
      change(m.el);
      // the element's sync has run (a restart to another mode waits for the old frame to go: that too)
      await m.el.updateComplete;
      await until(
        () => !m.el.shadowRoot!.querySelector('iframe.lingering'),
        (v) => v,
        'no frame lingering',
      );
      await m.el.updateComplete;
      // (compared here: chai describing an iframe for a failure message walks into its cross-origin window)
      const shown = shownFrame(m.el);
      expect(shown === ended || shown === null, 'the ended frame, or none').to.equal(true);
      expect(m.el.status).to.equal('complete');
      // (a modal closes, as a spent modal opened again does: facesign-close says so)
      expect(types(m).filter((t) => t !== 'facesign-close')).to.deep.equal(['facesign-ready', 'facesign-complete']);
      // a new verification needs a new secret
      const init = nextInit(m.el);
      m.el.clientSecret = 'vs_after_spent_secret_1';
      m.el.open = true;
      expect(initSecret(await init)).to.equal('vs_after_spent_secret_1');
    });
});

describe('retry() while a session runs', () => {
  afterEach(cleanup);

  it('retry() tells the running hosted page close before the next session starts', async () => {
    const m = await mountReady();
    const oldWin = frameOf(m.el)!.contentWindow;
    const told = fromFixture(
      () => oldWin,
      (f) => f.event === 'close',
    );
    m.el.retry();
    await told;
    await waitFor(m, 'facesign-ready', 1);
    expect(types(m)).to.deep.equal(['facesign-ready', 'facesign-cancel', 'facesign-ready']);
    expect(m.events[1]!.detail).to.deep.equal({ reason: 'replaced' });
  });
});

describe('the page a redirect returns to, with fetchClientSecret alone', () => {
  afterEach(cleanup);

  it('the element takes the redirect’s result (one facesign-complete from the URL) instead of starting a session', async () => {
    const before = location.href;
    // the redirect this tab started, for the session whose secret fetchClientSecret gives
    const state = rememberRedirect([secretKey(SECRET)], 'fs_session_returned');
    const url = new URL(location.href);
    for (const [k, v] of Object.entries({ fs_state: state, fs_session: 'fs_session_returned', fs_result: 'complete' })) url.searchParams.set(k, v);
    history.replaceState(history.state, '', url.href);
    try {
      const m = mount({ 'client-secret': false });
      m.el.fetchClientSecret = async () => SECRET;
      // whichever comes first: the result, or a new session of its own
      const first = await Promise.race([waitFor(m, 'facesign-complete'), waitFor(m, 'facesign-ready')]);
      expect(first.type).to.equal('facesign-complete');
      expect(first.detail).to.deep.equal({ sessionId: 'fs_session_returned' });
      expect(m.el.status).to.equal('complete');
      expect(shownFrame(m.el)).to.equal(null);
      expect(location.href).to.equal(before);
    } finally {
      history.replaceState(history.state, '', before);
    }
  });
});
