// The benchmark's merchant page (first origin): runs one measurement at a time for `run.mjs`, with the
// script-tag build's <facesign-verify> ('sdk'), the hand-written floor host ('floor', floor.js) or the floor with
// our handshake over a MessagePort ('port', floor-port.js).
import { FloorHost } from './floor.js';
import { FloorPortHost } from './floor-port.js';

const q = new URL(location.href).searchParams;
const HOSTED_ORIGIN = q.get('hosted');
const HOSTED = `${HOSTED_ORIGIN}/hosted.html`;
const clock = () => performance.timeOrigin + performance.now();
const nextTask = () => new Promise((r) => setTimeout(r, 0));

/** Mounts one verification of `kind`; `id` goes into the hosted page's URL. Returns handles and its events. */
function create(kind, id = '') {
  if (kind === 'sdk') {
    const el = document.createElement('facesign-verify');
    el.verifyUrl = `${HOSTED}?id=${id}`;
    el.clientSecret = 'vs_bench_secret_0123456789';
    return {
      node: el,
      frame: () => el.shadowRoot?.querySelector('iframe') ?? null,
      on: (name, f) => el.addEventListener(`facesign-${name}`, f),
      step: (e) => e.detail.nodeId,
      mount: () => document.body.append(el),
      remove: () => el.remove(),
    };
  }
  const floor =
    kind === 'port'
      ? new FloorPortHost(`${HOSTED}?id=${id}`, HOSTED_ORIGIN)
      : new FloorHost(`${HOSTED}?id=${id}&origin=${encodeURIComponent(location.origin)}`, HOSTED_ORIGIN);
  return {
    node: floor.host,
    frame: () => floor.frame.isConnected && floor.frame,
    on: (name, f) => floor.host.addEventListener(`floor-${name}`, f),
    step: (e) => e.detail.nodeId,
    mount: () => floor.mount(document.body),
    remove: () => floor.remove(),
  };
}

const once = (v, name) => new Promise((r) => v.on(name, r));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A foreign message's cost as the page sees it: the whole dispatch, from the page's first `message` listener
// (added here, before any verification's) to one added just before the message is posted (listeners run in the
// order they were added, so it runs after every verification's, including one added while mounting).
let foreignId = 0;
let dispatchStart = 0;
addEventListener('message', (e) => e.data?.analytics !== undefined && (dispatchStart = performance.now()));
/** Another script on the page posts a message to it: resolves with the ms its dispatch took through every listener. */
const foreignDispatch = () =>
  new Promise((resolve) => {
    const id = ++foreignId;
    const last = (e) => {
      if (e.data?.analytics !== id) return;
      removeEventListener('message', last);
      resolve(performance.now() - dispatchStart);
    };
    addEventListener('message', last);
    window.postMessage({ analytics: id }, '*');
  });
/** the floor's host mounted in `parent` instead of the body */
const floorIn = (v, parent) => parent.append(v.node);

/** The cross-frame clock offset (frame clock minus ours), from the best of a few round trips. */
async function clockOffset(win) {
  const samples = [];
  for (let id = 0; id < 7; id++) {
    const t1 = clock();
    const tf = await new Promise((resolve) => {
      const on = (e) => e.data?.benchClock !== undefined && e.data.id === id && (removeEventListener('message', on), resolve(e.data.benchClock));
      addEventListener('message', on);
      win.postMessage({ bench: 'clock', id }, HOSTED_ORIGIN);
    });
    const t2 = clock();
    samples.push({ rtt: t2 - t1, offset: tf - (t1 + t2) / 2 });
  }
  return samples.sort((a, b) => a.rtt - b.rtt)[0].offset;
}

