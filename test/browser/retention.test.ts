// What the element keeps after it is done (issue 21): nothing of a closed session once its iframe lingered out.
// A forced GC is needed to tell, which only Chromium gives (--expose-gc, web-test-runner.config.mjs): Firefox and
// WebKit skip these; `npm run bench` measures the same on Chromium with its DOM counters.
import { expect } from '@open-wc/testing';
import { SECRET, cleanup, frameOf, hostedUrl, mount, tick, waitFor } from './helpers.js';

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Which of `refs` are still alive after forced collections, each after a task (a WeakRef read in this job keeps
 * its target until the job ends). What a removal leaves to run (the browser's frame teardown, the hosted page's
 * last messages) can keep a target through one collection; a leak keeps it through all of them: asked again for
 * up to 3 s.
 */
async function alive(refs: WeakRef<object>[]): Promise<boolean[]> {
  let left: boolean[] = [];
  for (let i = 0; i < 10; i++) {
    await tick(i ? 300 : 0);
    gc!();
    await tick(0);
    gc!();
    await tick(0);
    left = refs.map((r) => !!r.deref());
    if (!left.includes(true)) break;
  }
  return left;
}

describe('retention: what the element keeps after it is done', () => {
  afterEach(cleanup);

  it('a modal opened and closed three times, with a new secret each: none of its iframes stays alive', async function () {
    if (!gc) this.skip();
    this.timeout(30_000);
    const m = mount({ mode: 'modal', 'client-secret': false });
    const refs: WeakRef<HTMLIFrameElement>[] = [];
    for (let i = 0; i < 3; i++) {
      const from = m.events.length;
      m.el.clientSecret = `${SECRET}_${i}`;
      m.el.open = true;
      await waitFor(m, 'facesign-ready', from);
      refs.push(new WeakRef(frameOf(m.el)!));
      m.el.close();
      await waitFor(m, 'facesign-close', from);
    }
    // a closed session's iframe lingers (hidden) up to a second for its page to handle `close`
    await tick(1500);
    expect(frameOf(m.el)).to.equal(null);
    expect(m.el.status).to.equal('canceled');
    expect(await alive(refs)).to.deep.equal([false, false, false]);
  });

  it('an inline element removed after ready: neither it nor its iframe stays alive', async function () {
    if (!gc) this.skip();
    this.timeout(20_000);
    // each in a function of its own: a suspended async frame may still hold the last iteration's element
    const cycle = async (i: number) => {
      const m = mount({ 'client-secret': `${SECRET}_${i}` });
      await waitFor(m, 'facesign-ready');
      const mine = [new WeakRef<object>(m.el), new WeakRef<object>(frameOf(m.el)!)];
      cleanup();
      return mine;
    };
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 3; i++) refs.push(...(await cycle(i)));
    expect(await alive(refs)).to.deep.equal([false, false, false, false, false, false]);
  });

  it('elements removed after their page said which session they run: none stays alive, the last one included', async function () {
    if (!gc) this.skip();
    this.timeout(20_000);
    // the same FaceSign session each time (the page's id), as a page that mounts and removes one verification does
    const cycle = async () => {
      const m = mount({ 'verify-url': hostedUrl('session=sess_retained') });
      await waitFor(m, 'facesign-ready');
      const mine = new WeakRef<object>(m.el);
      cleanup();
      return mine;
    };
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 3; i++) refs.push(await cycle());
    expect(await alive(refs)).to.deep.equal([false, false, false]);
  });
});
