import { parse } from 'graphql';
import { Pool } from 'pg';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { estimateCost } from '../../src/graphql/query-limits';
import { COUNTED_ROWS_PER_COST_UNIT, captureDaysSpanned } from '../../src/graphql/list-pricing';
import { fixedStatistics, readTableStatistics, StatisticsCache, type TableStatistics } from '../../src/db/table-statistics';
import { execute } from '../support/graphql-client';
import { policeWithAllPlates } from '../support/all-plates';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * Counts and scans are priced by what they read: a `totalCount` over a month of captures costs
 * the rows it counts (estimated from the tables' statistics), not 1, so a request of thirty of
 * them is refused before any SQL; `count(upTo:)` reads at most its cap and says whether it is exact.
 */

/** The demo world's volume (`npm start`): ~1,000,000 captures over 30 days, 20,000 vehicles, ~100 checkpoints. */
const DEMO_VOLUME: TableStatistics = fixedStatistics(
  { vehicle: 20_000, enterprise: 2_000, checkpoint: 100, practitioner: 8_000, audit_event: 1_000_000 },
  33_333,
);

/** A fixed month for pricing; the world's own last 30 days for requests (set once the world is known). */
const MONTH = { from: '2026-10-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00' };
let worldMonth = MONTH;

/** Thirty month-long capture counts over the world's captures, each window an hour apart (aliases a0…a29). */
const thirtyCounts = (field: string) => `query ThirtyCounts {
  ${Array.from({ length: 30 }, (_, i) => {
    const to = new Date(Date.parse(worldMonth.to) - i * 3_600_000).toISOString();
    return `a${i}: checkpointCaptures(first: 0, filter: { from: "${worldMonth.from}", to: "${to}" }) { ${field} }`;
  }).join('\n  ')}
}`;

let t: TestHub;
let owner: Pool;
/** Counts over every plate: a police case officer under ALL_PLATES (what a case unlocks is tested in case-scope.test.ts). */
let allPlates: () => Promise<Record<string, string>>;
beforeAll(async () => {
  t = await startTestHub('priced_counts', { hub: { statistics: DEMO_VOLUME } });
  owner = new Pool({ connectionString: t.hub.db.url, max: 1 });
  const police = await policeWithAllPlates(t);
  allPlates = () => t.headersAs(police);
  const last = Math.max(...[...t.world.captures()].flat().map((c) => Date.parse(c.capturedAt)));
  worldMonth = { from: new Date(last + 1000 - 30 * 86_400_000).toISOString(), to: new Date(last + 1000).toISOString() };
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('pricing lists by what they read', () => {
  let schema: Awaited<ReturnType<typeof buildHubSchema>>;
  beforeAll(async () => {
    schema = await buildHubSchema(HUB_PARTS);
  });
  const cost = (source: string, statistics: TableStatistics = DEMO_VOLUME, variables?: Record<string, unknown>) =>
    estimateCost(schema, parse(source), undefined, variables, statistics);

  it('a month-long window spans 31 or 32 capture-day partitions (Beijing days), a day one', () => {
    expect(captureDaysSpanned(MONTH.from, MONTH.to)).toBe(31);
    expect(captureDaysSpanned('2026-10-01T12:00:00Z', '2026-10-02T12:00:00Z')).toBe(2);
    expect(captureDaysSpanned('2026-10-01T00:00:00+08:00', '2026-10-02T00:00:00+08:00')).toBe(1);
    expect(captureDaysSpanned('not a date', MONTH.to)).toBe(32);
  });

  it('a totalCount costs the rows it counts: days × captures per day, narrowed by a plate more than by a checkpoint', () => {
    const month = (filter: string, field = 'totalCount') =>
      cost(`{ checkpointCaptures(first: 0, filter: { from: "${MONTH.from}", to: "${MONTH.to}" ${filter} }) { ${field} } }`);
    const everything = month('');
    expect(everything).toBe(1 + Math.ceil((31 * 33_333) / COUNTED_ROWS_PER_COST_UNIT));
    const byCheckpoint = month(', checkpointCode: "320500-001"');
    const byPlate = month(', plateNumber: "苏E12345"');
    expect(byCheckpoint).toBeLessThan(everything / 50);
    expect(byPlate).toBeLessThan(byCheckpoint);
    // Without a count, the page is what is read.
    expect(month('', 'pageInfo { hasNextPage }')).toBeLessThan(10);
  });

  it('the window may come in variables, and a count in a fragment costs the same', () => {
    const direct = cost(`{ checkpointCaptures(filter: { from: "${MONTH.from}", to: "${MONTH.to}" }) { totalCount } }`);
    const viaVariables = cost(
      `query Q($w: CaptureFilterInput!) { checkpointCaptures(filter: $w) { ...C } } fragment C on CheckpointCaptureConnection { totalCount }`,
      DEMO_VOLUME,
      { w: MONTH },
    );
    expect(viaVariables).toBe(direct);
  });

  it('count(upTo:) costs at most its cap, and an unfiltered list costs the table it counts', () => {
    const capped = cost(`{ checkpointCaptures(first: 0, filter: { from: "${MONTH.from}", to: "${MONTH.to}" }) { count(upTo: 100) { value exact } } }`);
    expect(capped).toBeLessThan(20);
    const byDefault = cost(`{ checkpointCaptures(first: 0, filter: { from: "${MONTH.from}", to: "${MONTH.to}" }) { count { value } } }`);
    expect(byDefault).toBeLessThanOrEqual(2 + Math.ceil(10_001 / COUNTED_ROWS_PER_COST_UNIT));
    expect(cost('{ practitioners(first: 0) { totalCount } }')).toBe(1 + 8_000 / COUNTED_ROWS_PER_COST_UNIT);
    expect(cost('{ vehicles(first: 0, filter: { ownerUscc: "x" }) { totalCount } }')).toBeLessThan(5);
  });

  it("a provider's data-access report costs the audit events it reads, not 1", () => {
    const report = '{ dataAccessReport(source: "suzhou-psb", from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z") { consumerAgency operations } }';
    expect(cost(report)).toBeGreaterThan(1_000_000 / COUNTED_ROWS_PER_COST_UNIT);
    expect(cost(report, fixedStatistics({ audit_event: 2_000 }, 0))).toBeLessThan(1_000);
  });

  it("statistics come from PostgreSQL's own (reltuples, or live rows before the first ANALYZE), per capture-day partition", async () => {
    await owner.query('analyze');
    const statistics = await readTableStatistics(t.hub.db.pool);
    expect(statistics.rowsOf('vehicle')).toBe(t.world.vehicles.length);
    expect(statistics.rowsOf('checkpoint_capture')).toBe(t.world.captureCount);
    const { rows } = await owner.query<{ days: number }>(
      `select count(distinct (captured_at at time zone 'Asia/Shanghai')::date)::int as days from checkpoint_capture`,
    );
    expect(statistics.captureRowsPerDay).toBeCloseTo(t.world.captureCount / rows[0].days, 0);
  });

  it('a refresh that fails keeps the last statistics and reports the failure (pricing never falls back to nothing)', async () => {
    const pool = new Pool({ connectionString: t.hub.db.url, max: 1 });
    const failures: unknown[] = [];
    const cache = new StatisticsCache(pool, (error) => failures.push(error));
    const first = await cache.refresh();
    expect(first.rowsOf('vehicle')).toBe(t.world.vehicles.length);
    await pool.end();
    expect(await cache.refresh()).toBe(first);
    expect(cache.current).toBe(first);
    expect(failures).toHaveLength(1);
  });
});

describe('the thirty-count request', () => {
  it('is refused with QUERY_LIMIT_EXCEEDED before any SQL runs', async () => {
    const headers = await allPlates();
    const { result, statements } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, thirtyCounts('totalCount'), undefined, headers));
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost' }) })]);
    expect(statements).toBe(0);
  });

  it('asked with capped counts, is answered, each count saying whether it is exact', async () => {
    const result = await execute<Record<string, { count: { value: number; exact: boolean } }>, never>(
      t.hub.graphqlUrl,
      thirtyCounts('count(upTo: 5) { value exact }'),
      undefined,
      await allPlates(),
    );
    expect(result.errors).toBeUndefined();
    const counts = Object.values(result.data!).map((c) => c.count);
    expect(counts).toHaveLength(30);
    // The world's captures fill the month: more than five in each window, so none is exact.
    expect(counts.every((c) => c.value === 5 && c.exact === false)).toBe(true);
  });

  it('a capped count above what matches is exact and equals totalCount', async () => {
    const plate = t.world.vehicles[0];
    const filter = `{ from: "${worldMonth.from}", to: "${worldMonth.to}", plateNumber: "${plate.plateNumber}" }`;
    const result = await execute<{ checkpointCaptures: { totalCount: number; count: { value: number; exact: boolean } } }, never>(
      t.hub.graphqlUrl,
      `{ checkpointCaptures(first: 0, filter: ${filter}) { totalCount count(upTo: 100000) { value exact } } }`,
      undefined,
      await allPlates(),
    );
    expect(result.errors).toBeUndefined();
    const { totalCount, count } = result.data!.checkpointCaptures;
    expect(count).toEqual({ value: totalCount, exact: true });
  });

  it("a vehicle's captures take a capped count too (batched for all vehicles), and a cap out of range is refused", async () => {
    const v = t.world.vehicles[0];
    const result = await execute<{ vehicle: { captures: { totalCount: number; count: { value: number; exact: boolean } } } }, never>(
      t.hub.graphqlUrl,
      `{ vehicle(plateNumber: "${v.plateNumber}", plateColor: ${v.plateColor}) { captures(from: "${worldMonth.from}", to: "${worldMonth.to}") { totalCount count(upTo: 0) { value exact } } } }`,
      undefined,
      await allPlates(),
    );
    expect(result.errors).toBeUndefined();
    const { totalCount, count } = result.data!.vehicle.captures;
    expect(count).toEqual({ value: 0, exact: totalCount === 0 });
    const tooHigh = await execute(t.hub.graphqlUrl, `{ enterprises(first: 0) { count(upTo: 100001) { value } } }`);
    expect(tooHigh.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'upTo' });
  });
});
