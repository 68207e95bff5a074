/**
 * Registering the element: once under facesign-verify, again without throwing, under other tag names (a subclass
 * each, since one class backs one tag), and a warning when another version of the SDK got there first.
 */
import { expect } from '@open-wc/testing';
// the entry registers <facesign-verify>, as on a page that loads the SDK
import { FaceSignVerifyElement, VERSION, defineFaceSignVerify } from '../../src/index.js';

describe('registration', () => {
  it('is defined once under facesign-verify; defining again does not throw', () => {
    expect(customElements.get('facesign-verify')).to.equal(FaceSignVerifyElement);
    expect(() => defineFaceSignVerify()).not.to.throw();
    expect(customElements.get('facesign-verify')).to.equal(FaceSignVerifyElement);
  });
  it('warns once (in development) when another version got there first', () => {
    const tag = 'facesign-verify-other';
    customElements.define(
      tag,
      class extends HTMLElement {
        static version = '0.0.1';
      },
    );
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (...a: unknown[]) => warnings.push(a.join(' '));
    try {
      defineFaceSignVerify(tag);
      defineFaceSignVerify(tag);
    } finally {
      console.warn = orig;
    }
    expect(warnings).to.have.length(__FACESIGN_DEV__ ? 1 : 0);
    if (__FACESIGN_DEV__) expect(warnings[0]).to.include('0.0.1').and.include(VERSION);
  });
  it('can register under another tag name (a subclass, since one class backs one tag)', () => {
    defineFaceSignVerify('acme-verify');
    const Ctor = customElements.get('acme-verify')!;
    expect(new Ctor()).to.be.instanceOf(FaceSignVerifyElement);
  });

  it('define() under another tag works without CustomElementRegistry.getName (Chrome < 117, Safari < 17)', () => {
    const proto = CustomElementRegistry.prototype as { getName?: unknown };
    const had = Object.getOwnPropertyDescriptor(proto, 'getName');
    delete proto.getName;
    try {
      class Mine extends FaceSignVerifyElement {}
      Mine.define('acme-verify-a');
      Mine.define('acme-verify-b');
      expect(customElements.get('acme-verify-a')).to.equal(Mine);
      const b = customElements.get('acme-verify-b')!;
      expect(b).not.to.equal(Mine);
      expect(new b()).to.be.instanceOf(Mine);
    } finally {
      if (had) Object.defineProperty(proto, 'getName', had);
    }
  });
});
