/** PostgreSQL's codes for a server shutting down, starting up or refusing connections (classes 57P and 08). */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** Whether `error` says the database could not be reached (or no connection freed in time), rather than that a statement failed. */
export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  // pg-pool's wait for a connection and pg's lost connections carry no code, only these messages.
  return typeof message === 'string' && /^(timeout exceeded when trying to connect|Connection terminated)/.test(message);
}
