// README is a short guide and the reference lives in docs/: every relative link between them (file and #anchor)
// must lead somewhere, or a moved section leaves the guide pointing at nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const anchorsOf = (file) =>
  new Set(
    [
      ...readFileSync(file, 'utf8')
        .replace(/```[\s\S]*?```/g, '')
        .matchAll(/^#+ (.*)$/gm),
    ].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_\- ]/gu, '')
        .replace(/ /g, '-'),
    ),
  );

describe('README and docs/ link to what exists', () => {
  for (const page of pages) {
    it(`${page}: every relative link names a file that exists and a heading it has`, () => {
      const text = readFileSync(path.join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      const broken = [];
      for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [file, anchor] = link.split('#');
        const target = file ? path.join(root, path.dirname(page), file) : path.join(root, page);
        if (!existsSync(target)) broken.push(`${link} (no such file)`);
        else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor)) broken.push(`${link} (no such heading)`);
      }
      assert.deepEqual(broken, []);
    });
  }
});
