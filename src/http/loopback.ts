import type http from 'node:http';

/** Whether the request comes from this machine (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopback(req: http.IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
