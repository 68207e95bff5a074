// The server entry's option and argument errors (the built dist/server.js) never repeat the value they refuse: a
// secret in the wrong place (the API key as baseUrl, a client secret as a session id, a key read from the wrong
// environment variable as a timeout) must not reach a log through the message meant to help.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
if (!existsSync(path.join(root, 'dist/server.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
const { FaceSign, FaceSignServerError, verifyWebhook } = await import(path.join(root, 'dist/server.js'));

const KEY = 'sk_test_messages_0123456789';
const SECRETISH = 'sk_test_Q7xK9pLm2Zt8Rw4N';
/** every run of 5 characters of `s` */
const pieces = (s) => Array.from({ length: s.length - 4 }, (_, i) => s.slice(i, i + 5));
/** throws a FaceSignServerError with `code` whose message has no piece of `value` */
function refusesQuietly(f, code, value) {
  let err;
  try {
    f();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof FaceSignServerError, `threw ${err}`);
  assert.equal(err.code, code);
  for (const p of pieces(value)) assert.ok(!err.message.includes(p), `"${p}" in: ${err.message}`);
  return err.message;
}

describe('the server entry never repeats a refused value in its message', () => {
  it('baseUrl that is not a URL (the key put there): says what it expects', () => {
    const m = refusesQuietly(() => new FaceSign({ apiKey: KEY, baseUrl: SECRETISH }), 'invalid_option', SECRETISH);
    assert.match(m, /^baseUrl must be an https URL/);
  });

  it('a number option given a string (a key read from the wrong variable): says its kind and length', async () => {
    const m = refusesQuietly(() => new FaceSign({ apiKey: KEY, timeout: SECRETISH }), 'invalid_option', SECRETISH);
    assert.match(m, /^timeout must be a finite number/);
    assert.match(m, /a string of 24 characters/);
    await assert.rejects(verifyWebhook('{}', {}, 'whsec_a2V5', { tolerance: SECRETISH }), (e) => {
      assert.equal(e.code, 'invalid_option');
      for (const p of pieces(SECRETISH)) assert.ok(!e.message.includes(p), `"${p}" in: ${e.message}`);
      return true;
    });
  });

  it('a session id that is not one (a secret with a "/" in it): says what an id looks like', async () => {
    const fs = new FaceSign({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    const value = `${SECRETISH}/x`;
    await assert.rejects(fs.sessions.retrieve(value), (e) => {
      assert.equal(e.code, 'invalid_argument');
      for (const p of pieces(value)) assert.ok(!e.message.includes(p), `"${p}" in: ${e.message}`);
      assert.match(e.message, /must be a session id/);
      return true;
    });
  });
});
