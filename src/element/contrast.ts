/**
 * Readable colours, whatever a merchant sets: the WCAG contrast of two CSS colours, the text colour that reads
 * best on a background, and the appearance applied to the element's box and dialog with those picked where the
 * merchant gave a background or an accent without the colour on it. The development build warns when a pair the
 * merchant gave reads under 4.5:1 (WCAG AA for text).
 */
import { CSS_PROPERTY, type FaceSignAppearance } from './appearance.js';
import { warnOnce } from '../base/warn-once.js';

type RGB = readonly [number, number, number];
let ctx: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour the engine knows (hex, rgb(), oklch(), a name) as sRGB, drawn once on a 1 px canvas. */
export function rgbOf(colour: string): RGB | undefined {
  ctx ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!ctx) return undefined;
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = '#000';
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!];
}

const luminance = (c: RGB) => {
  const [r, g, b] = c.map((v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrast(a: RGB, b: RGB): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

const DARK: RGB = [16, 19, 26];
const LIGHT: RGB = [255, 255, 255];
/** The text colour that reads best on `bg`: near-black or white. */
export const readableOn = (bg: RGB): string => (contrast(DARK, bg) >= contrast(LIGHT, bg) ? 'rgb(16 19 26)' : '#fff');

/**
 * The appearance the hosted page is handed: a background or an accent given without the colour on it gets the
 * readable one picked here, so a page that applies it needs no contrast arithmetic of its own.
 */
export function withReadable(a: FaceSignAppearance | undefined): FaceSignAppearance | undefined {
  if (!a || typeof document === 'undefined') return a;
  const pick = (bg: string | undefined) => (bg ? rgbOf(bg) : undefined);
  const bg = !a.text && pick(a.background);
  const accent = !a.onAccent && pick(a.accent);
  return { ...a, ...(bg && { text: readableOn(bg) }), ...(accent && { onAccent: readableOn(accent) }) };
}

/** The pairs a screen draws text with: [the text's property, the background's, what the warning calls them]. */
const PAIRS = [
  ['--facesign-text', '--facesign-background', '--_fg-auto', 'text on background'],
  ['--facesign-on-accent', '--facesign-accent', '--_on-auto', 'onAccent on accent'],
] as const;

/**
 * Sets the appearance's custom properties on `el` (the box, or the dialog), over the page's own `--facesign-*`;
 * then, for each pair whose background is set (either way) and whose text is not, the readable text colour.
 */
export function applyAppearance(el: HTMLElement, a: FaceSignAppearance | undefined): void {
  const style = el.style;
  for (const [k, prop] of Object.entries(CSS_PROPERTY)) {
    const v = a?.[k as keyof typeof CSS_PROPERTY];
    if (v === undefined) style.removeProperty(prop);
    else style.setProperty(prop, String(v));
  }
  const cs = getComputedStyle(el);
  for (const [fgProp, bgProp, auto, name] of PAIRS) {
    const fg = cs.getPropertyValue(fgProp).trim();
    const bg = cs.getPropertyValue(bgProp).trim();
    const bgRgb = bg ? rgbOf(bg) : undefined;
    if (bgRgb && !fg) style.setProperty(auto, readableOn(bgRgb));
    else style.removeProperty(auto);
    if (__FACESIGN_DEV__ && bgRgb && fg) {
      const fgRgb = rgbOf(fg);
      const ratio = fgRgb && contrast(fgRgb, bgRgb);
      if (ratio && ratio < 4.5)
        warnOnce(
          `contrast:${fg}:${bg}`,
          `${name} (${fg} on ${bg}) reads at ${ratio.toFixed(1)}:1, under the 4.5:1 text needs (WCAG AA): pick another colour, or leave the text colour unset and the element picks a readable one`,
        );
    }
  }
}

/** what each box or dialog last wore: the `appearance` value it was applied from */
const worn = new WeakMap<HTMLElement, unknown>();

/**
 * applyAppearance on each box that is new or whose element's `appearance` was set since: reading the page's
 * colours (getComputedStyle) costs a style recalculation, ~0.45 ms per render measured, and a render that changes
 * nothing the appearance depends on (a screen, a title) needs none. `given` is the property's own value, so setting
 * it again, even to an equal object, reads the page's colours again (after the page changed its --facesign-*).
 */
export function wear(boxes: Iterable<HTMLElement>, given: unknown, a: () => FaceSignAppearance | undefined): void {
  for (const el of boxes) {
    if (worn.has(el) && worn.get(el) === given) continue;
    worn.set(el, given);
    applyAppearance(el, a());
  }
}
