/**
 * The redirect: the tab itself goes to the hosted page and comes back to a return URL with the outcome
 * (redirect-return.ts reads it there). Loaded on demand in the ESM build: only a session that redirects needs it.
 *
 * The secret goes in the body of a top-level form POST, never in a URL: a URL the tab navigates to stays in the
 * hosted page's navigation timing entry (`performance.getEntriesByType('navigation')[0].name`) whatever that page
 * does to its address bar, where any script on it (analytics, error tracking) can read and report it.
 */
import { PARAM } from '../protocol/messages.js';
import { FaceSignError } from '../protocol/errors.js';
import { randomId } from '../base/ids.js';
import { RESULT, cleanUrl, readPending, writePending } from './redirect-return.js';

/** Stores a new state for a session about to leave (its secret keys, its id when known); returns the state. */
export function rememberRedirect(keys: string[], sessionId?: string): string {
  const state = randomId();
  writePending({ ...readPending(), [state]: { keys, sessionId, at: Date.now() } });
  return state;
}

/** What the hosted page is launched with: its address (no secret, no way back) and the form's fields. */
export function launch(base: string, secret: string, returnUrl: string, state: string): { action: string; fields: Record<string, string> } {
  const back = cleanUrl(returnUrl);
  back.searchParams.set(RESULT.state, state);
  const url = new URL(base);
  url.hash = '';
  // no channel: a top-level page has no host window to say hello to
  for (const p of [PARAM.channel, PARAM.version, PARAM.origin, 'client_secret']) url.searchParams.delete(p);
  // the names of the API's own `clientSecret.url` parameters, in the body
  return { action: url.href, fields: { client_secret: secret, return_url: back.href } };
}

/** How the tab leaves: where, with which secret, back to where, and for which session (its keys, its id when known). */
export interface Departure {
  base: string;
  secret: string;
  returnUrl: string;
  keys: string[];
  sessionId?: string;
}

/**
 * Leaves for the hosted page with a top-level form POST carrying the secret and the way back. Not a surface: the
 * tab itself goes, and nothing of it is left here to watch or close. `blocked`: this page's CSP refused the
 * form (`form-action`), so the tab stays; `signal` ends the wait for that.
 */
export function leaveForHostedPage(d: Departure, blocked: (e: FaceSignError) => void, signal: AbortSignal): void {
  const { action, fields } = launch(d.base, d.secret, d.returnUrl, rememberRedirect(d.keys, d.sessionId));
  const origin = new URL(action).origin;
  let told = false;
  const refused = () => {
    if (told) return;
    told = true;
    blocked(
      new FaceSignError(
        'redirect_blocked',
        `this page's Content-Security-Policy form-action does not allow ${origin}${__FACESIGN_DEV__ ? `: add it (form-action 'self' ${origin}), the redirect posts the client secret to the hosted page so that it is in no URL` : ''}`,
        true,
      ),
    );
  };
  document.addEventListener('securitypolicyviolation', (e) => e.effectiveDirective === 'form-action' && refused(), { signal });
  const form = document.createElement('form');
  Object.assign(form, { method: 'post', action, target: '_self', hidden: true });
  // text fields set by property: their values are state, never an attribute a recorder of the DOM could copy
  const inputs = Object.entries(fields).map(([name, value]) => Object.assign(document.createElement('input'), { name, value }));
  form.append(...inputs);
  (document.body ?? document.documentElement).append(form);
  try {
    form.submit();
  } catch {
    // Firefox throws where the CSP refuses the form (and reports the violation as well)
    refused();
  } finally {
    // the submission took its values: nothing of them stays in the page
    for (const input of inputs) input.value = '';
    form.remove();
  }
}
