/**
 * The element's own texts in English, which also give every text its key; other languages: strings.ts. Each screen
 * has a title and a body of at most two lines (about 90 characters), written to be read by anyone, not a developer.
 */
export const EN = {
  frameTitle: 'FaceSign identity verification',
  loading: 'Loading verification…',
  stalledTitle: 'Verification paused',
  stalled: 'We couldn’t keep your session open. Check your connection, then try again.',
  errorTitle: 'Something went wrong',
  error: 'Verification couldn’t continue. Please try again.',
  unusableTitle: 'This verification can’t continue',
  unusable: 'Start again from this site, or contact support with the reference below.',
  canceled: 'Verification closed',
  canceledBody: 'You can start again whenever you’re ready.',
  complete: 'Verification complete',
  completeBody: 'Thank you. The site that asked for this will tell you what happens next.',
  done: 'Done',
  tryAgain: 'Try again',
  startAgain: 'Start again',
  cancel: 'Cancel',
  dialog: 'Identity verification',
  close: 'Close verification',
  reference: 'Reference',
  unreachableTitle: 'FaceSign can’t be reached',
  unreachable: 'Check your internet connection, then try again.',
  offerTitle: 'Continue your verification',
  cantHere: 'Your camera can’t be used on this page.',
  popup: 'Continue in a new window',
  popupOpenTitle: 'Continue in the other window',
  popupOpen: 'Verification is open in a new window. Come back here when you’ve finished.',
  showPopup: 'Show the window',
  redirect: 'Continue',
  inAppTitle: 'Open this page in your browser',
  inApp: 'This app’s browser can’t use your camera. Copy the link into your usual browser.',
  copy: 'Copy link',
  copied: 'Link copied',
  openBrowser: 'Open in browser',
  frameBlocked: 'This verification can’t be shown on this page.',
  pageLost: 'The verification page stopped responding.',
  popupBlocked: 'The verification window couldn’t be opened.',
  insecure: 'This page’s connection isn’t secure, so your camera can’t be used here.',
};
export type FaceSignStrings = typeof EN;
/** `strings`: texts by language code (`en`, `es-MX`, …), each replacing some or all of the built-in ones. */
export type FaceSignStringsByLang = Record<string, Partial<FaceSignStrings>>;
