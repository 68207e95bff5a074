/**
 * Inputs that never throw: every property accepts whatever a page can assign. A wrong value gives one
 * `facesign-error` with the property's stable code and a message naming the property; never an uncaught
 * exception, an unhandled rejection, or a half-started session (no iframe, no request).
 */
import { expect } from '@open-wc/testing';
import { FaceSignVerifyElement } from '../../src/element.js';
import { checkClientSecret, checkLang, verifyOrigin } from '../../src/element/options.js';
import { FaceSignError } from '../../src/protocol/errors.js';
import { SECRET, cleanup, frameOf, hostedUrl, mount, record, types, waitFor, type Mounted } from './helpers.js';

const throwing = () => {
  throw new Error('boom');
};
/** Values a page can assign, each hostile in its own way. */
const VALUES: [string, () => unknown][] = [
  ['a number', () => 42],
  ['NaN', () => NaN],
  ['a plain object', () => ({})],
  ['an array', () => ['x']],
  ['a Symbol', () => Symbol('x')],
  ['a function', () => () => 'x'],
  ['true', () => true],
  ['an object whose toString and valueOf throw', () => ({ toString: throwing, valueOf: throwing, [Symbol.toPrimitive]: throwing })],
  [
    'an object whose getters throw',
    () => Object.defineProperties({}, { secret: { get: throwing }, url: { get: throwing }, expireAt: { get: throwing } }),
  ],
  [
    'a Proxy whose every trap throws',
    () => new Proxy({}, { get: throwing, has: throwing, ownKeys: throwing, getPrototypeOf: throwing, getOwnPropertyDescriptor: throwing }),
  ],
];

/** property -> its error code, and the values it accepts (that start a session or are ignored) */
const PROPERTIES: Record<string, { code: string; accepts: string[] }> = {
  clientSecret: { code: 'invalid_client_secret', accepts: [] },
  verifyUrl: { code: 'invalid_verify_url', accepts: [] },
  mode: { code: 'invalid_option', accepts: [] },
  lang: { code: 'invalid_option', accepts: [] },
  // 42 is a valid number of seconds (for expireAt one long past: a recoverable secret_expired follows)
  expireAt: { code: 'invalid_option', accepts: ['a number'] },
  refreshMargin: { code: 'invalid_option', accepts: ['a number'] },
  refreshUrl: { code: 'invalid_option', accepts: [] },
  fetchClientSecret: { code: 'invalid_option', accepts: ['a function'] },
  loadTimeout: { code: 'invalid_option', accepts: ['a number'] },
  refreshTimeout: { code: 'invalid_option', accepts: ['a number'] },
  refreshRetries: { code: 'invalid_option', accepts: ['a number'] },
  refreshRetryDelay: { code: 'invalid_option', accepts: ['a number'] },
  refreshCredentials: { code: 'invalid_option', accepts: [] },
  fallback: { code: 'invalid_option', accepts: [] },
  crossDevice: { code: 'invalid_option', accepts: [] },
  returnUrl: { code: 'invalid_option', accepts: [] },
  webview: { code: 'invalid_option', accepts: [] },
  nativeBridge: { code: 'invalid_option', accepts: [] },
  delegate: { code: 'invalid_option', accepts: [] },
  // booleans: any value is truthy or falsy
  open: { code: '', accepts: VALUES.map(([n]) => n) },
  debug: { code: '', accepts: VALUES.map(([n]) => n) },
};

