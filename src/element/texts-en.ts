/** The element's own texts in English, which also give every text its key; other languages: strings.ts. */
export const EN = {
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
  cantHere: 'Your camera can’t be used on this page.',
  popup: 'Continue in a new window',
  popupOpen: 'Continue in the window that opened.',
  showPopup: 'Show the window',
  redirect: 'Continue',
  inApp: 'This app’s browser can’t use your camera. Open this page in your browser.',
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
