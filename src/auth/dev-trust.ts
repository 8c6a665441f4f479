import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { HUB_AUDIENCE, type AgencyRegistry } from './agencies';
import { devIssuer, devPrivateJwk } from './dev-keys';
import { ACCESS_TOKEN_TYPE, type TrustConfig } from './trust-config';

/**
 * Development trust: the trust configuration that believes exactly the development keys
 * (`dev-keys.ts`), and tokens signed with them.
 */

/** The trust configuration of the development keys of every agency of `agencies` (created if missing). */
export async function loadOrCreateDevTrust(dataDir: string, agencies: AgencyRegistry): Promise<TrustConfig> {
  const issuers: TrustConfig['issuers'] = {};
  for (const agency of agencies.ids) {
    const { d: _secret, ...publicJwk } = devPrivateJwk(dataDir, agency);
    // Development tokens minted directly (`mintDevToken`) keep working next to the token endpoint's.
    issuers[devIssuer(agency)] = { agency, keys: [publicJwk], directAccessTokens: true };
  }
  return { audience: HUB_AUDIENCE, issuers, clockToleranceSeconds: 30, maxTokenAgeSeconds: 12 * 3600 };
}

export interface DevTokenRequest {
  agency: string;
  roles: string[];
  subject?: string;
  ttlSeconds?: number;
  /** Division code prefixes the caller works in (a district officer's row scope). */
  divisions?: string[];
}

/**
 * An access token as the agency's identity provider would issue it, signed with its development
 * key and presented directly (development trust allows it), reusable until it expires: only for an
 * agency of `agencies` and roles it declares, as that provider would.
 */
export async function mintDevToken(dataDir: string, agencies: AgencyRegistry, request: DevTokenRequest): Promise<string> {
  if (!agencies.has(request.agency)) throw new Error(`unknown agency "${request.agency}"; known: ${agencies.ids.join(', ')}`);
  const allowed = agencies.rolesOf(request.agency);
  const unknown = request.roles.filter((r) => !allowed.includes(r));
  if (request.roles.length === 0 || unknown.length)
    throw new Error(`${request.agency} roles are ${allowed.join(', ')}; got ${request.roles.join(', ') || 'none'}`);
  const jwk = devPrivateJwk(dataDir, request.agency);
  return new SignJWT({ agency: request.agency, roles: request.roles, jti: randomUUID(), ...(request.divisions ? { divisions: request.divisions } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(devIssuer(request.agency))
    .setAudience(HUB_AUDIENCE)
    .setSubject(request.subject ?? `${request.agency}-dev-user`)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
    .sign(await importJWK(jwk as JWK, 'ES256'));
}