describe('inputs that never throw', () => {
  const problems: unknown[] = [];
  const onError = (e: ErrorEvent) => problems.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => problems.push(e.reason);
  beforeEach(() => {
    problems.length = 0;
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
  });
  afterEach(() => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
    cleanup();
  });

  for (const [prop, { code, accepts }] of Object.entries(PROPERTIES)) {
    describe(prop, () => {
      for (const [name, make] of VALUES) {
        const ok = accepts.includes(name);
        it(`${name}: ${ok ? 'accepted' : code}`, async () => {
          const before = performance.getEntriesByType('resource').length;
          const el = document.createElement('facesign-verify') as FaceSignVerifyElement;
          const m: Mounted = { el, events: [], terminal: () => [] };
          for (const t of ['facesign-error', 'facesign-ready', 'facesign-cancel'])
            el.addEventListener(t, (e) => m.events.push({ type: t, detail: (e as CustomEvent).detail }));
          Object.assign(el, { clientSecret: SECRET, verifyUrl: hostedUrl() });
          // assigning never throws
          (el as unknown as Record<string, unknown>)[prop] = make();
          document.body.append(el);
          await el.updateComplete;
          if (ok) {
            // a session started, and nothing called the value invalid
            expect(frameOf(el)).not.to.equal(null);
            expect(m.events.filter((e) => e.type === 'facesign-error' && !(e.detail as { recoverable: boolean }).recoverable)).to.deep.equal([]);
          } else {
            expect(m.events.map((e) => e.type)).to.deep.equal(['facesign-error']);
            const err = m.events[0]!.detail as { code: string; message: string; recoverable: boolean };
            expect(err.code).to.equal(code);
            expect(err.message).to.include(prop);
            expect(err.recoverable).to.equal(false);
            // nothing was started: no iframe, no request
            expect(frameOf(el)).to.equal(null);
            expect(performance.getEntriesByType('resource').length).to.equal(before);
            expect(el.status).to.equal('error');
          }
          el.remove();
          expect(problems).to.deep.equal([]);
        });
      }
    });
  }

  it('a bad setting changed mid-session is a recoverable error, and the session goes on once it is fixed', async () => {
    const m = mount({});
    await waitFor(m, 'facesign-ready');
    m.el.refreshMargin = Symbol('x') as never;
    m.el.fetchClientSecret = 'not a function' as never;
    await m.el.refreshSecret().catch(() => {});
    const err = m.events.find((e) => e.type === 'facesign-error')!.detail as { code: string; recoverable: boolean; message: string };
    expect([err.code, err.recoverable]).to.deep.equal(['invalid_option', true]);
    expect(err.message).to.include('fetchClientSecret');
    expect(m.el.status).to.equal('requiresInput');
    expect(problems).to.deep.equal([]);
  });
});

describe('timeouts are more than 0 ms; the retries and their delay may be 0', () => {
  afterEach(cleanup);

  /** An element with these attributes and properties, appended; its facesign-* events recorded from the start. */
  async function started(attrs: Record<string, string>, props: Record<string, unknown> = {}): Promise<Mounted> {
    const el = document.createElement('facesign-verify') as FaceSignVerifyElement;
    const m = record(el);
    Object.assign(el, { clientSecret: SECRET, verifyUrl: hostedUrl(), ...props });
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.body.append(el);
    await el.updateComplete;
    return m;
  }

  /** One terminal invalid_option naming `prop`, and nothing started. */
  function refused(m: Mounted, prop: string) {
    expect(m.events.map((e) => e.type)).to.deep.equal(['facesign-error']);
    const err = m.events[0]!.detail as { code: string; message: string; recoverable: boolean };
    expect([err.code, err.recoverable]).to.deep.equal(['invalid_option', false]);
    expect(err.message).to.match(new RegExp(`^${prop} must be a number of milliseconds more than 0`));
    expect(frameOf(m.el)).to.equal(null);
    expect(m.el.status).to.equal('error');
  }

  for (const [prop, attr] of [
    ['loadTimeout', 'load-timeout'],
    ['refreshTimeout', 'refresh-timeout'],
  ] as const) {
    for (const [name, value] of [
      ['0', 0],
      ['-1', -1],
      ['NaN', NaN],
      ["''", ''],
    ] as const)
      it(`${prop} = ${name}: invalid_option naming ${prop}`, async () => refused(await started({}, { [prop]: value }), prop));
    for (const value of ['', '0'])
      it(`${attr}="${value}": invalid_option naming ${prop}`, async () => refused(await started({ [attr]: value }), prop));
  }

  it('refreshRetries = 0 and refreshRetryDelay = 0 are valid, and so is a 1 ms refreshTimeout', async () => {
    const m = await started({}, { refreshRetries: 0, refreshRetryDelay: 0, refreshTimeout: 1 });
    await waitFor(m, 'facesign-ready');
    expect(m.events.filter((e) => e.type === 'facesign-error')).to.deep.equal([]);
    expect(frameOf(m.el)).to.not.equal(null);
  });
});

