/**
 * Pages of their own for the tests that must not happen in the test page itself: a same-origin document in an
 * iframe (test/fixtures/merchant-page.html, with the SDK from src/index.ts as `window.FaceSign`), so that it can
 * navigate (a redirect) without taking the test page along, and so that its on-demand chunks are loaded (or fail
 * to load) in a module map of its own. And the server command that takes a file down (wtr/unavailable.mjs).
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type * as SDK from '../../src/index.js';
import { FRAME_ORIGIN, until } from './helpers.js';

export type MerchantWindow = Window & typeof globalThis & { FaceSign: typeof SDK };

export interface MerchantPage {
  frame: HTMLIFrameElement;
  win: MerchantWindow;
  /** `import(path)` run by the page itself: the module instance its SDK uses (an absolute path, e.g. /src/session/watch.ts) */
  load<T = Record<string, unknown>>(path: string): Promise<T>;
  /**
   * A command to the test hosted page in `target` (test/fixtures/hosted.ts), posted by this page: that page takes
   * commands from its host window only. Not acknowledged (its reports go to this page, not the test's).
   */
  post(target: Window, cmd: Record<string, unknown>): void;
  remove(): void;
}

/** A fresh merchant page in an iframe (`attrs` on the iframe, e.g. sandbox), once its SDK has run. */
export async function merchantPage(attrs: Record<string, string> = {}): Promise<MerchantPage> {
  const frame = document.createElement('iframe');
  for (const [k, v] of Object.entries(attrs)) frame.setAttribute(k, v);
  frame.src = '/test/fixtures/merchant-page.html';
  document.body.append(frame);
  await new Promise((r) => frame.addEventListener('load', r, { once: true }));
  const win = frame.contentWindow as MerchantWindow;
  await until(
    () => !!win.FaceSign && (win as unknown as { shown?: boolean }).shown === true,
    (v) => v,
    'the merchant page’s SDK, and its first pageshow',
  );
  return {
    frame,
    win,
    load: <T>(path: string) => win.eval(`import(${JSON.stringify(path)})`) as Promise<T>,
    // a function of that page's own: the message's source is then that page
    post: (target, cmd) =>
      (win.eval('(w, d, o) => w.postMessage(d, o)') as (w: Window, d: unknown, o: string) => void)(target, { cmd, id: -1 }, FRAME_ORIGIN),
    remove: () => frame.remove(),
  };
}

/**
 * Takes a file of the test server down (every request for it answers 503) or up again, for this browser only;
 * `count` asks how many requests for it came since it was taken down.
 */
export const takeDown = (path: string, down = true, as?: 404 | 'tampered'): Promise<unknown> =>
  executeServerCommand('facesign-unavailable', { path, down, ua: navigator.userAgent, as });
export const requestsFor = async (path: string): Promise<number> =>
  (await executeServerCommand('facesign-unavailable', { path, count: true, ua: navigator.userAgent })) as number;
