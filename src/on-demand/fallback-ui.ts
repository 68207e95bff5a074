/** What a session needs once the frame cannot verify: the popup surface and the covers offering a path. */
export { PopupSurface } from '../surfaces/popup.js';
export { renderOffer } from '../element/offer-covers.js';
