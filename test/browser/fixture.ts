/** Talking to the test hosted page (test/fixtures/hosted.ts), without loading the SDK: also for the script-tag test. */
/** The test page is on localhost; the hosted page comes from 127.0.0.1 on the same server: another origin. */
export const FRAME_ORIGIN = `http://127.0.0.1:${location.port}`;
export const hostedUrl = (query = '') => `${FRAME_ORIGIN}/test/fixtures/hosted.html${query ? `?${query}` : ''}`;
export const SECRET = 'vs_test123_secret_abcDEF456';

/** Resolves with the next `{ fixture }` report from `win` matching `pred`. */
export function fromFixture(win: () => Window | null | undefined, pred: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (e: MessageEvent) => {
      const f = (e.data as { fixture?: Record<string, unknown> })?.fixture;
      if (f && e.source === win() && pred(f)) {
        removeEventListener('message', on);
        resolve(f);
      }
    };
    addEventListener('message', on);
  });
}

let nextId = 1;
/** Sends a command to the fixture in `win` and waits for its acknowledgement. */
export async function commandWindow(win: () => Window | null | undefined, cmd: Record<string, unknown>): Promise<void> {
  const id = nextId++;
  const acked = fromFixture(win, (f) => f.ack === id);
  win()!.postMessage({ cmd, id }, FRAME_ORIGIN);
  await acked;
}
/** Sends a command without waiting: for commands after which the frame is gone (navigation, an ending message). */
export function postWindow(win: Window, cmd: Record<string, unknown>): void {
  win.postMessage({ cmd, id: nextId++ }, FRAME_ORIGIN);
}

/** One macrotask for the browser to deliver anything already posted. */
export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
