import type { AgencyRegistry } from './agencies';
import { AuthenticationError, AuthFailure } from './authentication-error';
import { MAX_ASSERTION_LIFETIME_SECONDS, type AuthenticatedClient, type ClientAssertionVerifier } from './client-assertion';
import type { HubTokenSigner, IssuedToken } from './hub-access-tokens';
import { OAuthError, OAuthErrorCode } from './oauth-error';
import { CLIENT_CREDENTIALS, JWT_BEARER_ASSERTION, type TokenResponse } from './oauth-protocol';
import { parseScope, type TokenScope } from './token-scope';
import { ALLOWED_ALGORITHMS } from './trust-config';

/** What a refused client assertion was, for its developer; `%s` is the detail jose gave, when any. */
const ASSERTION_PROBLEMS: Record<AuthFailure, string> = {
  [AuthFailure.MISSING_TOKEN]: 'no client_assertion',
  [AuthFailure.MALFORMED_TOKEN]: 'client_assertion is not a well-formed JWT with the claims iss, sub, aud, exp and jti',
  [AuthFailure.ALGORITHM_NOT_ALLOWED]: `client_assertion must be signed with ${ALLOWED_ALGORITHMS.join(' or ')}`,
  [AuthFailure.UNKNOWN_ISSUER]: 'client_assertion iss names no client of the trust configuration',
  [AuthFailure.UNKNOWN_KEY]: 'client_assertion kid names none of the keys the trust configuration lists for its client',
  [AuthFailure.BAD_SIGNATURE]: 'client_assertion signature does not verify with its client key',
  [AuthFailure.WRONG_AUDIENCE]:
    'client_assertion aud must name this hub: its issuer, its token endpoint or its audience (see /.well-known/oauth-authorization-server)',
  [AuthFailure.WRONG_TYPE]: 'client_assertion is an access token (typ at+jwt), not a client assertion',
  [AuthFailure.EXPIRED]: 'client_assertion has expired',
  [AuthFailure.NOT_YET_VALID]: 'client_assertion is not valid yet (nbf or iat in the future)',
  [AuthFailure.TOO_OLD]: `client_assertion was issued more than ${MAX_ASSERTION_LIFETIME_SECONDS} s ago`,
  [AuthFailure.LIFETIME_TOO_LONG]: `client_assertion exp is more than ${MAX_ASSERTION_LIFETIME_SECONDS} s ahead: sign a short-lived one for each request`,
  [AuthFailure.MISSING_CLAIM]: 'client_assertion lacks a required claim (iss, sub, aud, exp, jti)',
  [AuthFailure.AGENCY_MISMATCH]: 'client_assertion claims another agency than its client speaks for',
  [AuthFailure.REPLAYED]: 'client_assertion jti was used before: sign a new assertion for each token request',
  [AuthFailure.REVOKED]: 'client_assertion was revoked',
  [AuthFailure.DIRECT_TOKEN_NOT_ALLOWED]: 'client_assertion is not accepted',
  [AuthFailure.UNSUPPORTED_CRIT]: 'client_assertion marks a header extension critical that the hub does not implement',
};

function assertionRefused(error: AuthenticationError): OAuthError {
  // jose names the claim that failed; `sub` fails when it is not the client (`iss`).
  const named = error.detail && /^[\w ]{1,40}$/.test(error.detail) ? ` (${error.detail})` : '';
  const detail = error.detail === 'sub' ? ' (sub must equal iss, the client id)' : named;
  return new OAuthError(OAuthErrorCode.INVALID_CLIENT, `${ASSERTION_PROBLEMS[error.reason]}${detail}`, error.reason);
}

/** The one value of a parameter; a parameter sent twice is refused (RFC 6749 §3.1). */
function single(params: URLSearchParams, name: string): string | null {
  const values = params.getAll(name);
  if (values.length > 1) throw new OAuthError(OAuthErrorCode.INVALID_REQUEST, `${name} is given more than once`);
  return values[0] ?? null;
}

