// README's server code is cut from the runnable examples (examples/), which the end-to-end tests run against the
// sandbox (test/e2e/examples.test.mjs): a code block right after `<!-- excerpt: <file>#<region> -->` must be, byte
// for byte, the lines between `// #region <region>` and `// #endregion` in that file. So README's server snippets
// are code that runs, and they cannot drift from it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
// README, the guide, shows the three routes; docs/server.md, the reference, all of them
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const text = Object.fromEntries(pages.map((p) => [p, readFileSync(path.join(root, p), 'utf8')]));

/** Every excerpt a page marks: where it says it comes from, and its code block. */
const excerptsOf = (page) =>
  [...text[page].matchAll(/^<!-- excerpt: (\S+)#([\w-]+) -->\n```\w*\n([\s\S]*?)^```$/gm)].map(([, file, region, code]) => ({
    page,
    file,
    region,
    code,
  }));
const excerpts = pages.flatMap(excerptsOf);

/** The lines of `region` in `file` (without the markers), each ending in a newline as in a code block. */
function region(file, name) {
  const text = readFileSync(path.join(root, file), 'utf8');
  const m = new RegExp(`^// #region ${name}\\n([\\s\\S]*?)^// #endregion$`, 'm').exec(text);
  assert.ok(m, `${file} has a region "${name}" (// #region ${name} … // #endregion)`);
  return m[1];
}

describe("README's and docs/server.md's server code is excerpts of examples/", () => {
  const from = (page) => excerptsOf(page).map((e) => `${e.file}#${e.region}`);
  it('README, the guide, shows the three routes of examples/express as marked excerpts', () => {
    for (const want of ['create-session', 'refresh', 'webhook'].map((r) => `examples/express/server.js#${r}`))
      assert.ok(from('README.md').includes(want), `README has an excerpt of ${want} (found: ${from('README.md').join(', ') || 'none'})`);
  });

  it('docs/server.md, the reference, shows the server, webhook and refresh code of both examples as marked excerpts', () => {
    for (const want of [
      'examples/express/server.js#setup',
      'examples/express/server.js#create-session',
      'examples/express/server.js#webhook',
      'examples/express/server.js#refresh',
      'examples/nextjs/app/api/webhooks/facesign/route.ts#webhook',
      'examples/nextjs/app/api/facesign/refresh/route.ts#refresh',
    ])
      assert.ok(
        from('docs/server.md').includes(want),
        `docs/server.md has an excerpt of ${want} (found: ${from('docs/server.md').join(', ') || 'none'})`,
      );
  });

  it('each excerpt is byte-identical to its region in the example', () => {
    assert.ok(excerpts.length > 0, 'the pages mark their excerpts');
    for (const { page, file, region: name, code } of excerpts) assert.equal(code, region(file, name), `${page}'s excerpt of ${file}#${name}`);
  });

  it('no server snippet leans on names it never defines (db, req.user, currentUserId)', () => {
    const blocks = pages.flatMap((p) => [...text[p].matchAll(/^```(?:js|ts)\b.*\n([\s\S]*?)^```$/gm)].map((m) => `${p}: ${m[1]}`));
    const undefinedNames = blocks.filter((b) => /\bdb\.|\breq\.user\b|\bcurrentUserId\(/.test(b));
    assert.deepEqual(undefinedNames, []);
  });
});
