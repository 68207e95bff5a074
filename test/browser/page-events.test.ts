/**
 * The page's shared event listeners (src/base/page-events.ts): one window listener per event for every element,
 * each subscriber called in it until its signal aborts, and one subscriber that throws neither stops the others
 * nor goes unreported.
 */
import { expect } from '@open-wc/testing';
import { onPageEvent } from '../../src/base/page-events.js';

describe('page events: one shared listener, each subscriber on its own', () => {
  it('a subscriber that throws is reported as an error, and the ones after it still run', async () => {
    const reported: unknown[] = [];
    // in place of the test framework's own handler (window.onerror), which would fail the test
    const framework = window.onerror;
    window.onerror = (_message, _file, _line, _column, error) => (reported.push(error), true);
    const life = new AbortController();
    const calls: string[] = [];
    try {
      onPageEvent('online', () => (calls.push('first'), undefined), life.signal);
      onPageEvent(
        'online',
        () => {
          calls.push('throws');
          throw new Error('a broken subscriber');
        },
        life.signal,
      );
      onPageEvent('online', () => void calls.push('last'), life.signal);
      window.dispatchEvent(new Event('online'));
      expect(calls).to.deep.equal(['first', 'throws', 'last']);
      expect(reported.map((e) => (e as Error).message)).to.deep.equal(['a broken subscriber']);
    } finally {
      life.abort();
      window.onerror = framework;
    }
  });

  it('a subscriber whose signal aborted is not called, even when it aborted during the same event', async () => {
    const calls: string[] = [];
    const a = new AbortController();
    const b = new AbortController();
    // the first ends the second's subscription while the event is delivered: the second is not called
    onPageEvent('online', () => (calls.push('a'), b.abort()), a.signal);
    onPageEvent('online', () => void calls.push('b'), b.signal);
    window.dispatchEvent(new Event('online'));
    a.abort();
    window.dispatchEvent(new Event('online'));
    expect(calls).to.deep.equal(['a']);
  });
});
