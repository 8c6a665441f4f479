import { decodeProtectedHeader, errors } from 'jose';
import { AuthenticationError, AuthFailure } from './authentication-error';

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
    case 'iss':
      return AuthFailure.UNKNOWN_ISSUER;
    case 'aud':
      return AuthFailure.WRONG_AUDIENCE;
    case 'nbf':
      return AuthFailure.NOT_YET_VALID;
    case 'iat':
      return iatFailure(error);
    case 'typ':
      return AuthFailure.WRONG_TYPE;
    default:
      return error.reason === 'missing' ? AuthFailure.MISSING_CLAIM : AuthFailure.MALFORMED_TOKEN;
  }
}

/** Translates jose's errors into the hub's reasons; anything unexpected stays an error. */
export function authFailureOf(error: unknown): AuthenticationError {
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

/**
 * The token's protected header, refusing a `crit` one: the hub implements no JWS extension, so
 * any critical one refuses the token (RFC 7515 §4.1.11; jose would report it as an unsupported
 * algorithm). jose throws a plain TypeError for a header that does not decode.
 */
export function protectedHeaderOf(token: string): ReturnType<typeof decodeProtectedHeader> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'the header does not decode');
  }
  if (header.crit !== undefined) throw new AuthenticationError(AuthFailure.UNSUPPORTED_CRIT);
  return header;
}

/** A compact JWS: three base64url parts, the signature possibly empty (alg "none", refused later with its reason). */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
