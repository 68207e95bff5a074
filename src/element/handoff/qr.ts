/**
 * The QR code of the phone's link, drawn as one SVG path: no canvas, nothing a strict CSP or Trusted Types refuses.
 * Encoded by lean-qr's `nano` build (about 2 kB min+gzip, maintained, no dependencies): the smallest of the
 * well-kept encoders (qrcode-generator 11 kB, uqr 8 kB, qr 12.6 kB), and still a library rather than our own.
 * Dark on light whatever the element's colours: phone cameras read that best.
 */
import { svg, type TemplateResult } from 'lit';
import { generate } from 'lean-qr/nano';

/** the light margin around the code, in modules: scanners need four */
const QUIET = 4;

export function qrCode(text: string, label: string): TemplateResult {
  const code = generate(text);
  let d = '';
  for (let y = 0; y < code.size; y++) for (let x = 0; x < code.size; x++) if (code.get(x, y)) d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
  const n = code.size + 2 * QUIET;
  return svg`<svg part="qr" class="qr" role="img" aria-label=${label} viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges"><rect width=${n} height=${n} fill="#fff"/><path d=${d} fill="#000"/></svg>`;
}
