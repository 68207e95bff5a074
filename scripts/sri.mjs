// The Subresource Integrity hash of the script-tag build (sha384, as browsers check it). `node scripts/sri.mjs`
// prints it; `--readme` writes it into README's pinned <script> tag, with package.json's version. The build never writes README: a stale
// hash there fails the script-tag test, so README cannot drift from what is built.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const file = 'dist/facesign-verify.iife.js';
const hash = `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
if (process.argv.includes('--readme')) {
  const readme = readFileSync('README.md', 'utf8');
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  // every pinned tag (Install, and the whole page in "The element")
  const tag = /(<script src="https:\/\/cdn\.jsdelivr\.net\/npm\/@facesign\/verify@)[^/"]+(\/dist\/facesign-verify\.iife\.js") integrity="[^"]*"/g;
  if (!tag.test(readme)) throw new Error('README has no pinned script tag with an integrity attribute to update');
  writeFileSync('README.md', readme.replace(tag, `$1${version}$2 integrity="${hash}"`));
  console.log(`README: @${version}, integrity="${hash}"`);
} else console.log(hash);
