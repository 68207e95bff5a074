/**
 * Locks page scrolling while a modal is open and puts back the page's exact inline styles afterwards.
 * Reference-counted, so two open modals need two releases; each release function works once.
 * Only CSSOM is used (no style attribute writes), which a strict CSP allows.
 */
let count = 0;
let restore: (() => void) | undefined;

function override(el: HTMLElement, prop: string, value: string): () => void {
  const had = el.hasAttribute('style');
  const old = el.style.getPropertyValue(prop);
  const priority = el.style.getPropertyPriority(prop);
  el.style.setProperty(prop, value, 'important');
  return () => {
    if (old) el.style.setProperty(prop, old, priority);
    else el.style.removeProperty(prop);
    // Reading the attribute (not style.length) makes Chrome serialize the inline style now; otherwise its lazy
    // serialization can put back an empty style="" after removeAttribute.
    if (!had && el.getAttribute('style') === '') el.removeAttribute('style');
  };
}

export function lockScroll(): () => void {
  if (count++ === 0) {
    const { documentElement: html, body } = document;
    // keep the layout from shifting when the scrollbar disappears
    const gap = innerWidth - html.clientWidth;
    const undo = [
      override(html, 'overflow', 'hidden'),
      gap > 0 && override(body, 'padding-right', `calc(${getComputedStyle(body).paddingRight} + ${gap}px)`),
    ];
    restore = () => undo.forEach((f) => f && f());
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--count === 0) restore!();
  };
}
