import { createLocalJWKSet, decodeJwt, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { isDivisionPrefix } from '../../connectors/contract/identifiers';
import type { Viewer } from '../read-kit/request-context';
import { AuthenticationError, AuthFailure } from './authentication-error';
import { HUB_TOKEN_ALGORITHM } from './hub-token-key';
import { authFailureOf, protectedHeaderOf } from './jose-failure';
import { ACCESS_TOKEN_TYPE, ALLOWED_ALGORITHMS, type TrustConfig } from './trust-config';

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** Most verified tokens remembered; past it the memory starts again (every token is then verified once more). */
const MAX_REMEMBERED_TOKENS = 10_000;

/** A token verified once: its caller, until when that verdict stands (ms), and what is checked again on every use. */
interface Verified {
  viewer: Viewer;
  until: number;
  issuedAt: number;
}

/** The hub's own access tokens: who issues them (null until the hub knows its address) and the key they are signed with. */
export interface HubTokenTrust {
  issuer(): string | null;
  publicJwk: JWK;
}

export interface TokenVerifierOptions {
  /** The hub's own tokens (from `/oauth/token`); without it only directly presented agency tokens are verified. */
  hub?: HubTokenTrust;
  /** Revoked tokens and agencies, refused after every other check. */
  revocations?: { isRevoked(jti: string, agency: string, issuedAt: number): boolean };
}

/**
 * Verifies bearer access tokens, reusable until they expire: the hub's own (issued at
 * `/oauth/token`, signed with its key) and, where the trust configuration allows the issuer to
 * present them (`directAccessTokens`), agencies' own. Either way: pinned asymmetric algorithms,
 * the right key for the issuer, this hub as audience, `exp`/`nbf`/`iat` with small tolerance, the
 * access-token type, the agency the issuer speaks for, and no revocation.
 */
export class TokenVerifier {
  private readonly keySets = new Map<string, KeySet>();
  private readonly hubKeySet: KeySet | null;
  /**
   * Tokens are reusable until they expire: a signature verified once stays verified, so a
   * token seen again skips it. Only the time and the revocations can change the verdict, and
   * both are checked on every use.
   */
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly trust: TrustConfig,
    private readonly options: TokenVerifierOptions = {},
  ) {
    for (const [issuer, config] of Object.entries(trust.issuers)) {
      this.keySets.set(issuer, createLocalJWKSet({ keys: config.keys }));
    }
    this.hubKeySet = options.hub ? createLocalJWKSet({ keys: [options.hub.publicJwk] }) : null;
  }

  /** The verified caller of an `Authorization` header value, or an `AuthenticationError`. */
  async verify(authorization: string | undefined | null): Promise<Viewer> {
    try {
      // Auth schemes are case-insensitive and separated from their credentials by one or more spaces (RFC 7235 §2.1).
      const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '');
      if (!authorization) throw new AuthenticationError(AuthFailure.MISSING_TOKEN);
      if (!match) throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'expected "Bearer <JWT>"');
      const token = match[1];
      const known = this.verified.get(token);
      if (known) {
        if (Date.now() < known.until) {
          const { viewer } = known;
          if (this.options.revocations?.isRevoked(viewer.tokenId!, viewer.agency, known.issuedAt)) throw new AuthenticationError(AuthFailure.REVOKED);
          return { ...viewer, roles: [...viewer.roles], divisions: [...viewer.divisions] };
        }
        // Expired: verified in full again, which says so.
        this.verified.delete(token);
      }
      protectedHeaderOf(token);
      // The issuer picks the key set; jose checks the signature and the issuer claim against it.
      const issuer = decodeJwt(token).iss;
      const viewer = issuer && issuer === this.options.hub?.issuer() ? await this.verifyHubToken(token, issuer) : await this.verifyDirectToken(token, issuer);
      this.remember(token, viewer, issuer);
      return viewer;
    } catch (error) {
      throw authFailureOf(error);
    }
  }

  /**
   * Remembers a verified token until the earliest instant a full verification could refuse it
   * for its time: its expiry (without the clock tolerance) and, for an agency's own token, its
   * maximum age.
   */
  private remember(token: string, viewer: Viewer, issuer: string | undefined): void {
    const { exp, iat } = decodeJwt(token);
    if (exp === undefined || iat === undefined) return;
    let until = exp * 1000;
    if (issuer !== this.options.hub?.issuer()) until = Math.min(until, (iat + this.trust.maxTokenAgeSeconds) * 1000);
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.clear();
    this.verified.set(token, { viewer: { ...viewer, roles: [...viewer.roles], divisions: [...viewer.divisions] }, until, issuedAt: iat });
  }

  private async verifyHubToken(token: string, issuer: string): Promise<Viewer> {
    const { payload } = await jwtVerify(token, this.hubKeySet!, {
      algorithms: [HUB_TOKEN_ALGORITHM],
      issuer,
      audience: this.trust.audience,
      typ: ACCESS_TOKEN_TYPE,
      clockTolerance: this.trust.clockToleranceSeconds,
      requiredClaims: ['sub', 'jti', 'iat', 'exp', 'client_id', 'agency', 'roles'],
    });
    // A client taken out of the trust configuration loses the tokens it holds, not only the next one.
    const client = typeof payload.client_id === 'string' && Object.hasOwn(this.trust.issuers, payload.client_id) ? this.trust.issuers[payload.client_id] : null;
    if (!client) throw new AuthenticationError(AuthFailure.REVOKED, 'the client is no longer trusted');
    return this.viewerOf(client.agency, payload);
  }

  private async verifyDirectToken(token: string, issuer: string | undefined): Promise<Viewer> {
    const keySet = issuer ? this.keySets.get(issuer) : undefined;
    if (!issuer || !keySet) throw new AuthenticationError(AuthFailure.UNKNOWN_ISSUER);
    if (!this.trust.issuers[issuer].directAccessTokens) throw new AuthenticationError(AuthFailure.DIRECT_TOKEN_NOT_ALLOWED);
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: ALLOWED_ALGORITHMS,
      issuer,
      audience: this.trust.audience,
      typ: ACCESS_TOKEN_TYPE,
      clockTolerance: this.trust.clockToleranceSeconds,
      maxTokenAge: this.trust.maxTokenAgeSeconds,
      requiredClaims: ['sub', 'jti', 'iat', 'exp', 'agency', 'roles'],
    });
    return this.viewerOf(this.trust.issuers[issuer].agency, payload);
  }

  private viewerOf(issuerAgency: string, payload: JWTPayload): Viewer {
    const { agency, roles, divisions = [] } = payload as JWTPayload & { agency?: unknown; roles?: unknown; divisions?: unknown };
    if (agency !== issuerAgency) throw new AuthenticationError(AuthFailure.AGENCY_MISMATCH);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string') || typeof payload.sub !== 'string') {
      throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'roles must be a list of strings');
    }
    if (!Array.isArray(divisions) || !divisions.every((d) => typeof d === 'string' && isDivisionPrefix(d))) {
      throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'divisions must be a list of division code prefixes');
    }
    // The last instant the token is acceptable (its `exp` with the tolerance) must be a date: past
    // year 275760 there is no expiry the hub can reason about.
    if (Number.isNaN(new Date((payload.exp! + this.trust.clockToleranceSeconds) * 1000).getTime())) {
      throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'exp is outside the date range');
    }
    if (typeof payload.jti !== 'string' || payload.jti === '') throw new AuthenticationError(AuthFailure.MALFORMED_TOKEN, 'jti must be a string');
    if (this.options.revocations?.isRevoked(payload.jti, agency, payload.iat!)) throw new AuthenticationError(AuthFailure.REVOKED);
    return {
      agency,
      subject: payload.sub,
      roles,
      divisions,
      tokenId: payload.jti,
      expiresAt: new Date(payload.exp! * 1000),
      issuedAt: new Date(payload.iat! * 1000),
    };
  }
}
