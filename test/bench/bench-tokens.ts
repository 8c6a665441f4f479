import { loadAgencies } from '../../src/access/agreements';
import { mintDevToken } from '../../src/auth';
import type { HubConfig } from '../../src/config';

/** The caller benchmarks send as: a transport officer whose divisions cover every registration. */
export const BENCH_CALLER = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['31', '32', '33', '34'] };

/** `count` single-use development tokens for the benchmark caller, minted ahead of timing. */
export async function mintTokens(config: Pick<HubConfig, 'dataDir' | 'agreementsFile'>, count: number): Promise<string[]> {
  const agencies = loadAgencies(config.agreementsFile);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await mintDevToken(config.dataDir, agencies, { ...BENCH_CALLER, subject: 'bench' }));
  return tokens;
}
