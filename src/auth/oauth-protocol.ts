/** The OAuth 2.0 vocabulary the hub and its clients share. */

/** The one grant the hub supports: a client acting for its agency (RFC 6749 §4.4). */
export const CLIENT_CREDENTIALS = 'client_credentials';

/** `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2). */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Where the hub serves its token endpoint, keys and metadata, under its issuer. */
export const TOKEN_PATH = '/oauth/token';
export const JWKS_PATH = '/.well-known/jwks.json';
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

/** The successful answer of the token endpoint (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}
