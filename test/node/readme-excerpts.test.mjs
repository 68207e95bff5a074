// README's server code is cut from the runnable examples (examples/), which the end-to-end tests run against the
// sandbox (test/e2e/examples.test.mjs): a code block right after `<!-- excerpt: <file>#<region> -->` must be, byte
// for byte, the lines between `// #region <region>` and `// #endregion` in that file. So README's server snippets
// are code that runs, and they cannot drift from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** Every excerpt README marks: where it says it comes from, and its code block. */
const excerpts = [...readme.matchAll(/^<!-- excerpt: (\S+)#([\w-]+) -->\n```\w*\n([\s\S]*?)^```$/gm)].map(([, file, region, code]) => ({
  file,
  region,
  code,
}));

/** The lines of `region` in `file` (without the markers), each ending in a newline as in a code block. */
function region(file, name) {
  const text = readFileSync(path.join(root, file), 'utf8');
  const m = new RegExp(`^// #region ${name}\\n([\\s\\S]*?)^// #endregion$`, 'm').exec(text);
  assert.ok(m, `${file} has a region "${name}" (// #region ${name} … // #endregion)`);
  return m[1];
}

describe("README's server code is excerpts of examples/", () => {
  it('the server, webhook and refresh snippets are marked excerpts of examples/express and examples/nextjs', () => {
    const from = excerpts.map((e) => `${e.file}#${e.region}`);
    for (const want of [
      'examples/express/server.js#setup',
      'examples/express/server.js#create-session',
      'examples/express/server.js#webhook',
      'examples/express/server.js#refresh',
      'examples/nextjs/app/api/webhooks/facesign/route.ts#webhook',
      'examples/nextjs/app/api/facesign/refresh/route.ts#refresh',
    ])
      assert.ok(from.includes(want), `README has an excerpt of ${want} (found: ${from.join(', ') || 'none'})`);
  });

  it('each excerpt is byte-identical to its region in the example', () => {
    assert.ok(excerpts.length > 0, 'README marks its excerpts');
    for (const { file, region: name, code } of excerpts) assert.equal(code, region(file, name), `README's excerpt of ${file}#${name}`);
  });

  it('no server snippet leans on names it never defines (db, req.user, currentUserId)', () => {
    const blocks = [...readme.matchAll(/^```(?:js|ts)\b.*\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    const undefinedNames = blocks.filter((b) => /\bdb\.|\breq\.user\b|\bcurrentUserId\(/.test(b));
    assert.deepEqual(undefinedNames, []);
  });
});
