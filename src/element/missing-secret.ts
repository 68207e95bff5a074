/**
 * An element with nothing to start from (no clientSecret, or an empty one, and no fetchClientSecret) waits: the
 * declarative case, markup first and the secret later. Until then its box is empty, which in development looks
 * like a broken embed, so the development build says in the box and once in the console what to set. Production
 * keeps the empty box (its place on the page, no layout shift when the secret comes) and no words: the person
 * verifying must never read developer talk.
 */
import { html, type TemplateResult } from 'lit';
import { mark } from './marks.js';
import { warnOnce } from '../base/warn-once.js';

/** README's section on giving the element its secret (npm renders README; the anchor is the section's). */
const GUIDE = 'https://www.npmjs.com/package/@facesign/verify#the-element';

/** No secret to start from: the session controller starts nothing, and the box stays empty. */
export const lacksSecret = (el: { clientSecret?: unknown; fetchClientSecret?: unknown }): boolean =>
  (el.clientSecret === undefined || el.clientSecret === null || el.clientSecret === '') && el.fetchClientSecret == null;

/** The development build's console line, once per page. */
export function warnMissingSecret(): void {
  warnOnce(
    'no-secret',
    `<facesign-verify> has no client secret, so it waits, empty: set its clientSecret property to the client secret your server got from FaceSign (POST /sessions), or set fetchClientSecret (README, "The element": ${GUIDE})`,
  );
}

/** The development build's words in the box of an element without a secret; undefined when it has one, and in production. */
export const missingSecretHint = (el: { clientSecret?: unknown; fetchClientSecret?: unknown }): TemplateResult | undefined =>
  __FACESIGN_DEV__ && lacksSecret(el)
    ? html`<div class="cover no-secret" role="note">
        <div class="panel" dir="ltr" lang="en">
          ${mark('info')}
          <p class="title">No client secret yet</p>
          <p class="body">
            Set this element's <code>clientSecret</code> property to the client secret your server got from FaceSign
            (<code>POST /sessions</code>), or set <code>fetchClientSecret</code>.
          </p>
          <p class="ref"><a href=${GUIDE} target="_blank" rel="noopener">README: The element</a> · development build only</p>
        </div>
      </div>`
    : undefined;
