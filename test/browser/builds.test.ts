/**
 * What only the development build says (issue 21): warnings for misuse, and the long explanations in input errors.
 * The whole suite runs on both builds (npm test: the production build on every engine, the development build on
 * Chromium); here each case asserts what its build gives: in development one warning per page and the advice, in
 * production no warning and a short message that still names the property.
 */
import { expect } from '@open-wc/testing';
import { cleanup, command, mount, mountReady, waitFor } from './helpers.js';

const DEV = __FACESIGN_DEV__;

function captureWarn() {
  const orig = console.warn;
  const lines: string[] = [];
  console.warn = (...a: unknown[]) => lines.push(a.map(String).join(' '));
  return { lines, restore: () => void (console.warn = orig) };
}

it('the sources came as the build this browser runs (one Chromium of npm test runs the development build)', () => {
  expect(DEV).to.equal((window as unknown as { FACESIGN_EXPECT_DEV: boolean }).FACESIGN_EXPECT_DEV);
});

describe(`the ${DEV ? 'development' : 'production'} build: warnings`, () => {
  afterEach(cleanup);
  let warn: ReturnType<typeof captureWarn>;
  beforeEach(() => (warn = captureWarn()));
  afterEach(() => warn.restore());

  it('settings that contradict each other: fetchClientSecret and refreshUrl both set', async () => {
    for (let i = 0; i < 2; i++) {
      const m = mount({ 'refresh-url': '/refresh' });
      m.el.fetchClientSecret = async () => 'vs_never_used_12345';
      await m.el.updateComplete;
    }
    const mine = warn.lines.filter((l) => l.includes('fetchClientSecret and refreshUrl'));
    expect(mine).to.deep.equal(
      DEV ? ['[facesign-verify] fetchClientSecret and refreshUrl are both set: fetchClientSecret is used, refreshUrl never is; set one'] : [],
    );
  });

  it('a facesign-error that no listener reads: development says so once, with its code; production is silent', async () => {
    const bare = () => {
      const el = document.createElement('facesign-verify');
      el.setAttribute('client-secret', 'sk_test_not_a_client_secret_123');
      document.body.append(el);
      return el;
    };
    const a = bare();
    const b = bare();
    await a.updateComplete;
    await b.updateComplete;
    expect(a.status).to.equal('error');
    const mine = warn.lines.filter((l) => l.includes('reached no listener'));
    expect(mine.map((l) => l.includes('"invalid_client_secret"'))).to.deep.equal(DEV ? [true] : []);
    a.remove();
    b.remove();
  });

  it('a facesign-error a listener reads (here, on the document) is not called unheard', async () => {
    const seen: string[] = [];
    const onError = (e: GlobalEventHandlersEventMap['facesign-error']) => seen.push(e.detail.code);
    document.addEventListener('facesign-error', onError);
    try {
      const el = document.createElement('facesign-verify');
      el.verifyUrl = 'ftp://example.test/verify';
      el.clientSecret = 'vs_test_heard_123456';
      document.body.append(el);
      await el.updateComplete;
      expect(seen).to.deep.equal(['invalid_verify_url']);
      expect(warn.lines.filter((l) => l.includes('reached no listener'))).to.deep.equal([]);
      el.remove();
    } finally {
      document.removeEventListener('facesign-error', onError);
    }
  });

  it('returnUrl with fallback="none", which never redirects', async () => {
    const m = mount({ fallback: 'none', 'return-url': `${location.origin}/back` });
    await m.el.updateComplete;
    expect(m.events.filter((e) => e.type === 'facesign-error')).to.deep.equal([]);
    expect(warn.lines.filter((l) => l.includes('returnUrl'))).to.have.length(DEV ? 1 : 0);
  });

  it('a spent secret reopened: nothing reloads, in both builds; only development says why', async () => {
    const m = await mountReady({ mode: 'modal', open: true });
    await command(m.el, { do: 'send', method: 'completed', args: ['fs_session_spent'] });
    await waitFor(m, 'facesign-complete');
    m.el.open = false;
    await m.el.updateComplete;
    m.el.open = true;
    await m.el.updateComplete;
    expect(m.el.open).to.equal(false);
    expect(m.events.filter((e) => e.type === 'facesign-ready')).to.have.length(1);
    const mine = warn.lines.filter((l) => l.includes('secret of a completed verification'));
    expect(mine).to.have.length(DEV ? 1 : 0);
  });
});

