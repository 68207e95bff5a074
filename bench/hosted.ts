// The benchmark's hosted page, on the second origin: the SDK's own side (src/frame) when the host speaks the
// protocol (fs_channel in the URL), or plain window.postMessage for the floor host. Both variants load this same
// script, so they cost the same to load. Commands from the merchant page (window messages, exact origins):
//   { bench: 'clock', id }   answer with this frame's clock (performance.timeOrigin + now)
//   { bench: 'steps', n }    send n step messages, one per macrotask, each stamped with this frame's clock
import { connectToHost } from '../src/frame/connect.js';

const q = new URL(location.href).searchParams;
const hostOrigin = q.get('fs_origin') ?? q.get('origin')!;
const clock = () => performance.timeOrigin + performance.now();
const me = q.get('id') ?? '';
let step: (nodeId: string) => void;

if (q.get('fs_channel')) {
  // the bench's merchant page: localhost on this server's port (bench/run.mjs)
  const conn = await connectToHost({ allowedHostOrigins: [`http://localhost:${location.port}`], autoResize: false });
  step = (nodeId) => conn.step(nodeId, 'bench');
  conn.ready('bench-session');
} else {
  step = (nodeId) => parent.postMessage({ type: 'step', nodeId, nodeType: 'bench' }, hostOrigin);
  parent.postMessage({ type: 'ready' }, hostOrigin);
}

addEventListener('message', async (e) => {
  if (e.source !== parent || e.origin !== hostOrigin || !e.data?.bench) return;
  const cmd = e.data;
  if (cmd.bench === 'clock') parent.postMessage({ benchClock: clock(), id: cmd.id }, hostOrigin);
  if (cmd.bench === 'steps')
    for (let i = 0; i < cmd.n; i++) {
      step(`${me}|${i}|${clock()}`);
      await new Promise((r) => setTimeout(r, 1));
    }
});
