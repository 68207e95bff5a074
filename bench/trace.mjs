// `node bench/trace.mjs`: where a warm mount spends the merchant page's main-thread time, by Chromium trace event
// (self time per mount, averaged over 20 traced mounts after 5 untraced), for the SDK's script tag, floor-port and
// floor-min (bench/merchant.js). Complements `npm run bench`, whose CPU profile sees only JavaScript: this sees the
// browser's own work too (creating and detaching the frame, style, layout, paint, the port's messages). One run
// per kind, not interleaved: compare within a run, and run it more than once. KINDS=sdk,port limits the kinds.
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { findEngines } from '../wtr/browsers.mjs';
import { chromium } from 'playwright-core';
const root = path.resolve(import.meta.dirname, '..');
const hostedJs = (
  await build({ entryPoints: [path.join(root, 'bench/hosted.ts')], bundle: true, format: 'esm', target: 'es2022', minify: true, write: false })
).outputFiles[0].text;
const HOSTED_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><script type="module" src="/hosted.js"></script></head><body>hosted</body></html>';
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  let body;
  try {
    body = url.pathname === '/hosted.html' ? HOSTED_HTML : url.pathname === '/hosted.js' ? hostedJs : readFileSync(path.join(root, url.pathname));
  } catch {
    return res.writeHead(404).end();
  }
  res
    .writeHead(200, {
      'content-type': `${url.pathname.endsWith('.html') ? 'text/html' : 'text/javascript'}; charset=utf-8`,
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'cross-origin',
    })
    .end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const browser = await chromium.launch({
  executablePath: findEngines().present.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const N = 20;
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const traceFile = (kind) => path.join(root, `bench/results/trace-${kind}.json`);
const result = {};
for (const kind of (process.env.KINDS ?? 'sdk,port,floor').split(',')) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://localhost:${port}/bench/merchant.html?hosted=${encodeURIComponent(`http://127.0.0.1:${port}`)}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && window.FaceSign);
  for (let i = 0; i < 5; i++) await page.evaluate((k) => window.bench.mount(k), kind);
  await browser.startTracing(page, {
    path: traceFile(kind),
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'disabled-by-default-devtools.timeline.stack',
      'v8',
      'blink',
      'toplevel',
    ],
  });
  for (let i = 0; i < N; i++) await page.evaluate((k) => window.bench.mount(k), kind);
  await browser.stopTracing();
  const t = JSON.parse(readFileSync(traceFile(kind)));
  const ev = t.traceEvents;
  // the merchant page's main thread: the one with the most FunctionCall time
  const byTid = new Map();
  for (const e of ev) if (e.name === 'RunTask' && e.ph === 'X') byTid.set(`${e.pid}:${e.tid}`, (byTid.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
  const threadNames = new Map(ev.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const mainKey = [...byTid].filter(([k]) => threadNames.get(k) === 'CrRendererMain').sort((a, b) => b[1] - a[1])[0][0];
  const xs = ev.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === mainKey).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  for (const e of xs) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur);
    stack.push(e);
  }
  result[kind] = Object.fromEntries([...self].map(([k, v]) => [k, v / 1000 / N]));
  await context.close();
}
await browser.close();
server.close();
const names = [...new Set(Object.values(result).flatMap((r) => Object.keys(r)))].sort((a, b) => (result.sdk[b] ?? 0) - (result.sdk[a] ?? 0));
console.log('self ms per warm mount, merchant main thread    sdk   port  floor');
for (const n of names.slice(0, 28))
  console.log(n.slice(0, 44).padEnd(44), ...['sdk', 'port', 'floor'].map((k) => (result[k]?.[n] ?? 0).toFixed(2).padStart(6)));
console.log(
  'total'.padEnd(44),
  ...['sdk', 'port', 'floor'].map((k) =>
    Object.values(result[k] ?? {})
      .filter((v) => v > 0)
      .reduce((a, b) => a + b, 0)
      .toFixed(2)
      .padStart(6),
  ),
);
