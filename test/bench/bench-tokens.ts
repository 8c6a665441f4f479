import { mintDevToken } from '../../src/auth';

/** The caller benchmarks send as: a transport officer whose divisions cover every registration. */
export const BENCH_CALLER = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['31', '32', '33', '34'] };

/** `count` single-use development tokens for the benchmark caller, minted ahead of timing. */
export async function mintTokens(dataDir: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await mintDevToken(dataDir, { ...BENCH_CALLER, subject: 'bench' }));
  return tokens;
}
