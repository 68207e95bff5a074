/** `@facesign/verify/frame`: the hosted verify page's end of the channel. */
export * from './frame/connect.js';
/** The tag a redirect's return carries as `fs_key` (docs/protocol.md §4a): never the secret itself. */
export { secretKey } from './base/secret-key.js';
