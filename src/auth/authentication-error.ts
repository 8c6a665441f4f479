/** Why a request's credentials were refused: returned to the caller with HTTP 401. */
export enum AuthFailure {
  MISSING_TOKEN = 'MISSING_TOKEN',
  MALFORMED_TOKEN = 'MALFORMED_TOKEN',
  ALGORITHM_NOT_ALLOWED = 'ALGORITHM_NOT_ALLOWED',
  UNKNOWN_ISSUER = 'UNKNOWN_ISSUER',
  UNKNOWN_KEY = 'UNKNOWN_KEY',
  BAD_SIGNATURE = 'BAD_SIGNATURE',
  WRONG_AUDIENCE = 'WRONG_AUDIENCE',
  WRONG_TYPE = 'WRONG_TYPE',
  EXPIRED = 'EXPIRED',
  NOT_YET_VALID = 'NOT_YET_VALID',
  TOO_OLD = 'TOO_OLD',
  MISSING_CLAIM = 'MISSING_CLAIM',
  AGENCY_MISMATCH = 'AGENCY_MISMATCH',
  /** A client assertion valid for longer than the hub accepts (`exp` more than five minutes ahead). */
  LIFETIME_TOO_LONG = 'LIFETIME_TOO_LONG',
  /** A client assertion's `jti` was used before: each assertion authenticates one token request. */
  REPLAYED = 'REPLAYED',
  /** The token was revoked (by its `jti` or its agency) after it was issued. */
  REVOKED = 'REVOKED',
  /**
   * The issuer's own access token, where the trust configuration does not let it present one
   * (`directAccessTokens`): it obtains the hub's at `/oauth/token` instead.
   */
  DIRECT_TOKEN_NOT_ALLOWED = 'DIRECT_TOKEN_NOT_ALLOWED',
  /** The token's header marks an extension critical (`crit`) that the hub does not implement (RFC 7515 §4.1.11). */
  UNSUPPORTED_CRIT = 'UNSUPPORTED_CRIT',
}

/** A request whose bearer token the hub does not accept. */
export class AuthenticationError extends Error {
  constructor(
    readonly reason: AuthFailure,
    readonly detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'AuthenticationError';
  }
}
