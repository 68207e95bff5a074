/** `@facesign/verify/frame`: the hosted verify page's end of the channel. */
export * from './frame/connect.js';
