import type { Pool } from 'pg';
import type { JWK } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { OAuthSettings } from '../config';
import type { Logger } from '../logger';
import type { AgencyRegistry } from './agencies';
import { ClientAssertionVerifier } from './client-assertion';
import { HubTokenSigner } from './hub-access-tokens';
import { hubTokenKeyOf, type HubTokenKey } from './hub-token-key';
import { TokenEndpoint, type IssuedGrant } from './token-endpoint';
import { CLIENT_CREDENTIALS, JWKS_PATH, TOKEN_PATH, type TokenResponse } from './oauth-protocol';
import { TokenRevocations } from './token-revocations';
import { TokenUseRegistry } from './token-use-registry';
import { TokenVerifier } from './token-verifier';
import { ALLOWED_ALGORITHMS, type TrustConfig } from './trust-config';

export interface TokenAuthorityOptions {
  settings: OAuthSettings;
  trust: TrustConfig;
  /** The agencies and the roles their clients may claim. */
  agencies: AgencyRegistry;
  pool: Pool;
  /** The hub's own private key; the access-token key is derived from it (`hubTokenKeyOf`). */
  hubPrivateKey: KeyObject;
  /** Records an issued token in the audit; a token is given out only once this resolves. */
  onIssued(grant: IssuedGrant): Promise<void>;
  /** Where a failing read of revocations is reported. */
  logger: Logger;
}

/**
 * The hub as an OAuth 2.0 authorization server for its own API: it issues access tokens at the
 * token endpoint, publishes its keys and metadata, verifies the tokens presented to it (its own,
 * and agencies' where the trust configuration allows them) and keeps every instance's view of
 * revocations current.
 */
export class TokenAuthority {
  readonly verifier: TokenVerifier;
  private readonly endpoint: TokenEndpoint;
  private readonly key: HubTokenKey;
  private boundIssuer: string | null;
  private readonly agencies: AgencyRegistry;

  private constructor(
    options: TokenAuthorityOptions,
    private readonly revocations: TokenRevocations,
  ) {
    const { settings, trust, pool } = options;
    this.key = hubTokenKeyOf(options.hubPrivateKey);
    this.boundIssuer = settings.issuer;
    this.verifier = new TokenVerifier(trust, { hub: { issuer: () => this.boundIssuer, publicJwk: this.key.publicJwk }, revocations });
    const assertions = new ClientAssertionVerifier(trust, new TokenUseRegistry(pool), () => [this.issuer, `${this.issuer}${TOKEN_PATH}`, trust.audience]);
    const signer = new HubTokenSigner(this.key, trust.audience, settings.accessTokenTtlSeconds);
    this.endpoint = new TokenEndpoint(assertions, signer, options.agencies, () => this.issuer, options.onIssued);
    this.agencies = options.agencies;
  }

  /** Reads the revocations in force, then serves. */
  static async start(options: TokenAuthorityOptions): Promise<TokenAuthority> {
    const { settings, trust } = options;
    const revocations = new TokenRevocations(options.pool, {
      pollMs: settings.revocationPollMs,
      // Nothing a revocation could refuse outlives the longest token any path accepts.
      retentionSeconds: Math.max(settings.accessTokenTtlSeconds, trust.maxTokenAgeSeconds) + trust.clockToleranceSeconds,
      onError: (error) => options.logger.error({ err: error }, 'reading token revocations failed (reported once until a read succeeds)'),
    });
    await revocations.start();
    return new TokenAuthority(options, revocations);
  }

  /** The hub's issuer identifier: `OAUTH_ISSUER`, or else the URL it serves at (`bind`). */
  get issuer(): string {
    if (!this.boundIssuer) throw new Error('the token authority serves before it knows its address');
    return this.boundIssuer;
  }

  /** Takes the URL the hub listens on as its issuer, unless `OAUTH_ISSUER` names one. */
  bind(url: string): void {
    this.boundIssuer ??= url;
  }

  token(params: URLSearchParams, authorization: string | undefined): Promise<TokenResponse> {
    return this.endpoint.grant(params, authorization);
  }

  /** `/.well-known/jwks.json`: the keys the hub's access tokens are signed with. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  /** `/.well-known/oauth-authorization-server` (RFC 8414). */
  metadata(): Record<string, unknown> {
    const roles = [...new Set(this.agencies.ids.flatMap((agency) => this.agencies.rolesOf(agency)))].sort();
    return {
      issuer: this.issuer,
      token_endpoint: `${this.issuer}${TOKEN_PATH}`,
      jwks_uri: `${this.issuer}${JWKS_PATH}`,
      grant_types_supported: [CLIENT_CREDENTIALS],
      // No authorization endpoint: clients act for their agency, no user is redirected.
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ALLOWED_ALGORITHMS,
      // `division:<code prefix>` (2 to 6 digits) too; which roles a client may claim depends on its agency.
      scopes_supported: roles.map((r) => `role:${r}`),
    };
  }

  /** Whether the token `jti` of `agency`, issued at `issuedAt` (seconds), has been revoked since (a queued export checks before each page). */
  isRevoked(jti: string, agency: string, issuedAt: number): boolean {
    return this.revocations.isRevoked(jti, agency, issuedAt);
  }

  close(): Promise<void> {
    return this.revocations.close();
  }
}
