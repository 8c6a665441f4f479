import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { AgencyRegistry } from './agencies';
import { loadTrust } from './load-trust';
import { ConfigError } from '../config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-trust-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The agencies a trust configuration may name come from the agreements file's registry.
const agencies = new AgencyRegistry([{ id: 'suzhou-psb', roles: ['case-officer'], systems: [], provides: [] }]);
const publicJwk = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('the trust configuration file', () => {
  it('is read with its defaults', async () => {
    const file = write('ok.json', { issuers: { 'https://idp.psb': { agency: 'suzhou-psb', keys: [publicJwk()] } } });
    const trust = await loadTrust(file, dir, agencies);
    expect(trust).toMatchObject({ audience: 'urn:xietong:suzhou-hub', clockToleranceSeconds: 30, maxTokenAgeSeconds: 43_200 });
    expect(Object.keys(trust.issuers)).toEqual(['https://idp.psb']);
    // Only the token endpoint unless the file says the issuer may present its own tokens.
    expect(trust.issuers['https://idp.psb'].directAccessTokens).toBeUndefined();
  });

  it.each([
    ['unreadable JSON', '{ issuers', /cannot be read/],
    ['no issuers', { issuers: {} }, /names no issuers/],
    ['an unknown agency', { issuers: { i: { agency: 'moon-police', keys: [{ kty: 'EC' }] } } }, /unknown agency "moon-police"/],
    ['an issuer without keys', { issuers: { i: { agency: 'suzhou-psb', keys: [] } } }, /has no keys/],
    ['a private key', { issuers: { i: { agency: 'suzhou-psb', keys: [{ kty: 'EC', d: 'secret' }] } } }, /holds a private key/],
    [
      'a directAccessTokens that is not a boolean',
      { issuers: { i: { agency: 'suzhou-psb', keys: [{ kty: 'EC' }], directAccessTokens: 'yes' } } },
      /directAccessTokens must be true or false/,
    ],
  ])('refuses %s, naming TRUST_CONFIG_FILE', async (label, content, message) => {
    const file = write(`${label.replace(/\W+/g, '-')}.json`, content);
    const attempt = loadTrust(file, dir, agencies);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(loadTrust(file, dir, agencies)).rejects.toThrow(message);
    await expect(loadTrust(file, dir, agencies)).rejects.toThrow(/TRUST_CONFIG_FILE/);
  });
});
