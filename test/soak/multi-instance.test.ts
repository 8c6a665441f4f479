import { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { loadAgencies } from '../../src/access/agreements';
import { mintDevToken } from '../../src/auth';
import { AuditLog, publicKeyOf } from '../../src/audit/audit-log';
import { loadOrCreateHubKey } from '../../src/audit/hub-key';
import { dropDatabase } from '../../src/db/ensure-database';
import { POOL_WAIT_MS } from '../../src/db/sql-client';
import { SharedRateLimits } from '../../src/admission/shared-rate-limits';
import { AgencyAdmission } from '../../src/admission/agency-admission';
import { startNodeProcess, type NodeProcess } from '../support/node-process';
import { ownerPool } from '../support/owner-pool';
import { runXietong } from '../support/run-xietong';
import { freshDatabaseUrl } from '../support/test-database';
import { ALL_SEEING_OFFICER } from '../support/test-hub';

const config = loadConfig({});
const agencies = loadAgencies(config.agreementsFile);
const QUERY = 'query Lookup { enterprise(uscc: "91320583MA2125D5XF") { uscc name } }';

/** A hub process over `databaseUrl`, sharing this checkout's data directory (keys) with the test. */
function startHubProcess(databaseUrl: string, env: Record<string, string> = {}): NodeProcess {
  return startNodeProcess('src/main.js', [], {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    XIETONG_DATA_DIR: config.dataDir,
    ...env,
  });
}
const urlOf = async (hub: NodeProcess) => (await hub.waitForOutput(/GraphQL at (http:\/\/\S+)/, 90))[1];

/** A fresh token per request: its `jti` names the request's one audit event. */
const token = () => mintDevToken(config.dataDir, agencies, ALL_SEEING_OFFICER);

async function ask(graphqlUrl: string, authorization: string, query = QUERY) {
  const started = performance.now();
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${authorization}`, 'x-purpose': 'case-investigation' },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.errors?.[0]?.extensions?.code ?? null, ms: performance.now() - started };
}

const jtiOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { jti: string }).jti;

describe('two hub instances over one database', () => {
  const databaseUrl = freshDatabaseUrl('multi_instance');
  let a: NodeProcess;
  let b: NodeProcess;
  let urlA: string;
  let urlB: string;
  let pool: Pool;

  beforeAll(async () => {
    // Started together over a database that does not exist yet: both create it and migrate it.
    a = startHubProcess(databaseUrl);
    b = startHubProcess(databaseUrl);
    [urlA, urlB] = await Promise.all([urlOf(a), urlOf(b)]);
    pool = new Pool({ connectionString: databaseUrl, max: 4 });
  }, 120_000);

  afterAll(async () => {
    a?.child.kill('SIGKILL');
    b?.child.kill('SIGKILL');
    await pool?.end();
    await dropDatabase(databaseUrl);
  });

  it('start together and migrate once: each migration recorded once, both ready', async () => {
    const { rows } = await pool.query<{ name: string; n: number }>('select name, count(*)::int as n from mikro_orm_migrations group by name');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    for (const url of [urlA, urlB]) expect((await fetch(url.replace('/graphql', '/ready'))).status).toBe(200);
  });

  it('append to one linear chain when both answer at once: one event per answered request, and the chain verifies', async () => {
    const jtis: string[] = [];
    const answers = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const jwt = await token();
        jtis.push(jtiOf(jwt));
        return ask(i % 2 ? urlA : urlB, jwt);
      }),
    );
    // Agency admission may refuse some (429, counted, not chained): each answered one has its event.
    const answered = answers.filter((r) => r.status === 200).length;
    expect(answered).toBeGreaterThan(60);
    const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from audit_event where content->>'tokenId' = any($1)`, [jtis]);
    expect(rows[0].n).toBe(answered);
    const gaps = await pool.query<{ n: number }>(
      'select count(*)::int as n from audit_event e where seq > 1 and not exists (select 1 from audit_event p where p.seq = e.seq - 1)',
    );
    expect(gaps.rows[0].n).toBe(0);
    const key = loadOrCreateHubKey(config.dataDir);
    expect(await new AuditLog(pool).verify(new Map([[key.keyId, publicKeyOf(key)]]))).toMatchObject({ intact: true });
  }, 60_000);

  it('refuse a token revoked through either within the poll interval on both', async () => {
    const jwt = await token();
    expect((await ask(urlA, jwt)).status).toBe(200);
    expect((await ask(urlB, jwt)).status).toBe(200);
    const revoked = await runXietong(['token', 'revoke', '--jti', jtiOf(jwt), '--by', 'suzhou-transport/admin'], {
      DATABASE_URL: databaseUrl,
      XIETONG_DATA_DIR: config.dataDir,
    });
    expect(revoked).toMatchObject({ code: 0 });
    await new Promise((resolve) => setTimeout(resolve, config.oauth.revocationPollMs * 3));
    expect(await ask(urlA, jwt)).toMatchObject({ status: 401 });
    expect(await ask(urlB, jwt)).toMatchObject({ status: 401 });
  }, 60_000);

  it("share each agreement's rate-limit bucket: two instances' buckets grant the burst once between them", async () => {
    const [one, two] = [new Pool({ connectionString: databaseUrl, max: 1 }), new Pool({ connectionString: databaseUrl, max: 1 })];
    try {
      const [x, y] = [new SharedRateLimits(one), new SharedRateLimits(two)];
      const rate = { requestsPerSecond: 0.01, burst: 5 };
      const waits = [];
      for (let i = 0; i < 10; i++) waits.push(await (i % 2 ? x : y).take('TEST-SHARED-BUCKET', rate));
      expect(waits.filter((w) => w === 0)).toHaveLength(5);
      expect(waits.slice(5).every((w) => w > 90)).toBe(true);
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
  });

  it("give back, on both instances, the tokens a refused request took of its other agreements' buckets", async () => {
    const [one, two] = [new Pool({ connectionString: databaseUrl, max: 1 }), new Pool({ connectionString: databaseUrl, max: 1 })];
    try {
      const limits = { agencyMaxRequests: 4, agencyMaxStatements: 1, agencyQueueWaitMs: 10 };
      const [x, y] = [new AgencyAdmission(limits, new SharedRateLimits(one)), new AgencyAdmission(limits, new SharedRateLimits(two))];
      const wide = { id: 'TEST-REFUND-WIDE', rateLimit: { requestsPerSecond: 0.01, burst: 3 } };
      const narrow = { id: 'TEST-REFUND-NARROW', rateLimit: { requestsPerSecond: 0.01, burst: 1 } };
      (await x.admit('anhui-transport', [wide, narrow])).release();
      for (let i = 0; i < 6; i++) await expect((i % 2 ? x : y).admit('anhui-transport', [wide, narrow])).rejects.toMatchObject({ limit: 'rateLimit' });
      for (let i = 0; i < 2; i++) (await (i % 2 ? x : y).admit('anhui-transport', [wide])).release();
      await expect(y.admit('anhui-transport', [wide])).rejects.toMatchObject({ limit: 'rateLimit' });
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
  });

  it('grant a new bucket its burst once when many requests of both instances race to create it, and never answer a refusal with no wait', async () => {
    const [one, two] = [new Pool({ connectionString: databaseUrl, max: 4 }), new Pool({ connectionString: databaseUrl, max: 4 })];
    try {
      const [x, y] = [new SharedRateLimits(one), new SharedRateLimits(two)];
      const rate = { requestsPerSecond: 20, burst: 40 };
      const started = performance.now();
      const waits = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? x : y).take('TEST-RACED-BUCKET', rate)));
      const seconds = (performance.now() - started) / 1000;
      const granted = waits.filter((w) => w === 0).length;
      expect(granted).toBeGreaterThanOrEqual(40);
      expect(granted).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds) + 1);
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
  });

  it("hold an agreement's rate limit across both instances over HTTP", async () => {
    // CSJ-SH-2026-01: 20 requests per second, bursts of 40.
    const shanghai = { agency: 'shanghai-transport', roles: ['officer'] };
    const jwt = await mintDevToken(config.dataDir, agencies, shanghai);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const res = await fetch(i % 2 ? urlA : urlB, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}`, 'x-purpose': 'cross-region-enforcement' },
          body: JSON.stringify({ query: '{ vehicles(first: 1) { totalCount } }' }),
        });
        return (await res.json()) as { errors?: Array<{ extensions?: { limit?: string } }> };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // Only answers count: one the agency's concurrency slots turned away spent its token unanswered.
    const passed = answers.filter((a) => !a.errors?.length).length;
    expect(answers.filter((a) => a.errors?.[0]?.extensions?.limit === 'rateLimit').length).toBeGreaterThan(0);
    expect(passed).toBeLessThan(200);
    // One bucket: the burst plus the refill over the time taken, not twice that.
    expect(passed).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds) + 1);
  }, 60_000);

  it('answer a read held up by a lock past the statement timeout with 503 QUERY_TIMEOUT and Retry-After, not a hang', async () => {
    const c = startHubProcess(databaseUrl, { READ_STATEMENT_TIMEOUT_MS: '500' });
    const owner = ownerPool(databaseUrl);
    const client = await owner.connect();
    try {
      const url = await urlOf(c);
      await client.query('begin; lock table enterprise in access exclusive mode');
      const answer = await ask(url, await token());
      expect(answer).toMatchObject({ status: 503, code: 'QUERY_TIMEOUT', retryAfter: '2' });
      expect(answer.ms).toBeLessThan(3000);
    } finally {
      await client.query('rollback').catch(() => undefined);
      client.release();
      await owner.end();
      c.child.kill('SIGKILL');
    }
  }, 120_000);

  it('shed load past the read pool with 503 SERVICE_UNAVAILABLE and Retry-After after a bounded wait for a connection', async () => {
    // Statements wait on the lock long past the pool's wait, and no agency limit holds them back.
    const c = startHubProcess(databaseUrl, { READ_STATEMENT_TIMEOUT_MS: '20000', AGENCY_MAX_REQUESTS: '100', AGENCY_MAX_STATEMENTS: '100' });
    const owner = ownerPool(databaseUrl);
    const client = await owner.connect();
    try {
      const url = await urlOf(c);
      const tokens = await Promise.all(Array.from({ length: 30 }, () => token()));
      await client.query('begin; lock table enterprise in access exclusive mode');
      const pending = tokens.map((jwt) => ask(url, jwt));
      // Held long enough for the requests beyond the pool to give up waiting for a connection.
      await new Promise((resolve) => setTimeout(resolve, POOL_WAIT_MS + 2000));
      await client.query('rollback');
      const answers = await Promise.all(pending);
      const shed = answers.filter((r) => r.status === 503);
      expect(shed.length).toBeGreaterThan(0);
      for (const r of shed) expect(r).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfter: '2' });
      // Shed after the pool's wait, not after the lock went: bounded.
      for (const r of shed) expect(r.ms).toBeLessThan(POOL_WAIT_MS + 1500);
      expect(answers.every((r) => r.status === 200 || r.status === 503)).toBe(true);
      expect(answers.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    } finally {
      await client.query('rollback').catch(() => undefined);
      client.release();
      await owner.end();
      c.child.kill('SIGKILL');
    }
  }, 120_000);

  it('on SIGTERM finish the request in flight (answered and audited), refuse new ones, and exit 0', async () => {
    const c = startHubProcess(databaseUrl, { READ_STATEMENT_TIMEOUT_MS: '20000', SHUTDOWN_GRACE_MS: '10000' });
    const owner = ownerPool(databaseUrl);
    const client = await owner.connect();
    try {
      const url = await urlOf(c);
      const jwt = await token();
      await client.query('begin; lock table enterprise in access exclusive mode');
      const inFlight = ask(url, jwt);
      await new Promise((resolve) => setTimeout(resolve, 500));
      c.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      // No longer accepting: a new connection is refused.
      await expect(fetch(url.replace('/graphql', '/health'))).rejects.toThrow();
      await client.query('rollback');
      expect(await inFlight).toMatchObject({ status: 200 });
      expect(await c.exited).toBe(0);
      const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from audit_event where content->>'tokenId' = $1`, [jtiOf(jwt)]);
      expect(rows[0].n).toBe(1);
    } finally {
      await client.query('rollback').catch(() => undefined);
      client.release();
      await owner.end();
      c.child.kill('SIGKILL');
    }
  }, 120_000);

  it('leave signed heads from both instances that verify once both have stopped', async () => {
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
    const heads = await pool.query<{ n: number }>('select count(*)::int as n from audit_head_signature');
    expect(heads.rows[0].n).toBeGreaterThan(0);
    const key = loadOrCreateHubKey(config.dataDir);
    expect(await new AuditLog(pool).verify(new Map([[key.keyId, publicKeyOf(key)]]))).toMatchObject({ intact: true });
  }, 60_000);
});
