import type { JWK } from 'jose';

/** One agency's token issuer and the public keys it signs with (several during a rotation). */
export interface TrustedIssuer {
  /** Agency id the issuer speaks for, e.g. `suzhou-psb`; tokens must name the same agency. */
  agency: string;
  keys: JWK[];
  /**
   * Whether the hub also accepts access tokens this issuer signs itself (`typ: at+jwt`, the
   * claims in the README), verified directly and reusable until they expire. Without it the
   * issuer's keys only authenticate its client assertions at `/oauth/token`, and clients present
   * the hub's own access tokens.
   */
  directAccessTokens?: boolean;
}

/** Whom the hub believes, and how strictly. */
export interface TrustConfig {
  /** The `aud` every token must carry: this hub's identifier. */
  audience: string;
  /** Trusted issuers by their `iss` value. */
  issuers: Record<string, TrustedIssuer>;
  /** Allowed clock skew between agencies' servers and the hub, seconds. */
  clockToleranceSeconds: number;
  /** Tokens issued longer ago than this are refused even if not expired, seconds. */
  maxTokenAgeSeconds: number;
}

/** The JWT `typ` header the hub accepts (RFC 9068 access tokens). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Signature algorithms accepted: asymmetric only, so no shared secret can be guessed or leaked. */
export const ALLOWED_ALGORITHMS = ['ES256', 'EdDSA'];
