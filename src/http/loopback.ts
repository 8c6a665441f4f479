import type http from 'node:http';

/**
 * Headers a proxy adds when it relays a request. A reverse proxy on this machine connects from
 * the loopback address for every client it serves, so a request carrying one of them did not
 * start here, whatever its socket says.
 */
const RELAYED_BY_PROXY = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'];

/**
 * A page on another site can make the browser send to this machine under a name it controls (DNS
 * rebinding): the request is local, but its `Host` is that name. Only local names are local.
 */
const LOCAL_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/i;

/** Whether the request comes from this machine (IPv4, IPv6, or IPv4 mapped into IPv6), to a local name, and was not relayed by a proxy. */
export function isLoopback(req: http.IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  const local = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  return local && LOCAL_HOST.test(req.headers.host ?? '') && !RELAYED_BY_PROXY.some((header) => req.headers[header] !== undefined);
}
