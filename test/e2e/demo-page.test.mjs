// The sandbox's demo merchant page as a stakeholder sees it: it holds from 320 px without sideways scrolling, its
// controls are one height and big enough to touch, the developer options are folded away apart from the rest, and
// statuses read as words (never the API's `requiresInput`).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { openDemo, serverStatus, startRun, useSandbox } from './helpers.mjs';

describe('the demo page', () => {
  const ctx = useSandbox();

  for (const width of [320, 390])
    it(`at ${width} px: no sideways overflow, selects of one height, targets of 44 px, developer options folded`, async () => {
      const { page } = await openDemo(ctx.browser, ctx.sb.demoUrl);
      await page.setViewportSize({ width, height: 800 });
      await page.locator('details.dev summary').click();
      const m = await page.evaluate(() => ({
        scroll: document.scrollingElement.scrollWidth,
        selects: [...document.querySelectorAll('select')].map((s) => Math.round(s.getBoundingClientRect().height)),
        small: [...document.querySelectorAll('button, select, summary, label.choice')]
          .map((e) => [e.id || e.localName, e.getBoundingClientRect().height])
          .filter(([, h]) => h < 44),
        wide: [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
          .map((e) => e.id || e.localName),
      }));
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: `test-results/demo-page-${width}.png`, fullPage: true });
      assert.ok(m.scroll <= width, `the page scrolls sideways: ${m.scroll} > ${width}`);
      assert.deepEqual(m.wide, []);
      assert.equal(new Set(m.selects).size, 1, `select heights: ${m.selects}`);
      assert.deepEqual(m.small, []);
      await page.close();
    });

  it('statuses in words: waiting for the person or in progress, then complete and verified', async () => {
    const demo = await openDemo(ctx.browser, ctx.sb.demoUrl);
    const { page, frame } = demo;
    assert.equal(await page.locator('details.dev').getAttribute('open'), null);
    await startRun(demo, { sample: 'greeting', mode: 'inline' });
    // before the webhook: the status the backend polls, in words (never `requiresInput`)
    const running = page.locator('#server-result[data-status="requiresInput"], #server-result[data-status="processing"]');
    await running.waitFor();
    const words = { requiresInput: 'Waiting for the person', processing: 'In progress' };
    assert.equal(await running.textContent(), words[await running.getAttribute('data-status')]);
    await frame.getByRole('textbox').fill('Ada Lovelace');
    await frame.getByRole('button', { name: 'Send' }).click();
    assert.equal(await serverStatus(page, 'complete'), 'complete (verified)');
    assert.equal(await page.locator('#server-result').textContent(), 'Complete: verified');
    assert.equal(await page.locator('#browser-result').textContent(), 'Complete');
    await page.close();
  });
});
