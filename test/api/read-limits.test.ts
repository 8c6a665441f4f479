import { Pool } from 'pg';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * One consumer cannot starve the others: every read statement has a timeout (answered
 * `QUERY_TIMEOUT`, 503, no SQL), each agency has its own request and statement slots on the read
 * pool (over them: 429 `QUERY_LIMIT_EXCEEDED` with `Retry-After`), and an agreement may carry a
 * token-bucket rate limit.
 */

const AMR: TestCaller = { agency: 'suzhou-amr', roles: ['officer'], subject: 'amr-1', purpose: 'joint-inspection' };
const SHANGHAI: TestCaller = { agency: 'shanghai-transport', roles: ['officer'], subject: 'sh-1', purpose: 'cross-region-enforcement' };

/** Runs `sql` in a transaction of the tables' owner and keeps it open (its locks held) until `release`. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function holdLock(pool: Pool, sql: string): Promise<{ release(): Promise<void> }> {
  const client = await pool.connect();
  await client.query('begin');
  await client.query(sql);
  return {
    async release() {
      await client.query('rollback');
      client.release();
    },
  };
}

describe('statement timeout and per-agency request slots', () => {
  let t: TestHub;
  let owner: Pool;
  beforeAll(async () => {
    t = await startTestHub('read_limits', {
      env: { READ_STATEMENT_TIMEOUT_MS: '1500', AGENCY_MAX_REQUESTS: '1', AGENCY_QUEUE_WAIT_MS: '200' },
    });
    owner = new Pool({ connectionString: t.hub.db.url, max: 2 });
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  it('a read past the statement timeout is cancelled and answered QUERY_TIMEOUT with 503, no SQL in the answer', async () => {
    const lock = await holdLock(owner, 'lock table enterprise in access exclusive mode');
    try {
      const started = Date.now();
      const result = await execute(t.hub.graphqlUrl, '{ enterprises(first: 1) { edges { node { name } } } }');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.status).toBe(503);
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TIMEOUT']);
      expect(result.errors?.[0].message).toMatch(/took longer than 1500 ms/);
      expect(result.raw).not.toMatch(/select|from "?enterprise|statement timeout|canceling/i);
    } finally {
      await lock.release();
    }
    // Later reads are unaffected.
    expect((await execute(t.hub.graphqlUrl, '{ enterprises(first: 1) { totalCount } }')).status).toBe(200);
  });

  it("a request over its agency's slots waits briefly, then gets 429 with Retry-After; another agency is still served", async () => {
    const lock = await holdLock(owner, 'lock table enterprise in access exclusive mode');
    let slow: Promise<unknown> = Promise.resolve();
    try {
      // The officer's agency's one slot is taken by a read waiting on the lock.
      slow = execute(t.hub.graphqlUrl, '{ enterprises(first: 1) { edges { node { name } } } }');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await fetch(t.hub.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await t.headersAs({ agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' })) },
        body: JSON.stringify({ query: '{ myAccess { agency } }' }),
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown>; message: string }> };
      expect(body.errors[0].extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'agencyConcurrency', retryAfterSeconds: 1 });
      // Another agency has its own slots.
      const other = await execute(t.hub.graphqlUrl, '{ myAccess { agency } }', undefined, await t.headersAs(AMR));
      expect(other.status).toBe(200);
      expect(other.data).toEqual({ myAccess: { agency: 'suzhou-amr' } });
    } finally {
      await lock.release();
      await slow;
    }
    // The slot came back when the slow request ended.
    expect((await execute(t.hub.graphqlUrl, '{ myAccess { agency } }')).status).toBe(200);
  });
});

describe('agreement rate limits and fairness between agencies', () => {
  let t: TestHub;
  beforeAll(async () => {
    // A deployment sizes an agency's statement slots to the database's cores: on this shared
    // 2-core machine, one, so a saturating agency keeps at most one core busy.
    t = await startTestHub('read_fairness', { size: 0.1, env: { AGENCY_MAX_STATEMENTS: '1' } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("an agreement's token bucket (Shanghai: 20 per second, bursts of 40) refuses the excess with 429 and Retry-After", async () => {
    const headers = await Promise.all(Array.from({ length: 150 }, () => t.headersAs(SHANGHAI)));
    const responses = await Promise.all(
      headers.map((h) =>
        fetch(t.hub.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...h },
          body: JSON.stringify({ query: '{ myAccess { agency } }' }),
        }),
      ),
    );
    const refused = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(refused.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    const limits = await Promise.all(
      refused.map(async (r) => ((await r.json()) as { errors: Array<{ extensions: Record<string, unknown> }> }).errors[0].extensions),
    );
    expect(limits.every((e) => e.code === 'QUERY_LIMIT_EXCEEDED')).toBe(true);
    // However slowly this machine sends them, 150 requests cannot all fit a bucket of 40 refilled at 20 a second unless their verification takes over 5 s.
    expect(limits.filter((e) => e.limit === 'rateLimit').length).toBeGreaterThanOrEqual(5);
    // Refused requests read nothing, but leave a trace: counted per agency and limit, not chained one by one.
    const before = Number((await t.hub.db.pool.query<{ n: string }>('select count(*) as n from audit_event')).rows[0].n);
    await t.hub.flushRefusalCounts();
    const { rows } = await t.hub.db.pool.query<{ content: { agency: string; refusal: string; refused: { count: number } } }>(
      "select content from audit_event where content->>'refusal' like 'QUERY_LIMIT_EXCEEDED:%' and content->>'agency' = 'shanghai-transport'",
    );
    expect(rows.reduce((sum, r) => sum + r.content.refused.count, 0)).toBe(refused.length);
    const after = Number((await t.hub.db.pool.query<{ n: string }>('select count(*) as n from audit_event')).rows[0].n);
    expect(after - before).toBeLessThanOrEqual(2);
  });

  it("a second agency's lookup p50 stays within 2× of idle while one agency saturates its own limit", async () => {
    const uscc = t.world.enterprises.map((e) => e.uscc);
    const lookups = async (n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const headers = await t.headersAs(AMR);
        const started = performance.now();
        const result = await execute(t.hub.graphqlUrl, `{ enterprise(uscc: "${uscc[i % uscc.length]}") { name status } }`, undefined, headers);
        times.push(performance.now() - started);
        expect(result.status).toBe(200);
      }
      return times;
    };
    await lookups(5);
    // Agency A: the month's captures counted eight times over per request, from 16 clients at once, without pause.
    const captures = [...t.world.captures()].flat().map((c) => Date.parse(c.capturedAt));
    const end = Math.max(...captures) + 1000;
    const heavy = `{ ${Array.from({ length: 8 }, (_, i) => `c${i}: checkpointCaptures(first: 0, filter: { from: "${new Date(end - 30 * 86_400_000 + i * 1000).toISOString()}", to: "${new Date(end).toISOString()}" }) { totalCount }`).join(' ')} }`;
    const statuses = new Map<number, number>();
    const round = async () => {
      const idleBefore = median(await lookups(20));
      let running = true;
      const client = async () => {
        while (running) {
          const result = await execute(t.hub.graphqlUrl, heavy);
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        }
      };
      const clients = Array.from({ length: 16 }, client);
      let loaded: number;
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        loaded = median(await lookups(20));
      } finally {
        running = false;
        await Promise.all(clients);
      }
      // Idle is measured on both sides of the load, so a machine that other work slows meanwhile
      // (2 shared cores) does not count against the hub.
      const idle = Math.max(idleBefore, median(await lookups(20)));
      process.stdout.write(`lookup p50: idle ${idle.toFixed(1)} ms, while another agency saturates its limit ${loaded.toFixed(1)} ms\n`);
      return loaded <= 2 * idle + 20;
    };
    // Without per-agency slots the loaded p50 is in the seconds in every round (every read-pool
    // connection busy with A's counts); with them it is near idle. A round that another test
    // file's work on the same two cores disturbed is measured again, at most twice.
    let fair = false;
    for (let attempt = 0; attempt < 3 && !fair; attempt++) fair = await round();
    expect(fair).toBe(true);
    // A was served (its own share), and refused only by its own limits.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].every((s) => s === 200 || s === 429)).toBe(true);
  }, 120_000);
});
