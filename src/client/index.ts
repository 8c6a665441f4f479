/**
 * The hub's typed client: access tokens from the token endpoint (client credentials with a
 * `private_key_jwt` assertion), typed operations (`./generated`, compiled from
 * `schema/operations`) and a pager over Relay connections. It reaches the hub over HTTP only.
 */
export { AccessTokens, privateKeyJwt, type ClientAssertion } from './access-token';
export { ClientError, ClientErrorCode, type HubGraphQLError } from './client-error';
export { connectionPages, type Connection, type Page } from './connection-pages';
export { HubClient, type HubResponse, type RequestDeclaration, type TokenSource } from './hub-client';
