/**
 * Continuing on the person's phone: the `crossDevice` setting, and whether this browser is a computer. Its surface
 * (the relay, a hidden frame on the computer) is handoff-relay.ts, which comes with the handoff's UI, on demand.
 */

/** The `crossDevice` setting: `auto` offers the phone where this device cannot verify; `force` also on every computer. */
export type FaceSignCrossDevice = 'auto' | 'off' | 'force';
export const CROSS_DEVICES: readonly FaceSignCrossDevice[] = ['auto', 'off', 'force'];

/**
 * A computer, as far as the browser tells: no mobile token in the user agent, and no touch screen as its main
 * pointer (an iPad's Safari says it is a Mac). A tablet or a phone is no computer, so `force` never offers a phone
 * to a phone. (Not "a fine pointer": a computer without a mouse, or a headless one, has none.)
 */
export const onComputer = (ua = navigator.userAgent): boolean =>
  !/Mobi|Android|iPhone|iPad|iPod/i.test(ua) && !globalThis.matchMedia?.('(pointer: coarse)').matches;
