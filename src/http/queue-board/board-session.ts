import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/** The cookie that carries the access token the dashboard was signed in with. */
export const SESSION_COOKIE = 'xietong_queue_board';
/**
 * The cookie and header of the dashboard's CSRF token: the names Bull Board's UI (axios) reads
 * and sends on its own, so its action requests carry the token without a change to the UI.
 */
export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_HEADER = 'x-xsrf-token';

/** What an access token looks like (a compact JWS); anything else is not worth verifying. */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The CSRF token of a session: a digest of its access token, which only the browser holding the
 * HttpOnly session cookie and the page it was served can know. Derived, not stored, so any hub
 * instance behind the same address checks it.
 */
export const csrfTokenOf = (accessToken: string) => createHash('sha256').update('xietong queue board csrf\0').update(accessToken).digest('base64url');

function cookiesOf(req: http.IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
}

/** The access token of the request's session cookie, or null. */
export function sessionTokenOf(req: http.IncomingMessage): string | null {
  const token = cookiesOf(req).get(SESSION_COOKIE);
  return token && COMPACT_JWT.test(token) ? token : null;
}

/** Whether `text` is shaped like an access token. */
export const isCompactJwt = (text: string) => COMPACT_JWT.test(text);

/** Whether a session request carries its CSRF token in the header (constant time). */
export function carriesCsrfToken(req: http.IncomingMessage, accessToken: string): boolean {
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenOf(accessToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether a browser sent the request from the hub's own pages: `Sec-Fetch-Site` (where the
 * browser sends it) is same-origin or a navigation the person typed, and `Origin` (where sent)
 * names this host. A client that is not a browser sends neither.
 */
export function fromOwnPages(req: http.IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export interface CookieScope {
  path: string;
  /** Sent over HTTPS only: where the hub's public address is HTTPS. */
  secure: boolean;
}

function cookie(name: string, value: string, maxAgeSeconds: number, scope: CookieScope, httpOnly: boolean): string {
  return [
    `${name}=${value}`,
    `Path=${scope.path}`,
    `Max-Age=${maxAgeSeconds}`,
    ...(httpOnly ? ['HttpOnly'] : []),
    'SameSite=Strict',
    ...(scope.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * The session's cookies: the access token (HttpOnly: no script reads it) and its CSRF token
 * (readable by the page, which echoes it), both only sent to the dashboard's own paths, never
 * from another site, and gone when the token expires.
 */
export function sessionCookies(accessToken: string, maxAgeSeconds: number, scope: CookieScope): string[] {
  return [cookie(SESSION_COOKIE, accessToken, maxAgeSeconds, scope, true), cookie(CSRF_COOKIE, csrfTokenOf(accessToken), maxAgeSeconds, scope, false)];
}

/** Cookies that end the session. */
export function clearedCookies(scope: CookieScope): string[] {
  return [cookie(SESSION_COOKIE, '', 0, scope, true), cookie(CSRF_COOKIE, '', 0, scope, false)];
}
