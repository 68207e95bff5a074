/** What a session needs once the frame cannot verify: the popup, and the covers offering a path. */
export { openPopup } from '../../surfaces/popup.js';
export { renderOffer } from '../offer-covers.js';