describe('the option checks: verify-url’s origin, the secret, lang', () => {
  it('accepts loopback http and any https verify-url, returning the exact origin', () => {
    expect(verifyOrigin('http://localhost:4011/verify?x=1')).to.equal('http://localhost:4011');
    expect(verifyOrigin('http://127.0.0.5/')).to.equal('http://127.0.0.5');
    expect(verifyOrigin('http://[::1]:8080/')).to.equal('http://[::1]:8080');
    expect(verifyOrigin('https://verify.facesign.ai/')).to.equal('https://verify.facesign.ai');
    expect(() => verifyOrigin('http://localhost.evil.test/')).to.throw(FaceSignError);
    expect(() => verifyOrigin('http://128.0.0.1/')).to.throw(FaceSignError);
    expect(() => verifyOrigin('ftp://verify.facesign.ai/')).to.throw(FaceSignError);
  });
  it('accepts the seeds-style secret and canonicalises lang', () => {
    expect(checkClientSecret('vs_1a2b3c4d5e6f_secret_abc123def456')).to.equal('vs_1a2b3c4d5e6f_secret_abc123def456');
    expect(checkLang('en-us')).to.equal('en-US');
    expect(checkLang('')).to.equal('');
  });
});

describe('return-url', () => {
  afterEach(cleanup);

  it('another origin, credentials or a non-http scheme: invalid_option naming returnUrl, nothing loads', async () => {
    for (const bad of ['https://elsewhere.example/back', `http://u:p@${location.host}/back`, 'javascript:alert(1)']) {
      const m = mount({ 'return-url': bad });
      await m.el.updateComplete;
      expect(
        m.events.map((e) => e.type),
        bad,
      ).to.deep.equal(['facesign-error']);
      expect((m.events[0]!.detail as { code: string }).code).to.equal('invalid_option');
      expect((m.events[0]!.detail as { message: string }).message).to.match(/^returnUrl /);
      expect(frameOf(m.el)).to.equal(null);
      cleanup();
    }
  });

  it('a path on this origin is accepted', async () => {
    const m = mount({ 'return-url': '/account/verified?from=kyc' });
    await waitFor(m, 'facesign-ready');
    expect(types(m)).to.deep.equal(['facesign-ready']);
  });
});

describe('an invalid option’s message never repeats its value (it may be a secret put in the wrong place)', () => {
  afterEach(cleanup);

  // a value with the shape of a client secret, and one with a ":" (allowed in a secret; a URL parser reads what
  // comes before it as a scheme)
  const SECRETISH = 'fs_client_secret_Q7xK9pLm2Zt8Rw4N';
  const COLON = 'Q7xK9pLm2Zt8:Rw4NvB6y';
  /** every run of 5 characters of `s`: none may appear in a message (its first 20 characters did) */
  const pieces = (s: string) => Array.from({ length: s.length - 4 }, (_, i) => s.slice(i, i + 5));

  const cases: [string, string, string][] = [
    ['mode', SECRETISH, 'mode must be one of inline, modal, got a string of 33 characters'],
    ['fallback', SECRETISH, 'fallback must be one of auto, popup, redirect, none, got a string of 33 characters'],
    ['crossDevice', SECRETISH, 'crossDevice must be one of auto, off, force, got a string of 33 characters'],
    ['refreshCredentials', SECRETISH, 'refreshCredentials must be one of same-origin, include, omit, got a string of 33 characters'],
    ['verifyUrl', COLON, 'verifyUrl must be https:'],
    ['returnUrl', COLON, 'returnUrl must be https:'],
    ['lang', SECRETISH, 'lang must be a BCP 47 tag'],
    ['refreshUrl', COLON, 'refreshUrl'],
  ];
  for (const [prop, value, says] of cases)
    it(`${prop}: says what it expects, and no piece of the value`, async () => {
      const el = document.createElement('facesign-verify') as FaceSignVerifyElement;
      const m = record(el);
      Object.assign(el, { clientSecret: SECRET, verifyUrl: hostedUrl(), [prop]: value });
      document.body.append(el);
      await el.updateComplete;
      const err = m.events.find((e) => e.type === 'facesign-error')?.detail as { code: string; message: string };
      expect(err.code).to.match(/^invalid_/);
      expect(err.message).to.include(says);
      // in any case: a URL parser lowercases what it took for a scheme
      for (const p of pieces(value.toLowerCase())) expect(err.message.toLowerCase(), `"${p}" in: ${err.message}`).not.to.include(p);
      el.remove();
    });

  it('a near miss in case or spacing is not echoed either, and the allowed values are listed', async () => {
    const m = mount({ mode: ' Modal ' });
    const err = (await waitFor(m, 'facesign-error')).detail as { message: string };
    expect(err.message).to.equal('mode must be one of inline, modal, got a string of 7 characters');
  });
});
