/**
 * The sandbox hosted page's camera and microphone: asked for together (the flow is a spoken conversation with a
 * liveness check), and what went wrong named for what it is, with the help the person needs for it. The codes are
 * the ones the element knows by name; `connectToHost` tells an older host `camera_unavailable` instead.
 */
export type CameraCode = 'camera_denied' | 'camera_not_found' | 'camera_in_use' | 'microphone_denied' | 'camera_unavailable';

export interface CameraProblem {
  code: CameraCode;
  /** for the host's error message (a developer reads it) */
  why: string;
  /** for the person: what to do */
  help: string;
  /** asking again can help (after a change in the browser's settings, or the other app closed) */
  askAgain: boolean;
}

/** What asking gave: a stream, a problem, or both (the camera without the microphone). */
export type CameraAnswer = { stream: MediaStream; problem?: CameraProblem } | { stream?: undefined; problem: CameraProblem };

const GO_ON = 'You can continue, but your liveness cannot be confirmed.';

export const PROBLEMS: Record<Exclude<CameraCode, 'camera_unavailable'>, CameraProblem> = {
  camera_denied: {
    code: 'camera_denied',
    why: 'camera permission was denied',
    help: `Camera access is blocked. Allow the camera for this site in your browser’s settings (the icon by the address), then try again. ${GO_ON}`,
    askAgain: true,
  },
  microphone_denied: {
    code: 'microphone_denied',
    why: 'microphone permission was denied (the camera works)',
    help: 'Microphone access is blocked, so answer by typing. To speak, allow the microphone for this site in your browser’s settings, then try again.',
    askAgain: true,
  },
  camera_not_found: {
    code: 'camera_not_found',
    why: 'no camera was found',
    help: `This device has no camera. To confirm your liveness, continue on a phone or another device with a camera. ${GO_ON}`,
    askAgain: false,
  },
  camera_in_use: {
    code: 'camera_in_use',
    why: 'the camera is in use by another app',
    help: `Your camera is in use by another app (a video call, another browser tab). Close it, then try again. ${GO_ON}`,
    askAgain: true,
  },
};

/** Anything else: no camera API, no answer to the prompt, an error with no name of its own. */
export const unavailable = (why: string): CameraProblem => ({
  code: 'camera_unavailable',
  why,
  help: `Camera unavailable: ${why}. ${GO_ON}`,
  askAgain: true,
});

const gum = (constraints: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(constraints);

/**
 * Asks for the camera and the microphone with one prompt. A refusal or a missing device of the pair is told apart
 * by asking for the camera alone: granted, it was the microphone (the page goes on with the camera, answers typed).
 */
export async function askCamera(): Promise<CameraAnswer> {
  try {
    return { stream: await gum({ video: true, audio: true }) };
  } catch (e) {
    const name = (e as DOMException).name;
    if (name === 'NotAllowedError' || name === 'NotFoundError' || name === 'OverconstrainedError') {
      try {
        const stream = await gum({ video: true });
        // the camera alone works: a refused microphone is named; a missing one leaves typed answers, nothing to fix
        return name === 'NotAllowedError' ? { stream, problem: PROBLEMS.microphone_denied } : { stream };
      } catch (again) {
        const second = (again as DOMException).name;
        if (second === 'NotAllowedError') return { problem: PROBLEMS.camera_denied };
        if (second === 'NotFoundError' || second === 'OverconstrainedError') return { problem: PROBLEMS.camera_not_found };
        return { problem: problemOf(second) };
      }
    }
    return { problem: problemOf(name) };
  }
}

/** A device the system could not start (held by another app on most systems) or an aborted start: in use. */
const problemOf = (name: string): CameraProblem =>
  name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError' ? PROBLEMS.camera_in_use : unavailable(name);
