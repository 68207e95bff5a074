/** The element's own texts (the hosted page has its own). */
export const STRINGS = {
  frameTitle: 'FaceSign identity verification',
  loading: 'Loading verification…',
  stalled: 'The verification session could not be renewed.',
  error: 'Verification could not continue.',
  unusable: 'This verification can’t be continued. Go back to the page you came from and start again.',
  canceled: 'Verification was closed.',
  complete: 'Verification complete.',
  tryAgain: 'Try again',
  startAgain: 'Start again',
  dialog: 'Identity verification',
  close: 'Close verification',
};
export type FaceSignStrings = typeof STRINGS;