window.bench = {
  /** One mount: ms to the iframe in the DOM (and whether that was in the connecting task), ms to ready. */
  async mount(kind) {
    const v = create(kind);
    const ready = once(v, 'ready');
    let taskEnded = false;
    const ch = new MessageChannel();
    ch.port1.onmessage = () => (taskEnded = true);
    ch.port2.postMessage(0);
    const t0 = performance.now();
    v.mount();
    // microtasks only: still the same task
    for (let i = 0; i < 100 && !v.frame(); i++) await Promise.resolve();
    const iframeMs = performance.now() - t0;
    const sameTask = !!v.frame() && !taskEnded;
    await ready;
    const readyMs = performance.now() - t0;
    v.remove();
    ch.port1.close();
    return { iframeMs, sameTask, readyMs };
  },

  /** n step messages from the hosted page: ms from its post to our listener, clock offset corrected. */
  async hop(kind, n) {
    const v = create(kind, 'hop');
    const ready = once(v, 'ready');
    v.mount();
    await ready;
    const win = v.frame().contentWindow;
    const offset = await clockOffset(win);
    const lat = [];
    const done = new Promise((resolve) =>
      v.on('step', (e) => {
        const sent = Number(v.step(e).split('|')[2]);
        lat.push(clock() - (sent - offset));
        if (lat.length === n) resolve();
      }),
    );
    win.postMessage({ bench: 'steps', n }, HOSTED_ORIGIN);
    await done;
    v.remove();
    return lat;
  },

  /** n × (mount, ready, remove); returns WeakRefs' targets still alive after the caller forced GC (see alive()). */
  async cycles(kind, n) {
    window.__refs ??= [];
    for (let i = 0; i < n; i++) {
      const v = create(kind, 'cycle');
      const ready = once(v, 'ready');
      v.mount();
      await ready;
      window.__refs.push(new WeakRef(v.node), new WeakRef(v.frame()));
      v.remove();
    }
  },
  /**
   * n × (open, ready, close) on one modal that stays in the page (the floor: its host in a <dialog> it opens and
   * closes); what each cycle's iframe was is tracked as in cycles(). The element and the dialog stay.
   */
  async modalCycles(kind, n) {
    window.__refs ??= [];
    if (kind === 'sdk') {
      const el = (window.__modal ??= Object.assign(document.body.appendChild(document.createElement('facesign-verify')), {
        mode: 'modal',
        verifyUrl: `${HOSTED}?id=modal`,
      }));
      for (let i = 0; i < n; i++) {
        const ready = new Promise((r) => el.addEventListener('facesign-ready', r, { once: true }));
        const closed = new Promise((r) => el.addEventListener('facesign-close', r, { once: true }));
        // a new secret each time, as a merchant's backend gives
        el.clientSecret = `vs_bench_secret_modal_${i}_0123456789`;
        el.open = true;
        await ready;
        window.__refs.push(new WeakRef(el.shadowRoot.querySelector('iframe')));
        el.close();
        await closed;
      }
      return;
    }
    const dialog = (window.__dialog ??= document.body.appendChild(document.createElement('dialog')));
    for (let i = 0; i < n; i++) {
      const v = create(kind, 'modal');
      const ready = once(v, 'ready');
      floorIn(v, dialog);
      dialog.showModal();
      await ready;
      window.__refs.push(new WeakRef(v.frame()));
      dialog.close();
      v.remove();
    }
  },
  alive() {
    const refs = window.__refs ?? [];
    const alive = refs.filter((r) => r.deref() !== undefined).length;
    window.__refs = [];
    return { tracked: refs.length, alive, iframesInDom: document.querySelectorAll('iframe').length };
  },

  /** n inline verifications at once: ms until all are ready; then each frame sends 5 steps to its own host. */
  async scale(kind, n) {
    const vs = Array.from({ length: n }, (_, i) => create(kind, `s${i}`));
    const t0 = performance.now();
    const ready = Promise.all(vs.map((v) => once(v, 'ready')));
    vs.forEach((v) => v.mount());
    await ready;
    const allReadyMs = performance.now() - t0;
    let received = 0;
    let foreign = 0;
    const all = new Promise((resolve) =>
      vs.forEach((v, i) =>
        v.on('step', (e) => {
          received++;
          if (v.step(e).split('|')[0] !== `s${i}`) foreign++;
          if (received === n * 5) resolve();
        }),
      ),
    );
    vs.forEach((v) => v.frame().contentWindow.postMessage({ bench: 'steps', n: 5 }, HOSTED_ORIGIN));
    await all;
    vs.forEach((v) => v.remove());
    return { allReadyMs, received, foreign };
  },

  /**
   * While `n` verifications mount in one task and until 100 ms after all are ready, the page posts itself a message
   * every 10 ms (analytics, ads and chat widgets do): the largest dispatch, in ms.
   */
  async mounting(kind, n) {
    const vs = Array.from({ length: n }, (_, i) => create(kind, `m${i}`));
    const ready = Promise.all(vs.map((v) => once(v, 'ready')));
    const costs = [];
    let going = true;
    const ticking = (async () => {
      while (going) {
        costs.push(await foreignDispatch());
        await sleep(10);
      }
    })();
    await sleep(15);
    vs.forEach((v) => v.mount());
    await ready;
    await sleep(100);
    going = false;
    await ticking;
    vs.forEach((v) => v.remove());
    return Math.max(...costs);
  },

  /** `n` verifications mount in one task; 500 ms later the page posts itself a message: its dispatch, in ms. */
  async afterMount(kind, n) {
    const vs = Array.from({ length: n }, (_, i) => create(kind, `a${i}`));
    const ready = Promise.all(vs.map((v) => once(v, 'ready')));
    vs.forEach((v) => v.mount());
    await sleep(500);
    const cost = await foreignDispatch();
    await ready;
    vs.forEach((v) => v.remove());
    return cost;
  },

  /**
   * With `mounted` verifications open, the page posts itself a message every 10 ms (as analytics, ads and chat
   * widgets do) `count` times: each message's whole dispatch in ms (foreignDispatch), the first one apart.
   */
  async foreign(kind, mounted, count) {
    const costs = [];
    const vs = Array.from({ length: mounted }, (_, i) => create(kind, `f${i}`));
    const ready = Promise.all(vs.map((v) => once(v, 'ready')));
    vs.forEach((v) => v.mount());
    await ready;
    for (let i = 0; i < count; i++) {
      costs.push(await foreignDispatch());
      await sleep(10);
    }
    await nextTask();
    vs.forEach((v) => v.remove());
    return costs;
  },
};
document.documentElement.dataset.ready = '1';
