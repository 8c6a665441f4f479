import fs from 'node:fs';
import { ConfigError } from '../config';
import { HUB_AUDIENCE, type AgencyRegistry } from './agencies';
import { loadOrCreateDevTrust } from './dev-trust';
import type { TrustConfig } from './trust-config';

/**
 * The trust configuration: the file `TRUST_CONFIG_FILE` names (issuers with their agency and
 * public JWKs), or, without one, the development keys. A file with private key material, an
 * unknown agency or no keys stops the hub.
 */
export async function loadTrust(file: string | null, dataDir: string, agencies: AgencyRegistry): Promise<TrustConfig> {
  if (!file) return loadOrCreateDevTrust(dataDir, agencies);
  let raw: Partial<TrustConfig>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<TrustConfig>;
  } catch (error) {
    throw new ConfigError('TRUST_CONFIG_FILE', `cannot be read: ${(error as Error).message}`);
  }
  const issuers = raw.issuers ?? {};
  if (Object.keys(issuers).length === 0) throw new ConfigError('TRUST_CONFIG_FILE', 'names no issuers');
  for (const [issuer, entry] of Object.entries(issuers)) {
    if (!entry || !agencies.has(entry.agency)) throw new ConfigError('TRUST_CONFIG_FILE', `issuer ${issuer}: unknown agency "${entry?.agency}"`);
    if (!Array.isArray(entry.keys) || entry.keys.length === 0) throw new ConfigError('TRUST_CONFIG_FILE', `issuer ${issuer} has no keys`);
    if (entry.keys.some((k) => 'd' in k)) throw new ConfigError('TRUST_CONFIG_FILE', `issuer ${issuer}: holds a private key; only public keys belong here`);
    if (entry.directAccessTokens !== undefined && typeof entry.directAccessTokens !== 'boolean') {
      throw new ConfigError('TRUST_CONFIG_FILE', `issuer ${issuer}: directAccessTokens must be true or false`);
    }
  }
  return {
    audience: raw.audience ?? HUB_AUDIENCE,
    issuers,
    clockToleranceSeconds: raw.clockToleranceSeconds ?? 30,
    maxTokenAgeSeconds: raw.maxTokenAgeSeconds ?? 12 * 3600,
  };
}
