import v8 from 'node:v8';
import vm from 'node:vm';
import { Pool } from 'pg';
import { cursorsSealed } from '../../src/read-kit/pagination/cursor';
import { QueryCounter } from '../../src/db/query-counter';
import { SqlClient, StatementNames } from '../../src/db/sql-client';
import { VehicleCapturesDocument } from '../generated/graphql';
import { policeWithAllPlates } from '../support/all-plates';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('readcosts');
});
afterAll(async () => {
  await t?.close();
});

type Vehicles = {
  vehicles: {
    edges: Array<{ cursor?: string; node: { plateNumber: string; plateColor: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  };
};

/** Runs `document` and returns its data and how many cursors the hub sealed meanwhile. */
async function sealsOf(document: string, variables: Record<string, unknown> = {}): Promise<{ data: Vehicles; seals: number }> {
  const before = cursorsSealed();
  const result = await execute<Vehicles, Record<string, unknown>>(t.hub.graphqlUrl, document, variables);
  expect(result.errors).toBeUndefined();
  return { data: result.data!, seals: cursorsSealed() - before };
}

describe('cursors are sealed only where selected', () => {
  it('a page that selects no cursor seals none', async () => {
    const { data, seals } = await sealsOf('{ vehicles(first: 20) { edges { node { plateNumber plateColor } } pageInfo { hasNextPage } } }');
    expect(data.vehicles.edges).toHaveLength(20);
    expect(seals).toBe(0);
  });

  it('pageInfo.endCursor alone seals one cursor, and that cursor continues the walk', async () => {
    const first = await sealsOf('{ vehicles(first: 7) { edges { node { plateNumber plateColor } } pageInfo { hasNextPage endCursor } } }');
    expect(first.seals).toBe(1);
    const next = await sealsOf(
      'query($after: String) { vehicles(first: 7, after: $after) { edges { cursor node { plateNumber plateColor } } pageInfo { hasNextPage endCursor } } }',
      { after: first.data.vehicles.pageInfo.endCursor },
    );
    // Every edge's cursor, the end cursor being the last edge's (sealed once for both).
    expect(next.seals).toBe(7);
    expect(next.data.vehicles.pageInfo.endCursor).toBe(next.data.vehicles.edges[6].cursor);
    const both = await sealsOf('{ vehicles(first: 14) { edges { node { plateNumber plateColor } } } }');
    const key = (e: { node: { plateNumber: string; plateColor: string } }) => `${e.node.plateNumber}|${e.node.plateColor}`;
    expect([...first.data.vehicles.edges, ...next.data.vehicles.edges].map(key)).toEqual(both.data.vehicles.edges.map(key));
    // An edge's cursor continues after that edge.
    const fromThird = await sealsOf('query($after: String) { vehicles(first: 2, after: $after) { edges { node { plateNumber plateColor } } } }', {
      after: next.data.vehicles.edges[2].cursor,
    });
    expect(fromThird.data.vehicles.edges.map(key)).toEqual(both.data.vehicles.edges.slice(10, 12).map(key));
  });
});

describe('read statements are prepared', () => {
  it('every statement a read sends is named, and the same shape keeps its name', async () => {
    const document = '{ vehicles(first: 30) { edges { node { plateNumber owner { name } } } } }';
    const run = () => t.hub.db.counter.capture(() => execute<Vehicles, Record<string, unknown>>(t.hub.graphqlUrl, document));
    const once = await run();
    const twice = await run();
    const reads = once.sent.filter((s) => s.text !== '');
    expect(reads.length).toBeGreaterThan(0);
    for (const statement of reads) expect(statement.name).toMatch(/^xt_/);
    expect(twice.sent.filter((s) => s.text !== '').map((s) => s.name)).toEqual(reads.map((s) => s.name));
    expect(twice.result.data).toEqual(once.result.data);
  });

  it('a connection prepares a shape once and runs it again by name, with the same answers', async () => {
    const pool = new Pool({ connectionString: t.hub.db.url, max: 1 });
    try {
      const client = new SqlClient(pool, new QueryCounter());
      const text = 'select plate_number from vehicle where plate_color = $1 and deleted_at is null order by plate_number limit 5';
      const first = await client.query(text, ['BLUE']);
      const again = await client.query(text, ['BLUE']);
      expect(again).toEqual(first);
      const prepared = await client.query<{ name: string }>('select name from pg_prepared_statements where statement = $1', [text]);
      expect(prepared.map((p) => p.name)).toEqual([new StatementNames().of(text)]);
      // Both runs executed the one prepared statement (PostgreSQL counts its executions' plans).
      const plans = await client.query<{ n: string }>('select generic_plans + custom_plans as n from pg_prepared_statements where statement = $1', [text]);
      expect(Number(plans[0].n)).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it('a pooled connection keeps nothing of the rows of the statement that opened it', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    const pool = new Pool({ connectionString: t.hub.db.url, max: 1 });
    try {
      const client = new SqlClient(pool, new QueryCounter());
      // In a function of its own, so no variable of the test holds the rows.
      const read = async () => new WeakRef(await client.query('select generate_series(1, 1000) as n'));
      const [opening, next] = [await read(), await read()];
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        collect();
      }
      expect(next.deref()).toBeUndefined();
      expect(opening.deref()).toBeUndefined();
    } finally {
      await pool.end();
    }
  });

  it('a connection lost in the middle of a statement fails the statement, not the process, and the pool goes on', async () => {
    const pool = new Pool({ connectionString: t.hub.db.url, max: 1 });
    pool.on('error', () => undefined);
    // Cut from this side, as a reset network would: pg-pool listens to a connection only while it is idle.
    pool.once('acquire', (connection) => {
      setTimeout(() => (connection as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy(), 200);
    });
    try {
      const client = new SqlClient(pool, new QueryCounter());
      await expect(client.query('select pg_sleep(5)')).rejects.toThrow();
      expect(await client.query<{ n: number }>('select 1 as n')).toEqual([{ n: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it("a vehicle's captures, planned once for every window, still read only the window's day partitions", async () => {
    const police = await policeWithAllPlates(t);
    const captures = [...t.world.captures()].flat();
    const end = Math.max(...captures.map((c) => Date.parse(c.capturedAt)));
    const [from, to] = [new Date(end - 3 * 86_400_000).toISOString(), new Date(end + 1).toISOString()];
    const registered = new Set(t.world.vehicles.map((v) => `${v.plateNumber}|${v.plateColor}`));
    const c = captures.find((x) => Date.parse(x.capturedAt) > Date.parse(from) && registered.has(`${x.plateNumber}|${x.plateColor}`))!;
    const variables = { plateNumber: c.plateNumber, plateColor: c.plateColor as never, from, to, first: 50 };
    const { sent, result } = await t.hub.db.counter.capture(async () =>
      execute(t.hub.graphqlUrl, VehicleCapturesDocument, variables, await t.headersAs(police)),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.vehicle!.captures.edges.length).toBeGreaterThan(0);
    const onCaptures = sent.filter((st) => /from checkpoint_capture/.test(st.text));
    // The page and its count.
    expect(onCaptures).toHaveLength(2);
    const partitions = Number(
      (await t.hub.db.pool.query<{ n: string }>("select count(*) as n from pg_inherits where inhparent = 'checkpoint_capture'::regclass")).rows[0].n,
    );
    expect(partitions).toBeGreaterThan(4);
    const client = await t.hub.db.pool.connect();
    try {
      // The plan PostgreSQL settles on for a prepared statement run often: one for all parameters.
      await client.query('set plan_cache_mode = force_generic_plan');
      for (const [i, statement] of onCaptures.entries()) {
        await client.query(`prepare pruned_${i} as ${statement.text}`);
        const args = statement.params.map((v) => (v === null ? 'null' : client.escapeLiteral(v instanceof Date ? v.toISOString() : String(v)))).join(', ');
        const plan = (await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off, timing off) execute pruned_${i}(${args})`)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        // Pruned as the executor starts: the window's (at most four) days are read, the others removed.
        const removed = Number(/Subplans Removed: (\d+)/.exec(plan)?.[1]);
        expect(removed).toBeGreaterThanOrEqual(partitions - 4);
        await client.query(`deallocate pruned_${i}`);
      }
    } finally {
      await client.query('reset plan_cache_mode');
      client.release();
    }
  });

  it('an aggregate is planned for its window every time: sent unnamed, so no generic plan is cached for it', async () => {
    // Why: see `aggregate` in the read gateway.
    const headers = await t.headersAs({ agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' });
    const document =
      '{ weighingStats(filter: { from: "2025-11-01T00:00:00+08:00", to: "2026-11-01T00:00:00+08:00" }, groupBy: [STATION, MONTH], measures: [COUNT, MAX_RATIO]) { source cells { count } } }';
    const runs = [];
    // More than the five custom plans after which PostgreSQL weighs a generic one.
    for (let i = 0; i < 7; i++) runs.push(await t.hub.db.counter.capture(() => execute(t.hub.graphqlUrl, document, {}, headers)));
    for (const run of runs) expect(run.result.errors).toBeUndefined();
    const aggregates = runs.flatMap((r) => r.sent.filter((s) => /from weighing_rollup/.test(s.text)));
    expect(aggregates).toHaveLength(7);
    for (const statement of aggregates) expect(statement.name).toBeUndefined();
    const pool = new Pool({ connectionString: t.hub.db.url, max: 1 });
    try {
      const client = new SqlClient(pool, new QueryCounter());
      const text = 'select plate_number from vehicle where plate_color = $1 and deleted_at is null order by plate_number limit 5';
      expect(await client.query(text, ['BLUE'], 'values')).toEqual(await client.query(text, ['BLUE']));
      const prepared = await client.query<{ name: string }>('select name from pg_prepared_statements where statement = $1', [text]);
      // Only the run planned per shape left a prepared statement.
      expect(prepared.map((p) => p.name)).toEqual([new StatementNames().of(text)]);
    } finally {
      await pool.end();
    }
  });

  it('past the cap a text runs unnamed, so the cache of a connection stays bounded', () => {
    const names = new StatementNames(2);
    expect(names.of('select 1')).toBeDefined();
    expect(names.of('select 2')).toBeDefined();
    expect(names.of('select 3')).toBeUndefined();
    expect(names.of('select 1')).toBe(names.of('select 1'));
  });
});