/** A token the endpoint issued, for the audit. */
export interface IssuedGrant {
  client: AuthenticatedClient;
  scope: TokenScope;
  token: IssuedToken;
  durationMs: number;
}

/**
 * The token endpoint's protocol (RFC 6749 §4.4 with RFC 7523 §2.2 client authentication): a
 * `client_credentials` request authenticated by a private_key_jwt client assertion, a scope
 * within what the client's agency may claim, answered with the hub's access token once its
 * issue is audited. Every refusal is an `OAuthError` with its RFC code.
 */
export class TokenEndpoint {
  constructor(
    private readonly assertions: ClientAssertionVerifier,
    private readonly signer: HubTokenSigner,
    private readonly agencies: AgencyRegistry,
    private readonly issuer: () => string,
    /** Records the issued token; if it cannot, no token is given out. */
    private readonly audit: (grant: IssuedGrant) => Promise<void>,
  ) {}

  /** Answers a token request: its form parameters and the `Authorization` header, if any. */
  async grant(params: URLSearchParams, authorization: string | undefined): Promise<TokenResponse> {
    const started = performance.now();
    for (const name of new Set(params.keys())) single(params, name);
    const grantType = single(params, 'grant_type');
    if (!grantType) throw new OAuthError(OAuthErrorCode.INVALID_REQUEST, `grant_type is missing (use ${CLIENT_CREDENTIALS})`);
    if (grantType !== CLIENT_CREDENTIALS) {
      throw new OAuthError(OAuthErrorCode.UNSUPPORTED_GRANT_TYPE, `the hub issues tokens only for grant_type=${CLIENT_CREDENTIALS}`);
    }
    const client = await this.authenticate(params, authorization);
    const scope = parseScope(single(params, 'scope'), client.agency, this.agencies.rolesOf(client.agency));
    const token = await this.signer.issue(this.issuer(), client, scope);
    try {
      await this.audit({ client, scope, token, durationMs: Math.round((performance.now() - started) * 100) / 100 });
    } catch {
      throw new OAuthError(OAuthErrorCode.TEMPORARILY_UNAVAILABLE, 'the token could not be recorded in the audit, so none was issued; try again');
    }
    return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn, scope: token.scope };
  }

  /** The client, authenticated by exactly one method: a private_key_jwt assertion (RFC 6749 §2.3). */
  private async authenticate(params: URLSearchParams, authorization: string | undefined): Promise<AuthenticatedClient> {
    const assertionType = single(params, 'client_assertion_type');
    const assertion = single(params, 'client_assertion');
    const otherMethod = authorization !== undefined ? 'the Authorization header' : params.has('client_secret') ? 'client_secret' : null;
    if (otherMethod && (assertion !== null || assertionType !== null)) {
      throw new OAuthError(OAuthErrorCode.INVALID_REQUEST, `use one client authentication method, not client_assertion and ${otherMethod}`);
    }
    if (otherMethod) throw new OAuthError(OAuthErrorCode.INVALID_CLIENT, `clients authenticate with private_key_jwt (client_assertion), not ${otherMethod}`);
    if (assertionType === null && assertion === null) {
      throw new OAuthError(
        OAuthErrorCode.INVALID_CLIENT,
        `no client authentication: send client_assertion_type=${JWT_BEARER_ASSERTION} and client_assertion=<JWT>`,
      );
    }
    if (assertionType !== JWT_BEARER_ASSERTION) throw new OAuthError(OAuthErrorCode.INVALID_CLIENT, `client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
    if (!assertion) throw new OAuthError(OAuthErrorCode.INVALID_REQUEST, 'client_assertion is missing');
    let client: AuthenticatedClient;
    try {
      client = await this.assertions.verify(assertion);
    } catch (error) {
      if (error instanceof AuthenticationError) throw assertionRefused(error);
      throw error;
    }
    const clientId = single(params, 'client_id');
    if (clientId !== null && clientId !== client.clientId) {
      throw new OAuthError(OAuthErrorCode.INVALID_CLIENT, 'client_id is not the client the assertion authenticates (its iss)');
    }
    return client;
  }
}
