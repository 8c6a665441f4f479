import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../db/private-dir';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { HUB_AUDIENCE, type AgencyRegistry } from './agencies';
import { ACCESS_TOKEN_TYPE, type TrustConfig } from './trust-config';

/**
 * Development trust: one ES256 key per agency, created under the data directory on first use,
 * and the trust configuration that believes exactly those keys. Never used when a real trust
 * configuration is given; the keys never leave the machine that made them.
 */
const devIssuer = (agency: string) => `https://dev.xietong.local/${agency}`;
const keyFile = (dataDir: string, agency: string) => path.join(dataDir, 'keys', 'dev', `${agency}.jwk.json`);

async function privateJwk(dataDir: string, agency: string): Promise<JWK> {
  const file = keyFile(dataDir, agency);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: `${agency}-dev-1` };
  ensurePrivateDir(path.dirname(file));
  // Several processes may start at once (tests, hub and worker): the key is written whole under
  // a temporary name and linked into place; whoever loses the race uses the winner's key.
  const temporary = `${file}.${process.pid}.${randomUUID()}`;
  fs.writeFileSync(temporary, JSON.stringify(jwk), { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.unlinkSync(temporary);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
}

/** The trust configuration of the development keys of every agency of `agencies` (created if missing). */
export async function loadOrCreateDevTrust(dataDir: string, agencies: AgencyRegistry): Promise<TrustConfig> {
  const issuers: TrustConfig['issuers'] = {};
  for (const agency of agencies.ids) {
    const { d: _secret, ...publicJwk } = await privateJwk(dataDir, agency);
    issuers[devIssuer(agency)] = { agency, keys: [publicJwk] };
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
 * A token as the agency's identity provider would issue it, signed with its development key: only
 * for an agency of `agencies` and roles it declares, as that provider would.
 */
export async function mintDevToken(dataDir: string, agencies: AgencyRegistry, request: DevTokenRequest): Promise<string> {
  if (!agencies.has(request.agency)) throw new Error(`unknown agency "${request.agency}"; known: ${agencies.ids.join(', ')}`);
  const allowed = agencies.rolesOf(request.agency);
  const unknown = request.roles.filter((r) => !allowed.includes(r));
  if (request.roles.length === 0 || unknown.length) throw new Error(`${request.agency} roles are ${allowed.join(', ')}; got ${request.roles.join(', ') || 'none'}`);
  const jwk = await privateJwk(dataDir, request.agency);
  return new SignJWT({ agency: request.agency, roles: request.roles, jti: randomUUID(), ...(request.divisions ? { divisions: request.divisions } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(devIssuer(request.agency))
    .setAudience(HUB_AUDIENCE)
    .setSubject(request.subject ?? `${request.agency}-dev-user`)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
    .sign(await importJWK(jwk, 'ES256'));
}
