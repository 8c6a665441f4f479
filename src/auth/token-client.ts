import http from 'node:http';
import https from 'node:https';
import { CLIENT_CREDENTIALS, JWT_BEARER_ASSERTION, type TokenResponse } from './oauth-protocol';

/** The token endpoint refused the request: its RFC 6749 error and description. */
export class TokenRequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'TokenRequestRefused';
  }
}

/**
 * Asks the hub's token endpoint for an access token as a client would (client credentials,
 * authenticated by `clientAssertion`), for `scope` (e.g. `role:officer division:3205`).
 */
export async function requestAccessToken(tokenEndpoint: string, clientAssertion: string, scope: string): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: CLIENT_CREDENTIALS, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: clientAssertion, scope });
  const response = await postForm(new URL(tokenEndpoint), form.toString());
  const text = response.text;
  let body: Partial<TokenResponse> & { error?: string; error_description?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not the hub's JSON (a proxy's page): reported by status below.
  }
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new TokenRequestRefused(response.status, body.error ?? `HTTP ${response.status}`, body.error_description ?? text.slice(0, 200));
  }
  return body as TokenResponse;
}

/**
 * One form POST with node's http client rather than `fetch`: undici's first request costs more
 * than the rest of `xietong token` together.
 */
function postForm(url: URL, form: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'content-length': Buffer.byteLength(form) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(form);
  });
}
