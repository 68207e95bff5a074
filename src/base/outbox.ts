/**
 * The events of one element, delivered in the order they happened. A notice posted while another is being
 * dispatched (a listener of the terminal event that closes the element, a listener of `facesign-ready` that
 * cancels) is dispatched after it, so every listener of an event has seen it before anything it caused: the
 * way an event loop delivers its tasks. Questions (cancelable events: the caller needs the answer) are
 * dispatched at once.
 */
import { emit, type FaceSignEventDetail, type FaceSignEventName } from './events.js';
import { emitError } from './unheard.js';

export type Notice = { [K in FaceSignEventName]: [K, FaceSignEventDetail<K>] }[FaceSignEventName];

export class Outbox {
  readonly #target: EventTarget;
  /** the notice being dispatched stays first until it is done */
  readonly #queue: Notice[] = [];

  constructor(target: EventTarget) {
    this.#target = target;
  }

  /** Dispatches `notice` now, or after the one being dispatched (and those queued before it). */
  post(...notices: Notice[]): void {
    for (const n of notices) {
      if (this.#queue.push(n) > 1) continue;
      while (this.#queue.length) {
        const [name, detail] = this.#queue[0]!;
        try {
          if (name === 'facesign-error') emitError(this.#target, detail);
          else emit(this.#target, name, detail as never);
        } finally {
          this.#queue.shift();
        }
      }
    }
  }

  /** A cancelable event, dispatched now: false when a listener called preventDefault(). */
  ask<K extends FaceSignEventName>(name: K, detail: FaceSignEventDetail<K>): boolean {
    return emit(this.#target, name, detail, true);
  }
}
