import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevTrust, mintDevToken, TokenVerifier } from '../../src/auth';
import { loadAgencies } from '../../src/access/agreements';
import { loadConfig } from '../../src/config';
import { runXietong } from '../support/run-xietong';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xietong-devkeys-'));
const agencies = loadAgencies(loadConfig({}).agreementsFile);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const token = (args: string[]) => runXietong(['token', ...args], { XIETONG_DATA_DIR: dataDir });

describe('development keys and tokens', () => {
  it('tokens minted from the development keys pass the real verifier', async () => {
    const verifier = new TokenVerifier(await loadOrCreateDevTrust(dataDir, agencies));
    const jwt = await mintDevToken(dataDir, agencies, { agency: 'suzhou-psb', roles: ['case-officer'], subject: 'officer-7' });
    expect(await verifier.verify(`Bearer ${jwt}`)).toEqual({
      agency: 'suzhou-psb',
      subject: 'officer-7',
      roles: ['case-officer'],
      divisions: [],
      tokenId: expect.any(String),
      expiresAt: expect.any(Date),
      issuedAt: expect.any(Date),
    });
  });

  it('keeps its keys (private to the owner) across restarts', async () => {
    const first = await loadOrCreateDevTrust(dataDir, agencies);
    const second = await loadOrCreateDevTrust(dataDir, agencies);
    expect(second).toEqual(first);
    // The development issuers may present their own tokens, so tests and scripts minting them keep working.
    expect(Object.values(first.issuers).every((i) => i.directAccessTokens === true)).toBe(true);
    expect(Object.values(first.issuers).every((i) => i.keys.every((k) => k.d === undefined))).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'keys', 'dev', 'suzhou-psb.jwk.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses roles the agency does not have', async () => {
    await expect(mintDevToken(dataDir, agencies, { agency: 'jiangsu-credit', roles: ['administrator'] })).rejects.toThrow(/jiangsu-credit roles are service/);
  });

  it('xietong token --direct prints a development token without a hub, and refuses an unknown agency', async () => {
    const ok = await token(['--direct', '--agency', 'suzhou-transport', '--role', 'analyst']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const verifier = new TokenVerifier(await loadOrCreateDevTrust(dataDir, agencies));
    expect((await verifier.verify(`Bearer ${ok.out}`)).roles).toEqual(['analyst']);
    const bad = await token(['--direct', '--agency', 'nowhere', '--role', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown agency "nowhere"/);
    const noRole = await token(['--direct', '--agency', 'suzhou-transport']);
    expect(noRole).toMatchObject({ code: 2, err: 'xietong: claim at least one role (--role <role>)' });
  });
});
