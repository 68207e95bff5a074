// The simulator's error answer: the seeds' `{ error: { type, message } }`, with an HTTP status, headers, and a finer
// `code` where a caller must tell reasons apart (the client API's secret refusals, the test helpers' live key).
export class ApiError extends Error {
  constructor(status, type, message, headers = {}, code) {
    super(message);
    Object.assign(this, { status, type, headers, code });
  }
}
