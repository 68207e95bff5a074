/** A random id for one channel; getRandomValues also works outside secure contexts. */
export const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
