// Which browser engines this machine has, for the browser tests: Chromium (or Chrome / Edge), Firefox, and WebKit
// (WebKitGTK's MiniBrowser through WebKitWebDriver, Linux). Nothing is ever downloaded: each engine is looked for
// where it usually lives, or where CHROME_PATH / FIREFOX_PATH / WEBKIT_PATH say. FACESIGN_ENGINES=chromium,firefox
// picks engines; with CI set, a missing engine is an error, not a skip.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const home = process.env.HOME ?? '';
const local = process.env.LOCALAPPDATA ?? '';
const pf = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)']].filter(Boolean);

const CANDIDATES = {
  chromium: [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    `${home}/Applications/Google Chrome.app/Contents/MacOS/Google Chrome`,
    ...pf.map((p) => `${p}\\Google\\Chrome\\Application\\chrome.exe`),
    ...pf.map((p) => `${p}\\Microsoft\\Edge\\Application\\msedge.exe`),
    `${local}\\Google\\Chrome\\Application\\chrome.exe`,
  ],
  firefox: [
    process.env.FIREFOX_PATH,
    '/usr/bin/firefox-esr',
    '/usr/bin/firefox',
    '/Applications/Firefox.app/Contents/MacOS/firefox',
    ...pf.map((p) => `${p}\\Mozilla Firefox\\firefox.exe`),
  ],
  webkit: [
    process.env.WEBKIT_PATH,
    '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
  ],
};

export const INSTALL = {
  chromium: 'sudo apt-get install chromium (Debian/Ubuntu), or install Chrome; or set CHROME_PATH',
  firefox: 'sudo apt-get install firefox-esr (Debian), or install Firefox; or set FIREFOX_PATH',
  webkit: 'sudo apt-get install webkit2gtk-driver xvfb (Debian/Ubuntu; Linux only); or set WEBKIT_PATH to MiniBrowser',
};

const onPath = (cmd) => (process.env.PATH ?? '').split(':').some((d) => d && existsSync(`${d}/${cmd}`));

/**
 * The engines found and wanted (FACESIGN_ENGINES): `found` { chromium?, firefox?, webkit? } paths (webkit also needs
 * WebKitWebDriver on PATH), `present` the same before FACESIGN_ENGINES picked.
 */
export function findEngines() {
  const found = {};
  for (const [engine, paths] of Object.entries(CANDIDATES)) {
    const path = paths.find((p) => p && existsSync(p));
    if (path && (engine !== 'webkit' || onPath('WebKitWebDriver'))) found[engine] = path;
  }
  const present = { ...found };
  const wanted = (process.env.FACESIGN_ENGINES ?? 'chromium,firefox,webkit').split(',').map((s) => s.trim());
  for (const e of Object.keys(found)) if (!wanted.includes(e)) delete found[e];
  return { found, present, wanted };
}

/** How each engine is asked to run without opening a window: a version query (MiniBrowser has none that works
 * without a display; its `--help` runs the binary, then exits 1 when there is no display, which still counts). */
const PROBE = { chromium: ['--version'], firefox: ['--version'], webkit: ['--help'], driver: ['--help'] };
const PROBE_MS = 5000;

/** Why `path` does not run as `engine` (spawn error, non-zero exit, no answer within 5 s), or '' when it runs. */
function probe(engine, path) {
  return new Promise((resolve) => {
    // its own process group, so a hanging wrapper script and whatever it started are killed together
    const child = spawn(path, PROBE[engine], { stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve(`did not answer \`${PROBE[engine].join(' ')}\` within ${PROBE_MS / 1000} s`);
    }, PROBE_MS);
    child.once('error', (e) => (clearTimeout(timer), resolve(`cannot be started (${e.code ?? e.message})`)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal) resolve(`was killed by ${signal}`);
      else resolve(code === 0 || engine === 'webkit' ? '' : `exited with ${code} on \`${PROBE[engine].join(' ')}\``);
    });
  });
}

/**
 * The engines found, each started once (in parallel, a few seconds at most): `{ found, present, wanted, broken }`,
 * where `broken` maps an engine that is there but does not run (a snap stub, a file that is not executable, a
 * script that hangs) to why; broken engines are left out of `found` and `present`.
 */
export async function probeEngines() {
  const r = findEngines();
  const broken = {};
  await Promise.all(
    Object.entries(r.present).map(async ([engine, path]) => {
      let why = await probe(engine, path);
      if (why) why = `${path} ${why}`;
      // WebKit runs through its WebDriver
      else if (engine === 'webkit' && (why = await probe('driver', 'WebKitWebDriver'))) why = `WebKitWebDriver ${why}`;
      if (!why) return;
      broken[engine] = why;
      delete r.present[engine];
      delete r.found[engine];
    }),
  );
  return { ...r, broken };
}

/** A loopback port nothing listens on now (tests start their own servers on it). */
export async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts WebKitWebDriver on loopback; it is killed when this process exits. */
export async function startWebKitDriver() {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--host=127.0.0.1`, `--port=${port}`], { stdio: 'ignore' });
  process.once('exit', () => driver.kill());
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (driver.kill(), process.exit(1)));
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { port, stop: () => driver.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  driver.kill();
  throw new Error('WebKitWebDriver did not start within 10 s');
}
