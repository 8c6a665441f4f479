/**
 * The token endpoint's error codes (RFC 6749 §5.2) that its one grant can produce, plus
 * `temporarily_unavailable` for an audit outage. `invalid_grant` and `unauthorized_client` do not
 * occur: a client-credentials request carries no grant besides the client's own authentication,
 * whose failures are `invalid_client` (RFC 7521 §4.2.1), and every trusted client may use it.
 */
export enum OAuthErrorCode {
  /** A parameter is missing, repeated or malformed, or the request is not a form POST. */
  INVALID_REQUEST = 'invalid_request',
  /** Client authentication failed: no or an unsupported method, or a client assertion the hub does not accept. */
  INVALID_CLIENT = 'invalid_client',
  UNSUPPORTED_GRANT_TYPE = 'unsupported_grant_type',
  /** The scope is malformed or asks for more than the client's agency may claim. */
  INVALID_SCOPE = 'invalid_scope',
  /** The token could not be audited, so none is issued (HTTP 503); try again. */
  TEMPORARILY_UNAVAILABLE = 'temporarily_unavailable',
}

/** A token request the hub refuses; `description` is for the client's developer and names what to fix. */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    /** Finer reason for the audit's refusal count, e.g. the assertion's `AuthFailure`. */
    readonly reason?: string,
  ) {
    super(`${code}: ${description}`);
    this.name = 'OAuthError';
  }

  /** HTTP status: 401 for failed client authentication (RFC 6749 §5.2), 503 for an audit outage, else 400. */
  get status(): number {
    if (this.code === OAuthErrorCode.INVALID_CLIENT) return 401;
    return this.code === OAuthErrorCode.TEMPORARILY_UNAVAILABLE ? 503 : 400;
  }

  /**
   * The RFC 6749 error body. `error_description` may hold only printable ASCII without `"` and `\`
   * (§5.2); anything else is replaced.
   */
  toJSON(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?') };
  }
}
