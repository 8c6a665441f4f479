import { decodeJwt } from 'jose';
import { startHub, type Hub } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { testLogger } from '../support/test-logger';
import { hubAccessToken } from '../support/oauth-client';
import { runXietong } from '../support/run-xietong';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * Revocation reaches every instance within a second: two hubs on one database (one issuer, as a
 * deployment behind one address configures it), a token issued by one and used on both, revoked
 * by the operator's command, refused by both.
 */

const ISSUER = 'https://hub.revocation-test.invalid';
const env = { OAUTH_ISSUER: ISSUER, TOKEN_REVOCATION_POLL_MS: '500' };

let first: TestHub;
let secondDb: Database;
let second: Hub;
let hubs: Hub[];

beforeAll(async () => {
  first = await startTestHub('oauth_revocation', { env });
  const config = loadConfig({ ...env, DATABASE_URL: first.hub.db.url, PORT: '0', LOG_LEVEL: 'error' });
  secondDb = await openDatabase(config, entityModelOf(HUB_DOMAINS));
  second = await startHub(config, testLogger().logger, secondDb);
  hubs = [first.hub, second];
});
afterAll(async () => {
  await second?.close();
  await secondDb?.close();
  await first?.close();
});

const status = (hub: Hub, token: string) =>
  fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ myAccess { agency } }' }),
  }).then(async (r) => ({
    status: r.status,
    reason: r.status === 401 ? ((await r.json()) as { errors: Array<{ extensions: { reason: string } }> }).errors[0].extensions.reason : null,
  }));

/** `xietong token revoke …` against the hubs' database, as an operator runs it. */
const revoke = (args: string[]) => runXietong(['token', 'revoke', ...args, '--by', 'test-operator'], { DATABASE_URL: first.hub.db.url, ...env });

/** Milliseconds from `since` until every hub refuses `token` as REVOKED (polling every 50 ms). */
async function refusedEverywhereAfter(token: string, since: number): Promise<number> {
  for (;;) {
    const replies = await Promise.all(hubs.map((hub) => status(hub, token)));
    if (replies.every((r) => r.reason === 'REVOKED')) return Date.now() - since;
    if (Date.now() - since > 5000) throw new Error(`still accepted 5 s after the revocation: ${JSON.stringify(replies)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('token revocation across instances', () => {
  it('a token issued by one instance is reused on both', async () => {
    const { access_token: token } = await hubAccessToken(first.hub.url, 'suzhou-amr', 'role:officer');
    for (let i = 0; i < 3; i++) {
      for (const hub of hubs) expect(await status(hub, token)).toEqual({ status: 200, reason: null });
    }
  });

  it("revoked by jti with the operator's command, it is refused by both within one second; other tokens are not", async () => {
    const { access_token: token } = await hubAccessToken(second.url, 'suzhou-amr', 'role:officer');
    const { access_token: other } = await hubAccessToken(first.hub.url, 'suzhou-amr', 'role:analyst');
    const jti = decodeJwt(token).jti!;
    for (const hub of hubs) expect((await status(hub, token)).status).toBe(200);
    const result = await revoke(['--jti', jti]);
    // Counted from when the revocation committed (the command prints after its commit).
    const committed = Date.now();
    expect(result).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^revoked token ${jti} \\(revocation \\d+, audited\\)`)) });
    expect(await refusedEverywhereAfter(token, committed)).toBeLessThan(1000);
    for (const hub of hubs) expect((await status(hub, other)).status).toBe(200);
  });

  it('revoked by agency, every token the agency held is refused by both within one second; new ones work', async () => {
    const tokens = await Promise.all(['role:officer', 'role:analyst'].map((scope) => hubAccessToken(first.hub.url, 'suzhou-amr', scope)));
    const bystander = (await hubAccessToken(first.hub.url, 'suzhou-psb', 'role:case-officer')).access_token;
    const result = await revoke(['--agency', 'suzhou-amr', '--json']);
    const committed = Date.now();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ revocation: expect.any(Number), revokedAt: expect.any(String), agency: 'suzhou-amr' });
    for (const { access_token: token } of tokens) expect(await refusedEverywhereAfter(token, committed)).toBeLessThan(1000);
    for (const hub of hubs) expect((await status(hub, bystander)).status).toBe(200);
    // Tokens issued after the revocation's second are the agency's new ones.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    const fresh = (await hubAccessToken(second.url, 'suzhou-amr', 'role:officer')).access_token;
    for (const hub of hubs) expect((await status(hub, fresh)).status).toBe(200);
  });

  it('the command refuses bad input with a clear message and records nothing', async () => {
    const before = (await first.hub.db.pool.query('select count(*)::int as n from auth_token_revocation')).rows[0].n as number;
    expect(await revoke([])).toMatchObject({ code: 2, err: 'xietong: name exactly one of --jti <id> and --agency <agency>' });
    expect(await revoke(['--jti', 'a', '--agency', 'suzhou-amr'])).toMatchObject({ code: 2 });
    expect(await revoke(['--agency', 'moon-police'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/Invalid value for "agency": must be one of suzhou-transport/),
    });
    expect((await first.hub.db.pool.query('select count(*)::int as n from auth_token_revocation')).rows[0].n).toBe(before);
  });

  it('each revocation is in the audit, by the operator who made it', async () => {
    const { rows } = await first.hub.db.pool.query<{ content: Record<string, unknown> }>(
      "select content from audit_event where content->>'operationName' = 'revokeAccessTokens' order by seq",
    );
    expect(rows.map((r) => [r.content.agency, r.content.subject, Object.keys(r.content.variables as object)])).toEqual([
      ['hub-operator', 'test-operator', ['jti']],
      ['hub-operator', 'test-operator', ['agency']],
    ]);
    expect(first.logged).toEqual([]);
  });
});
