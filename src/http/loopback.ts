import type http from 'node:http';

/**
 * Headers a proxy adds when it relays a request. A reverse proxy on this machine connects from
 * the loopback address for every client it serves, so a request carrying one of them did not
 * start here, whatever its socket says.
 */
const RELAYED_BY_PROXY = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'];

/** Whether the request comes from this machine (IPv4, IPv6, or IPv4 mapped into IPv6) and was not relayed by a proxy. */
export function isLoopback(req: http.IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  const local = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  return local && !RELAYED_BY_PROXY.some((header) => req.headers[header] !== undefined);
}
