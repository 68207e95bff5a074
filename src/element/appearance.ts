/**
 * `appearance`: the merchant's brand, stated once. The element's own screens wear it (contrast.ts applies it),
 * and it is handed to the hosted page in `init` when its hello lists the `appearance` capability, so the flow
 * inside wears it too. Named after Stripe's Appearance API variables (`colorPrimary` → `accent`, `colorText` →
 * `text`, …) without the theme and rules layers: the element has a handful of screens, not a form.
 */
import { FaceSignError } from '../protocol/errors.js';
import { kind } from '../base/client-secret.js';

export type FaceSignColorScheme = 'light' | 'dark' | 'system';

export interface FaceSignAppearance {
  /** `light` (default), `dark`, or `system` (follows the person's setting: `prefers-color-scheme`) */
  colorScheme?: FaceSignColorScheme;
  /** the primary button and the marks; any CSS colour */
  accent?: string;
  /** text on the accent; picked for readability when not given */
  onAccent?: string;
  /** text on the background; picked for readability when a background is given without it */
  text?: string;
  background?: string;
  /** corner radius: px as a number, or a CSS length */
  radius?: number | string;
  /** a CSS font-family list */
  font?: string;
}

export const SCHEMES: readonly FaceSignColorScheme[] = ['light', 'dark', 'system'];
const COLOURS = ['accent', 'onAccent', 'text', 'background'] as const;
const KEYS = ['colorScheme', ...COLOURS, 'radius', 'font'];

const bad = (what: string): never => {
  throw new FaceSignError('invalid_option', `appearance${what}`);
};
const shown = (v: unknown) => (typeof v === 'string' ? `"${v.slice(0, 40)}"` : kind(v));
/** CSS.supports where there is CSS (a browser); elsewhere (SSR) a plain string is taken */
const supports = (prop: string, v: string) => typeof CSS === 'undefined' || CSS.supports(prop, v);

/**
 * The appearance, checked: undefined for none; throws `invalid_option` naming the field and what it expects. A
 * copy of plain values: a getter or a Proxy is read once, here.
 */
export function checkAppearance(v: unknown): FaceSignAppearance | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return bad(` must be an object such as { colorScheme: 'dark', accent: '#0a7c72' }, got ${kind(v)}`);
  let a: Record<string, unknown>;
  try {
    a = Object.fromEntries(Object.entries(v));
  } catch {
    return bad(' could not be read: pass a plain object');
  }
  const unknown = Object.keys(a).find((k) => !KEYS.includes(k));
  if (unknown) bad(` has no field "${unknown.slice(0, 40)}": use ${KEYS.join(', ')}`);
  const out: FaceSignAppearance = {};
  const s = a.colorScheme;
  if (s !== undefined)
    out.colorScheme = SCHEMES.includes(s as FaceSignColorScheme)
      ? (s as FaceSignColorScheme)
      : bad(`.colorScheme must be one of ${SCHEMES.join(', ')}, got ${shown(s)}`);
  for (const k of COLOURS) {
    const c = a[k];
    if (c === undefined) continue;
    if (typeof c !== 'string' || !supports('color', c) || c.length > 100) bad(`.${k} must be a CSS colour such as "#0a7c72", got ${shown(c)}`);
    out[k] = c as string;
  }
  const r = a.radius;
  if (r !== undefined) {
    const css =
      typeof r === 'number' && r >= 0 && r <= 64 ? `${r}px` : typeof r === 'string' && r.length <= 40 && supports('border-radius', r) ? r : undefined;
    out.radius = css ?? bad(`.radius must be a number of px from 0 to 64 or a CSS length, got ${shown(r)}`);
  }
  const f = a.font;
  if (f !== undefined) {
    // one declaration's value: nothing that could end it or open another
    if (typeof f !== 'string' || !f.trim() || f.length > 200 || /[;{}<>\\]/.test(f))
      bad(`.font must be a CSS font-family list such as "Inter, sans-serif", got ${shown(f)}`);
    out.font = f as string;
  }
  return out;
}

/** The custom property each field sets on the element's box and dialog. */
export const CSS_PROPERTY: Record<Exclude<keyof FaceSignAppearance, 'colorScheme'>, string> = {
  accent: '--facesign-accent',
  onAccent: '--facesign-on-accent',
  text: '--facesign-text',
  background: '--facesign-background',
  radius: '--facesign-radius',
  font: '--facesign-font',
};

/** The appearance as far as it is valid, for drawing: a bad one is reported by the session's start (invalid_option). */
export function lookOf(v: unknown): FaceSignAppearance {
  try {
    return checkAppearance(v) ?? {};
  } catch {
    return {};
  }
}

/** The checked appearance as the hosted page gets it in `init`; undefined when there is nothing to say. */
export const appearanceJson = (a: FaceSignAppearance | undefined): string | undefined => (a && Object.keys(a).length ? JSON.stringify(a) : undefined);