describe(`the ${DEV ? 'development' : 'production'} build: input errors`, () => {
  afterEach(cleanup);
  // [attributes, code, production message, what development adds]
  const cases: [Record<string, string>, string, string, string][] = [
    [
      { 'client-secret': 'https://verify.facesign.ai/?client_secret=x' },
      'invalid_client_secret',
      'clientSecret is a URL',
      ': pass clientSecret.secret',
    ],
    [
      { 'client-secret': 'sk_live_abcdefghijkl' },
      'invalid_client_secret',
      'clientSecret is an API key (sk_…)',
      ': use the session clientSecret.secret, keep sk_ keys on your server',
    ],
    [{ 'verify-url': 'http://verify.facesign.ai/' }, 'invalid_verify_url', 'verifyUrl must be https:, got http:', ''],
    [{ 'refresh-url': 'ftp://x.example/' }, 'invalid_option', 'refreshUrl is not allowed', ''],
    [{ lang: 'not a tag!' }, 'invalid_option', 'lang must be a BCP 47 tag', ''],
  ];
  for (const [attrs, code, short, more] of cases) {
    it(`${Object.keys(attrs)[0]}: ${code}, "${short}"`, async () => {
      const m = mount(attrs);
      await m.el.updateComplete;
      const err = m.events.find((e) => e.type === 'facesign-error')?.detail as { code: string; message: string };
      expect(err.code).to.equal(code);
      if (!DEV) expect(err.message).to.equal(short);
      else if (more) expect(err.message).to.equal(short + more);
      // the rest say more in their own words
      else expect(err.message.startsWith(short.split(' ')[0]!) && err.message.length > short.length, err.message).to.equal(true);
    });
  }
});

describe(`the ${DEV ? 'development' : 'production'} build: an element left without a secret`, () => {
  afterEach(cleanup);
  let warn: ReturnType<typeof captureWarn>;
  beforeEach(() => (warn = captureWarn()));
  afterEach(() => warn.restore());

  const GUIDE = 'https://www.npmjs.com/package/@facesign/verify#the-element';
  const WARNING = `[facesign-verify] <facesign-verify> has no client secret, so it waits, empty: set its clientSecret property to the client secret your server got from FaceSign (POST /sessions), or set fetchClientSecret (README, "The element": ${GUIDE})`;
  const box = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLElement>('.box')!;

  it('no clientSecret (none, or empty) and no fetchClientSecret: development says what to set, in the box and once in the console; production shows an empty box', async () => {
    const none = mount({ 'client-secret': false });
    const empty = mount({ 'client-secret': false });
    empty.el.clientSecret = '';
    await none.el.updateComplete;
    await empty.el.updateComplete;
    for (const { el } of [none, empty]) {
      expect(el.status).to.equal('idle');
      expect(box(el).getBoundingClientRect().height, 'the box keeps its place').to.be.greaterThan(0);
      const hint = box(el).querySelector('.no-secret');
      if (!DEV) {
        expect(hint).to.equal(null);
        expect(box(el).textContent!.trim(), 'no words in production').to.equal('');
        continue;
      }
      expect(hint!.getAttribute('role')).to.equal('note');
      expect(hint!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        "No client secret yet Set this element's clientSecret property to the client secret your server got from FaceSign (POST /sessions), or set fetchClientSecret. README: The element · development build only",
      );
      expect(hint!.querySelector('a')!.href).to.equal(GUIDE);
      // shown, not just present: it covers the box
      expect(hint!.getBoundingClientRect().height).to.equal(box(el).clientHeight);
    }
    expect(warn.lines.filter((l) => l.includes('no client secret'))).to.deep.equal(DEV ? [WARNING] : []);
  });

  it('the hint goes as soon as there is something to start from: a clientSecret, or fetchClientSecret', async () => {
    const a = mount({ 'client-secret': false });
    const b = mount({ 'client-secret': false });
    await a.el.updateComplete;
    await b.el.updateComplete;
    expect(!!box(a.el).querySelector('.no-secret')).to.equal(DEV);
    a.el.clientSecret = 'vs_test123_secret_abcDEF456';
    b.el.fetchClientSecret = () => new Promise(() => {});
    await a.el.updateComplete;
    await b.el.updateComplete;
    expect(box(a.el).querySelector('.no-secret')).to.equal(null);
    expect(box(b.el).querySelector('.no-secret')).to.equal(null);
    expect(a.el.status).to.equal('loading');
  });
});
