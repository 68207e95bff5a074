/**
 * An error nobody handles is silent for the developer: the person sees a cover and the console is empty. So the
 * development build says so, once per code, when a `facesign-error` was dispatched and no listener read its
 * detail, wherever it listens (the element, the document, a framework's event prop). Production stays silent.
 */
import { emit, type FaceSignEventDetail } from './events.js';
import { warnOnce } from './warn-once.js';

type ErrorDetail = FaceSignEventDetail<'facesign-error'>;

/** Dispatches `facesign-error` from `target`; in the development build, says so when no listener read it. */
export function emitError(target: EventTarget, detail: ErrorDetail): void {
  if (!__FACESIGN_DEV__) return void emit(target, 'facesign-error', detail);
  let read = false;
  emit(target, 'facesign-error', detail, false, () => (read = true));
  if (!read)
    warnOnce(
      `unheard:${detail.code}`,
      `facesign-error "${detail.code}" reached no listener: ${detail.message}. Listen for facesign-error to show or log it (docs/errors.md says what each code means)`,
    );
}
