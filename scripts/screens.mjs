// Photographs every screen the element draws itself into docs/screens/<screen>.png: light, dark and right to left
// at 390 px, and a 320 px phone, side by side. The screens are the element's own templates and stylesheet
// (test/screens/harness.ts, the same the design test measures), bundled with esbuild and shown in the system
// Chromium (playwright-core, as the e2e tests do). `npm run screens`; look at them after a change to a screen.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { findEngines } from '../wtr/browsers.mjs';

const out = 'docs/screens';
mkdirSync(out, { recursive: true });
const bundle = await build({
  stdin: {
    contents: "import { SCREENS, showScreen } from './test/screens/harness.ts'; Object.assign(window, { SCREENS, showScreen });",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  write: false,
  define: { __FACESIGN_DEV__: 'false' },
});
const code = bundle.outputFiles[0].text;
const browser = await chromium.launch({
  executablePath: findEngines().present.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--force-prefers-reduced-motion'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 600 }, deviceScaleFactor: 1 });
  // a merchant's address, for the in-app browser screen's link (nothing is fetched from it)
  await page.route('https://shop.example/**', (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><body style="margin:0;padding:12px;background:#e9ebef;font:13px system-ui"><div id="row" style="display:flex;gap:12px;align-items:flex-start"></div></body></html>',
    }),
  );
  await page.goto('https://shop.example/checkout/verify');
  await page.addScriptTag({ type: 'module', content: code });
  await page.waitForFunction(() => 'showScreen' in window);
  const names = await page.evaluate(() => Object.keys(window.SCREENS));
  for (const name of names) {
    await page.evaluate(async (name) => {
      const row = document.getElementById('row');
      row.replaceChildren();
      const looks = [
        { variant: 'light', width: 390 },
        { variant: 'dark', width: 390 },
        { variant: 'rtl', width: 390 },
        { variant: 'light', width: 320 },
      ];
      for (const look of looks) {
        const cell = document.createElement('figure');
        cell.style.cssText = 'margin:0;display:grid;gap:4px;color:#30343c';
        const caption = document.createElement('figcaption');
        caption.textContent = look.width === 320 ? 'phone, 320 px' : look.variant === 'rtl' ? 'right to left (lang="ar")' : look.variant;
        cell.append(caption);
        row.append(cell);
        const box = await window.showScreen(name, look, cell);
        box.style.blockSize = '440px';
      }
      // the spinner at a fixed angle: the same picture every run
      for (const host of row.querySelectorAll('[data-screen]'))
        host.shadowRoot.querySelectorAll('.spinner').forEach((s) => (s.style.animation = 'none'));
    }, name);
    await page.locator('#row').screenshot({ path: `${out}/${name}.png` });
    console.log(`${out}/${name}.png`);
  }
} finally {
  await browser.close();
}
