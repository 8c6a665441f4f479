import { Pool } from 'pg';
import { cursorsSealed } from '../../src/read-kit/pagination/cursor';
import { QueryCounter } from '../../src/db/query-counter';
import { SqlClient, StatementNames } from '../../src/db/sql-client';
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

  it('past the cap a text runs unnamed, so the cache of a connection stays bounded', () => {
    const names = new StatementNames(2);
    expect(names.of('select 1')).toBeDefined();
    expect(names.of('select 2')).toBeDefined();
    expect(names.of('select 3')).toBeUndefined();
    expect(names.of('select 1')).toBe(names.of('select 1'));
  });
});
