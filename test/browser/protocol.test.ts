/**
 * What the two ends share (src/protocol) and the host's check of a hello (rejectHello): only the exact origin, from
 * the expected window, in a trusted event; messages parsed into fresh objects; the error codes.
 */
import { expect } from '@open-wc/testing';
import { rejectHello } from '../../src/session/host-channel.js';
import { ERROR_CODES, FaceSignError } from '../../src/protocol/errors.js';
import { message, parseFrameMessage } from '../../src/protocol/messages.js';

describe('origin matching is exact', () => {
  const source = window; // any WindowProxy stands in for the iframe here
  const want = { from: (s: MessageEventSource | null) => s === source, origin: 'https://verify.facesign.ai', channel: 'c1' };
  const ev = (origin: string, over: Partial<MessageEvent> = {}) =>
    ({ source, origin, isTrusted: true, data: message('hello', { channel: 'c1' }), ...over }) as MessageEvent;

  it('accepts only the exact origin', () => {
    expect(rejectHello(ev('https://verify.facesign.ai'), want)).to.deep.equal(message('hello', { channel: 'c1' }));
  });
  for (const origin of [
    'https://verify.facesign.ai.evil.test',
    'https://evil-verify.facesign.ai',
    'https://sub.verify.facesign.ai',
    'http://verify.facesign.ai',
    'https://verify.facesign.ai:8443',
    'https://verify.facesign.ai.',
    'https://VERIFY.FACESIGN.AI',
    'https://evil.test',
    'null',
    '',
  ]) {
    it(`rejects look-alike origin "${origin}"`, () => {
      expect(rejectHello(ev(origin), want)).to.equal('origin');
    });
  }
  it("takes the page's refusal in the hello's place, through the same checks in the same order", () => {
    const refused = (origin: string, over: Partial<MessageEvent> = {}) => ev(origin, { data: message('refused', { channel: 'c1' }), ...over });
    expect(rejectHello(refused('https://verify.facesign.ai'), want)).to.deep.equal(message('refused', { channel: 'c1' }));
    expect(rejectHello(refused('https://verify.facesign.ai', { source: null }), want)).to.equal('source');
    expect(rejectHello(refused('https://verify.facesign.ai', { isTrusted: false }), want)).to.equal('untrusted');
    expect(rejectHello(refused('https://verify.facesign.ai', { data: { ...message('refused', { channel: 'c1' }), channel: 7 } }), want)).to.equal(
      'shape (bad field channel)',
    );
    expect(rejectHello(refused('https://evil.test'), want)).to.equal('origin');
    expect(rejectHello(refused('https://verify.facesign.ai', { data: message('refused', { channel: 'c2' }) }), want)).to.equal('channel');
  });
  it('checks source before anything else and refuses untrusted events', () => {
    expect(rejectHello(ev('https://evil.test', { source: null, data: 'junk' }), want)).to.equal('source');
    expect(rejectHello(ev('https://verify.facesign.ai', { isTrusted: false }), want)).to.equal('untrusted');
    expect(rejectHello(ev('https://verify.facesign.ai'), { ...want, from: () => false })).to.equal('source');
  });
});

describe('messages and error codes', () => {
  it('parses messages into fresh objects without unknown keys', () => {
    const m = parseFrameMessage({ ...message('step', { nodeId: 'a', nodeType: 'b' }), extra: { deep: 1 } });
    expect(m).to.deep.equal({ ns: 'facesign', v: 1, type: 'step', nodeId: 'a', nodeType: 'b' });
  });
  it('lists every error code once', () => {
    expect(new Set(ERROR_CODES).size).to.equal(ERROR_CODES.length);
    const e = new FaceSignError('load_timeout', 'x', true);
    expect([e instanceof Error, e.name, e.code, e.recoverable]).to.deep.equal([true, 'FaceSignError', 'load_timeout', true]);
  });
});
