import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { loadAgencies } from '../../src/access/agreements';
import { loadOrCreateDevTrust, TokenUseRegistry, TokenVerifier } from '../../src/auth';
import { hubTokenKeyOf } from '../../src/auth/hub-token-key';
import { loadOrCreateHubKey } from '../../src/audit/hub-key';
import type { HubConfig } from '../../src/config';
import { hubAccessToken } from '../support/oauth-client';
import { pairedMedians } from './median';

/** The caller benchmarks send as: a transport officer whose divisions cover every registration. */
export const BENCH_CALLER = { agency: 'suzhou-transport', scope: 'role:officer division:31 division:32 division:33 division:34' };

/** The hub's base URL of its GraphQL URL. */
const hubUrlOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

/** One access token for the benchmark caller from the hub's token endpoint, reused by every timed request as clients reuse it. */
export async function reusableToken(graphqlUrl: string): Promise<string> {
  return (await hubAccessToken(hubUrlOf(graphqlUrl), BENCH_CALLER.agency, BENCH_CALLER.scope)).access_token;
}

/**
 * What verifying a reusable token costs a request (p50, ms), in process as the hub does it, next to
 * the replay-table insert that every request paid while tokens were single-use.
 */
export async function tokenVerificationCost(
  config: Pick<HubConfig, 'dataDir' | 'agreementsFile'>,
  graphqlUrl: string,
  token: string,
  pool: Pool,
  runs: number,
): Promise<{ verify: number; replayInsert: number }> {
  const hubKey = hubTokenKeyOf(loadOrCreateHubKey(config.dataDir).privateKey);
  const trust = await loadOrCreateDevTrust(config.dataDir, loadAgencies(config.agreementsFile));
  const verifier = new TokenVerifier(trust, { hub: { issuer: () => hubUrlOf(graphqlUrl), publicJwk: hubKey.publicJwk } });
  const uses = new TokenUseRegistry(pool);
  const expires = new Date(Date.now() + 3_600_000);
  const [verify, replayInsert] = await pairedMedians(
    () => verifier.verify(`Bearer ${token}`),
    () => uses.firstUse('bench', randomUUID(), expires),
    runs,
  );
  return { verify, replayInsert };
}
