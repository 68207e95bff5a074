/** One naming scheme (issue 11): the old names keep working until 1.0, each warning once. */
import { expect } from '@open-wc/testing';
import { cleanup, command, frameOf, fromFixture, mount, mountReady, waitFor } from './helpers.js';

function captureWarn() {
  const orig = console.warn;
  const lines: string[] = [];
  console.warn = (...a: unknown[]) => lines.push(a.map(String).join(' '));
  return { lines, restore: () => void (console.warn = orig) };
}

// the warnings are the development build's; the production build accepts the old names without a word
const WARNS = __FACESIGN_DEV__ ? 1 : 0;

describe('old names: accepted and warned about once (in development)', () => {
  afterEach(cleanup);

  it('expiresAt / expires-at forward to expireAt / expire-at', () => {
    const warn = captureWarn();
    try {
      const el = document.createElement('facesign-verify');
      el.expiresAt = 1_800_000_000;
      el.setAttribute('expires-at', '1800000001');
      el.expiresAt = 1_800_000_002;
      expect([el.expireAt, el.expiresAt]).to.deep.equal([1_800_000_002, 1_800_000_002]);
      el.setAttribute('expire-at', '1800000003');
      expect(el.expireAt).to.equal(1_800_000_003);
      // once per page (each test file has a page of its own, and this is its first use)
      const mine = warn.lines.filter((l) => l.includes('expiresAt'));
      expect(mine).to.have.length(WARNS);
      if (WARNS) expect(mine[0]).to.match(/use expireAt \(expire-at\)/);
    } finally {
      warn.restore();
    }
  });

  it('a listener that handles the old facesign-secret-expired still supplies the secret, with one warning', async () => {
    const warn = captureWarn();
    try {
      const m = await mountReady({});
      let asked = 0;
      m.el.addEventListener('facesign-secret-expired', (e) => {
        asked++;
        e.preventDefault();
        m.el.clientSecret = `vs_via_old_name_${asked}_abc`;
      });
      for (const n of [1, 2]) {
        const secret = fromFixture(
          () => frameOf(m.el)?.contentWindow,
          (f) => f.event === 'secret',
        );
        await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
        expect((await secret).secret).to.equal(`vs_via_old_name_${n}_abc`);
      }
      expect(warn.lines.filter((l) => l.includes('facesign-secret-expired'))).to.have.length(WARNS);
      // the new event came first each time
      expect(m.events.filter((e) => e.type === 'facesign-secret-request')).to.have.length(2);
      expect(m.terminal()).to.deep.equal([]);
    } finally {
      warn.restore();
    }
  });

  it('when the new facesign-secret-request is handled, the old one is not dispatched', async () => {
    const m = await mountReady({});
    let old = 0;
    m.el.addEventListener('facesign-secret-expired', () => old++);
    m.el.addEventListener('facesign-secret-request', (e) => {
      e.preventDefault();
      m.el.clientSecret = 'vs_via_new_name_1234';
    });
    const secret = fromFixture(
      () => frameOf(m.el)?.contentWindow,
      (f) => f.event === 'secret',
    );
    await command(m.el, { do: 'send', method: 'secretExpired', args: [] });
    expect((await secret).secret).to.equal('vs_via_new_name_1234');
    expect(old).to.equal(0);
  });

  it('our own reasons and sources are snake_case, like the error codes and the hosted page reasons', async () => {
    const m = mount({});
    await waitFor(m, 'facesign-ready');
    await command(m.el, { do: 'send', method: 'closeRequest', args: [] });
    await waitFor(m, 'facesign-close');
    expect(m.events.find((e) => e.type === 'facesign-close-request')!.detail).to.deep.equal({ source: 'hosted_page' });
    expect(m.events.find((e) => e.type === 'facesign-cancel')!.detail).to.deep.equal({ reason: 'hosted_page' });
  });
});
