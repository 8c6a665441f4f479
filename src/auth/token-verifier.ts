import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Viewer } from '../read-kit/request-context';
import { AuthenticationError, AuthFailure } from './authentication-error';
import { ACCESS_TOKEN_TYPE, ALLOWED_ALGORITHMS, type TrustConfig } from './trust-config';
import type { TokenUseRegistry } from './token-use-registry';

type KeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * jose reports on the `iat` claim an `iat` that is missing, not a number, or in the future
 * (`check_failed`); one too far in the past arrives as `JWTExpired` instead.
 */
function iatFailure(error: InstanceType<typeof errors.JWTClaimValidationFailed>): AuthFailure {
  if (error.reason === 'missing') return AuthFailure.MISSING_CLAIM;
  return error.reason === 'check_failed' ? AuthFailure.NOT_YET_VALID : AuthFailure.MALFORMED_TOKEN;
}

function claimFailure(error: InstanceType<typeof errors.JWTClaimValidationFailed>): AuthFailure {
  switch (error.claim) {
    case 'iss': return AuthFailure.UNKNOWN_ISSUER;
    case 'aud': return AuthFailure.WRONG_AUDIENCE;
    case 'nbf': return AuthFailure.NOT_YET_VALID;
    case 'iat': return iatFailure(error);
    case 'typ': return AuthFailure.WRONG_TYPE;
    default: return error.reason === 'missing' ? AuthFailure.MISSING_CLAIM : AuthFailure.MALFORMED_TOKEN;
  }
}

/** Translates jose's errors into the hub's reasons; anything unexpected stays an error. */
function failureOf(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  // jose reports a token past maxTokenAge as expired on its `iat` claim.
  if (error instanceof errors.JWTExpired) return new AuthenticationError(error.claim === 'iat' ? AuthFailure.TOO_OLD : AuthFailure.EXPIRED);
  if (error instanceof errors.JWTClaimValidationFailed) return new AuthenticationError(claimFailure(error), error.claim);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new AuthenticationError(AuthFailure.ALGORITHM_NOT_ALLOWED);
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new AuthenticationError(AuthFailure.UNKNOWN_KEY);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthenticationError(AuthFailure.BAD_SIGNATURE);
  if (error instanceof errors.JOSEError) return new AuthenticationError(AuthFailure.MALFORMED_TOKEN);
  throw error;
}

/** The token's protected header; jose throws a plain TypeError for one that does not decode. */
function protectedHeaderOf(token: string): ReturnType<typeof decodeProtectedHeader> {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'the header does not decode');
  }
}

/**
 * Verifies agencies' bearer tokens: pinned asymmetric algorithms, a known issuer whose keys
 * signed it, this hub as audience, `exp`/`nbf`/`iat` with small tolerance, a maximum age, the
 * access-token type, the issuer's own agency, and a `jti` never seen before.
 */
export class TokenVerifier {
  private readonly keySets = new Map<string, KeySet>();

  constructor(private readonly trust: TrustConfig, private readonly uses: TokenUseRegistry) {
    for (const [issuer, config] of Object.entries(trust.issuers)) {
      this.keySets.set(issuer, createLocalJWKSet({ keys: config.keys }));
    }
  }

  /** The verified caller of an `Authorization` header value, or an `AuthenticationError`. */
  async verify(authorization: string | undefined | null): Promise<Viewer> {
    try {
      // Auth schemes are case-insensitive and separated from their credentials by one or more spaces (RFC 7235 §2.1).
      const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '');
      if (!authorization) throw new AuthenticationError(AuthFailure.MISSING_TOKEN);
      if (!match) throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'expected "Bearer <JWT>"');
      const token = match[1];
      // The hub implements no JWS extension, so any critical one refuses the token (RFC 7515 §4.1.11);
      // jose would report it as an unsupported algorithm.
      if (protectedHeaderOf(token).crit !== undefined) throw new AuthenticationError(AuthFailure.UNSUPPORTED_CRIT);
      // The issuer picks the key set; jose checks the signature and the issuer claim against it.
      const issuer = decodeJwt(token).iss;
      const keySet = issuer ? this.keySets.get(issuer) : undefined;
      if (!issuer || !keySet) throw new AuthenticationError(AuthFailure.UNKNOWN_ISSUER);
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: ALLOWED_ALGORITHMS,
        issuer,
        audience: this.trust.audience,
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: this.trust.clockToleranceSeconds,
        maxTokenAge: this.trust.maxTokenAgeSeconds,
        requiredClaims: ['sub', 'jti', 'iat', 'exp', 'agency', 'roles'],
      });
      return await this.viewerOf(issuer, payload);
    } catch (error) {
      throw failureOf(error);
    }
  }

  private async viewerOf(issuer: string, payload: JWTPayload): Promise<Viewer> {
    const { agency, roles, divisions = [] } = payload as JWTPayload & { agency?: unknown; roles?: unknown; divisions?: unknown };
    if (agency !== this.trust.issuers[issuer].agency) throw new AuthenticationError(AuthFailure.AGENCY_MISMATCH);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string') || typeof payload.sub !== 'string') {
      throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'roles must be a list of strings');
    }
    if (!Array.isArray(divisions) || !divisions.every((d) => typeof d === 'string' && /^\d{2,6}$/.test(d))) {
      throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'divisions must be a list of division code prefixes');
    }
    // Remembered until the token can no longer pass `exp` even with the clock tolerance; an `exp`
    // no date can hold (past year 275760) could not be remembered, so the token is refused.
    const acceptableUntil = new Date((payload.exp! + this.trust.clockToleranceSeconds) * 1000);
    if (Number.isNaN(acceptableUntil.getTime())) throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'exp is outside the date range');
    if (typeof payload.jti !== 'string') throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'jti must be a string');
    if (!(await this.uses.firstUse(issuer, payload.jti, acceptableUntil))) {
      throw new AuthenticationError(AuthFailure.REPLAYED);
    }
    return { agency, subject: payload.sub, roles, divisions };
  }
}
