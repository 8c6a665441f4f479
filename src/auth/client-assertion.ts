import { createLocalJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { AuthenticationError, AuthFailure } from './authentication-error';
import { authFailureOf, COMPACT_JWS, protectedHeaderOf } from './jose-failure';
import { ACCESS_TOKEN_TYPE, ALLOWED_ALGORITHMS, type TrustConfig } from './trust-config';
import type { TokenUseRegistry } from './token-use-registry';

/**
 * Longest an assertion may be valid, seconds: it authenticates one token request, made right
 * after it is signed, so a stolen one is worth little.
 */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** A client that proved itself with an assertion: its id (the trusted issuer) and the agency it speaks for. */
export interface AuthenticatedClient {
  clientId: string;
  agency: string;
}

type KeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * Verifies RFC 7523 client assertions (private_key_jwt): signed with a pinned asymmetric
 * algorithm by a key the trust configuration lists for its issuer, `iss` = `sub` = the client
 * (that issuer), this hub as audience (`audiences()`: its issuer identifier, its token endpoint or
 * its audience name), unexpired and valid for at most five minutes, not an access token
 * (`typ` other than `at+jwt`), no other agency claimed, and a `jti` never used before.
 */
export class ClientAssertionVerifier {
  private readonly keySets = new Map<string, KeySet>();

  constructor(
    private readonly trust: TrustConfig,
    private readonly uses: TokenUseRegistry,
    private readonly audiences: () => string[],
  ) {
    for (const [issuer, config] of Object.entries(trust.issuers)) this.keySets.set(issuer, createLocalJWKSet({ keys: config.keys }));
  }

  /** The client `assertion` authenticates, or an `AuthenticationError` saying why not. */
  async verify(assertion: string): Promise<AuthenticatedClient> {
    try {
      if (!COMPACT_JWS.test(assertion)) throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'not a compact JWT');
      // Explicit typing keeps the two kinds of JWT apart (RFC 8725 §3.11): an access token is no assertion.
      if (protectedHeaderOf(assertion).typ?.toLowerCase() === ACCESS_TOKEN_TYPE) {
        throw new AuthenticationError(AuthFailure.WRONG_TYPE, 'an access token is not a client assertion');
      }
      const claims = decodeJwt(assertion);
      const client = claims.iss;
      const keySet = client ? this.keySets.get(client) : undefined;
      if (!client || !keySet) throw new AuthenticationError(AuthFailure.UNKNOWN_ISSUER);
      const { payload } = await jwtVerify(assertion, keySet, {
        algorithms: ALLOWED_ALGORITHMS,
        issuer: client,
        subject: client,
        audience: this.audiences(),
        clockTolerance: this.trust.clockToleranceSeconds,
        requiredClaims: ['sub', 'aud', 'exp', 'jti'],
        // `iat` is optional (RFC 7523 §3); when given, it must not be in the future or older than an assertion lives.
        ...(claims.iat !== undefined ? { maxTokenAge: MAX_ASSERTION_LIFETIME_SECONDS } : {}),
      });
      return await this.clientOf(client, payload);
    } catch (error) {
      throw authFailureOf(error);
    }
  }

  private async clientOf(client: string, payload: JWTPayload): Promise<AuthenticatedClient> {
    const { agency } = this.trust.issuers[client];
    if (payload.agency !== undefined && payload.agency !== agency) throw new AuthenticationError(AuthFailure.AGENCY_MISMATCH);
    const latest = Date.now() / 1000 + MAX_ASSERTION_LIFETIME_SECONDS + this.trust.clockToleranceSeconds;
    if (payload.exp! > latest) throw new AuthenticationError(AuthFailure.LIFETIME_TOO_LONG, `valid for more than ${MAX_ASSERTION_LIFETIME_SECONDS} s`);
    if (typeof payload.jti !== 'string' || payload.jti === '') throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'jti must be a string');
    // Remembered until the assertion can no longer pass `exp`, tolerance included.
    if (!(await this.uses.firstUse(client, payload.jti, new Date((payload.exp! + this.trust.clockToleranceSeconds) * 1000)))) {
      throw new AuthenticationError(AuthFailure.REPLAYED);
    }
    return { clientId: client, agency };
  }
}
