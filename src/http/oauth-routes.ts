import type http from 'node:http';
import type { TokenAuthority } from '../auth/token-authority';
import { JWKS_PATH, METADATA_PATH, TOKEN_PATH } from '../auth/oauth-protocol';
import { OAuthError, OAuthErrorCode } from '../auth/oauth-error';
import { BodyTooLargeError, readBody } from './read-body';
import type { HubRoute } from './hub-server';

/** Largest token request accepted (bytes): a form with one assertion of a few hundred bytes. */
export const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

/** Answers one of the OAuth routes, or returns false when the path is not one. */

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The parameters of a form-encoded token request, or an `invalid_request`. */
async function formOf(req: http.IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(OAuthErrorCode.INVALID_REQUEST, 'send the parameters as application/x-www-form-urlencoded (RFC 6749 section 4.4.2)');
  }
  return new URLSearchParams(await readBody(req, MAX_TOKEN_REQUEST_BYTES));
}

/**
 * The hub's OAuth routes: `POST /oauth/token` (answers never cached, RFC 6749 §5.1), its keys at
 * `/.well-known/jwks.json` and its metadata at `/.well-known/oauth-authorization-server`. A refused
 * token request is counted for the audit like a refused bearer token (`onRefused`, per source
 * address and reason), so a flood of bad assertions cannot grow the chain by an event each.
 */
export function oauthRoutes(authority: TokenAuthority, onRefused: (reason: string, source: string) => void): HubRoute {
  return async (req, res, { pathname }) => {
    if (pathname === JWKS_PATH || pathname === METADATA_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      } else {
        send(res, 200, pathname === JWKS_PATH ? authority.jwks() : authority.metadata(), { 'cache-control': 'public, max-age=300' });
      }
      return true;
    }
    if (pathname !== TOKEN_PATH) return false;
    const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
    try {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new OAuthError(OAuthErrorCode.INVALID_REQUEST, 'token requests are POSTed');
      }
      const answer = await authority.token(await formOf(req), req.headers.authorization);
      send(res, 200, answer, noStore);
    } catch (thrown) {
      let error = thrown;
      let status: number | null = null;
      if (error instanceof BodyTooLargeError) {
        // The rest of the body is drained, not read: the connection is not reused after it.
        res.setHeader('connection', 'close');
        error = new OAuthError(OAuthErrorCode.INVALID_REQUEST, `the request exceeds ${MAX_TOKEN_REQUEST_BYTES} bytes`);
        status = 413;
      }
      if (!(error instanceof OAuthError)) throw error;
      onRefused(`token-endpoint:${error.code}${error.reason ? `:${error.reason}` : ''}`, req.socket.remoteAddress ?? 'unknown');
      status ??= req.method !== 'POST' ? 405 : error.status;
      // A client that failed to authenticate is told how to (RFC 6749 §5.2).
      if (error.code === OAuthErrorCode.INVALID_CLIENT) res.setHeader('www-authenticate', `Bearer realm="xietong", error="${error.code}"`);
      send(res, status, error.toJSON(), noStore);
    }
    return true;
  };
}
