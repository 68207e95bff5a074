/**
 * Ends one of our own lifetimes (a connection, a session, a surface). `abort()` without a reason makes an
 * AbortError DOMException as the signal's reason, and V8 keeps an error's stack frames, their receivers
 * included, until its `stack` is read: the signal of an ended session then kept the FrameSurface that was
 * `this` in the frame that aborted, and with it the closed iframe, for as long as the session was the element's
 * last one (a heap snapshot's retainers, issue 21). A plain reason holds nothing. Nothing of ours reads the reason;
 * signals handed to a merchant's code (fetchClientSecret's) keep the standard AbortError.
 */
export const end = (ctl: AbortController): void => ctl.abort('ended');
