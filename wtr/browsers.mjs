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

async function freePort() {
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
