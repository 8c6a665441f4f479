import { parse } from 'graphql';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { CaptureRecord, WeighingRecord } from '../../connectors/contract/canonical/records';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { estimateCost } from '../../src/graphql/query-limits';
import { fixedStatistics } from '../../src/db/table-statistics';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { commitBatch } from '../../src/sync/commit-batch';
import { commitCaptureBatch } from '../../src/sync/commit-capture-batch';
import { CAPTURE_GROUPS, captureAggregate } from '../../src/domains/checkpoint';
import { caseAggregate } from '../../src/domains/enforcement';
import { weighingAggregate } from '../../src/domains/weighing';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Traffic flow and weighing aggregates: flows per checkpoint for callers who never read a capture,
 * from the rollup; distinct plates exactly from the captures; weighings with overload measures.
 */

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const SHANGHAI: TestCaller = { agency: 'shanghai-transport', roles: ['analyst'], purpose: 'cross-region-enforcement' };
const K = 10;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestHub;
let captures: CaptureRecord[];
let window: { from: string; to: string };
const STATION = '320505-ZC-99';
const weighings: WeighingRecord[] = Array.from({ length: 12 }, (_, i) => ({
  sourceId: `WGT${i}`,
  stationCode: STATION,
  stationName: '测试治超站',
  stationDivisionCode: '320505',
  plateNumber: `苏E9${String(i).padStart(4, '0')}`,
  plateColor: 'YELLOW' as never,
  axleCount: 6,
  measuredTotalMassKg: 49000 + i * 100,
  limitKg: 49000,
  overloadKg: i % 3 === 0 ? 100 * i + 100 : 0,
  overloadRatio: i % 3 === 0 ? (100 * i + 100) / 49000 : 0,
  measuredAt: `2026-11-05T${String(8 + i).padStart(2, '0')}:00:00+08:00`,
  updatedAt: '2026-11-06T00:00:00+08:00',
}));

beforeAll(async () => {
  t = await startTestHub('flow_stats');
  const world = [...t.world.captures()].flat();
  // A dense hour at one checkpoint (a published unit) and a thin one beside it (withheld).
  const template = world[0];
  const start = Math.floor((Date.parse(template.capturedAt) + 8 * HOUR) / HOUR) * HOUR - 8 * HOUR;
  const dense = (n: number, offset: number, color: string): CaptureRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      ...template,
      serial: 900_000 + offset + i,
      plateNumber: `苏E8${String(offset + i).padStart(4, '0')}`,
      plateColor: color as never,
      capturedAt: new Date(start + 60_000 * (i + 1)).toISOString(),
      imageRef: `img://test/${offset + i}`,
    }));
  const added = [...dense(30, 0, 'BLUE'), ...dense(3, 100, 'GREEN')];
  await commitCaptureBatch(
    t.hub.db.pool,
    { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'flow-test' },
    {
      captures: added,
      quarantine: [],
      cursor: { test: 1 },
      expectedVersion: 0,
      runId: null,
    },
  );
  captures = [...world, ...added];
  const first = Math.min(...captures.map((c) => Date.parse(c.capturedAt)));
  const from = Math.floor((first + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  window = { from: new Date(from).toISOString(), to: new Date(from + 31 * DAY).toISOString() };
  expect(Math.max(...captures.map((c) => Date.parse(c.capturedAt)))).toBeLessThan(from + 31 * DAY);
  await commitBatch(
    t.hub.db.pool,
    { system: SourceSystem.TRANSPORT, stream: 'weighing-test' },
    {
      spec: RECORD_TABLES.weighing,
      records: weighings,
      quarantine: [],
      cursor: { test: 1 },
      expectedVersion: 0,
      runId: null,
    },
  );
});
afterAll(async () => {
  await t?.close();
});

const unitOf = (c: CaptureRecord) => {
  const hour = Math.floor(Date.parse(c.capturedAt) / HOUR);
  return `${hour}|${c.checkpointCode}|${c.direction}|${Array.from(c.plateNumber)[0]}|${c.plateColor}`;
};

/** The Beijing day of a capture, as a DAY key. */
const dayOf = (c: CaptureRecord) => new Date(Date.parse(c.capturedAt) + 8 * HOUR).toISOString().slice(0, 10);

/** Per cell (by default per checkpoint), from the records: captures in units of k or more, and the distinct plates among them. */
function expectedByCheckpoint(keyOf: (c: CaptureRecord) => string = (c) => c.checkpointCode, unitOf_: (c: CaptureRecord) => string = unitOf) {
  const units = new Map<string, CaptureRecord[]>();
  for (const c of captures) units.set(unitOf_(c), [...(units.get(unitOf_(c)) ?? []), c]);
  const cells = new Map<string, { count: number; plates: Set<string>; withheld: number }>();
  for (const unit of units.values()) {
    const cell = cells.get(keyOf(unit[0])) ?? { count: 0, plates: new Set<string>(), withheld: 0 };
    if (unit.length >= K) {
      cell.count += unit.length;
      for (const c of unit) cell.plates.add(`${c.plateNumber}|${c.plateColor}`);
    } else cell.withheld += unit.length;
    cells.set(keyOf(unit[0]), cell);
  }
  return [...cells.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, c]) => ({
      key,
      count: c.count || null,
      suppressed: c.count === 0,
      complete: c.withheld === 0,
      plates: c.count && c.plates.size >= K ? c.plates.size : null,
    }));
}

const FLOW = `query Flow($window: CaptureStatsWindowInput!, $groupBy: [CaptureGroupBy!]!, $measures: [CaptureMeasure!]) {
  captureStats(window: $window, groupBy: $groupBy, measures: $measures, first: 5000) {
    source k distinctMethod
    cells { keys { value } count suppressed complete values { measure value } }
  }
}`;

interface Cell {
  keys: Array<{ value: string }>;
  count: number | null;
  suppressed: boolean;
  complete: boolean;
  values: Array<{ measure: string; value: number | null }>;
}

async function flow(caller: TestCaller, variables: Record<string, unknown>) {
  return execute<{ captureStats: { source: string; k: number; distinctMethod: string | null; cells: Cell[] } }, Record<string, unknown>>(
    t.hub.graphqlUrl,
    FLOW,
    { window, ...variables },
    await t.headersAs(caller),
  );
}

describe('captureStats', () => {
  it('counts flows per checkpoint from the rollup, units of k or more only', async () => {
    const response = await flow(ANALYST, { groupBy: ['CHECKPOINT'] });
    expect(response.errors).toBeUndefined();
    const result = response.data!.captureStats;
    expect(result).toMatchObject({ source: 'ROLLUP', k: K, distinctMethod: null });
    expect(result.cells.map((c) => ({ key: c.keys[0].value, count: c.count, suppressed: c.suppressed, complete: c.complete }))).toEqual(
      expectedByCheckpoint().map(({ key, count, suppressed, complete }) => ({ key, count, suppressed, complete })),
    );
    expect(result.cells.some((c) => c.count !== null && c.count >= 30)).toBe(true);
  });

  it("takes any k an agreement may set, past the rollup count column's integers: every cell withheld, none refused", async () => {
    const groupings = [[CAPTURE_GROUPS.CHECKPOINT], Object.values(CAPTURE_GROUPS).filter((g) => g !== CAPTURE_GROUPS.DAY)];
    for (const groups of groupings) {
      const answer = await t.hub.reads.forRequest({}).aggregate({
        fact: captureAggregate,
        where: { capturedAt: { gte: new Date(window.from), lt: new Date(window.to) } },
        groups,
        unitReads: {},
        measures: [],
        k: 2 ** 31,
        first: 5000,
        order: 'KEYS',
      });
      expect(answer.source).toBe('ROLLUP');
      expect(answer.rows.length).toBeGreaterThan(0);
      expect(answer.rows.every((r) => r.count === null && r.withheld > 0)).toBe(true);
    }
  });

  it('keeps days and hours consistent with checkpoints: their published cells add up exactly', async () => {
    const byCheckpoint = (await flow(ANALYST, { groupBy: ['CHECKPOINT'] })).data!.captureStats.cells;
    for (const finer of [
      ['DAY', 'CHECKPOINT'],
      ['HOUR', 'CHECKPOINT'],
      ['CHECKPOINT', 'VEHICLE_CATEGORY'],
    ]) {
      const cells = (await flow(ANALYST, { groupBy: finer })).data!.captureStats.cells;
      const at = finer.indexOf('CHECKPOINT');
      for (const cell of byCheckpoint) {
        const below = cells.filter((c) => c.keys[at].value === cell.keys[0].value);
        expect(cell.count ?? 0).toBe(below.reduce((s, c) => s + (c.count ?? 0), 0));
      }
    }
  });

  it('keys hours and days in Beijing time, alike from the rollup and from the captures', async () => {
    // The dense hour the test added: 30 captures of one checkpoint, direction and colour.
    const dense = captures.find((c) => c.imageRef === 'img://test/0')!;
    const beijing = new Date(Date.parse(dense.capturedAt) + 8 * HOUR).toISOString();
    for (const [groupBy, key] of [
      [['HOUR', 'CHECKPOINT'], beijing.slice(0, 13)],
      [['DAY', 'CHECKPOINT'], beijing.slice(0, 10)],
    ] as const) {
      const rollup = (await flow(ANALYST, { groupBy })).data!.captureStats;
      expect(rollup.source).toBe('ROLLUP');
      const cell = rollup.cells.find((c) => c.keys[0].value === key && c.keys[1].value === dense.checkpointCode);
      expect(cell?.count).toBeGreaterThanOrEqual(30);
    }
    // DISTINCT_PLATES (per day and checkpoint only) is read from the captures: the same cells, counted from the base table.
    const rollup = (await flow(ANALYST, { groupBy: ['DAY', 'CHECKPOINT'] })).data!.captureStats;
    const base = (await flow(ANALYST, { groupBy: ['DAY', 'CHECKPOINT'], measures: ['COUNT', 'DISTINCT_PLATES'] })).data!.captureStats;
    expect([rollup.source, base.source]).toEqual(['ROLLUP', 'BASE']);
    const simple = (cells: Cell[]) => cells.map((c) => [c.keys.map((k) => k.value).join('|'), c.count, c.suppressed]);
    expect(simple(base.cells)).toEqual(simple(rollup.cells));
  });

  it('counts distinct plates exactly from the captures, per day and checkpoint, and says so', async () => {
    const result = (await flow(ANALYST, { groupBy: ['DAY', 'CHECKPOINT'], measures: ['COUNT', 'DISTINCT_PLATES'] })).data!.captureStats;
    expect(result).toMatchObject({ source: 'BASE', distinctMethod: 'EXACT' });
    const expected = expectedByCheckpoint((c) => `${dayOf(c)}|${c.checkpointCode}`);
    expect(result.cells.map((c) => ({ key: c.keys.map((k) => k.value).join('|'), plates: c.values[1].value }))).toEqual(
      expected.map(({ key, plates }) => ({ key, plates })),
    );
    // The dense hour's thirty vehicles are published; the day's three green plates (a unit below k) are not among them.
    expect(expected.some((c) => c.plates !== null && c.plates >= 30)).toBe(true);
  });

  it('refuses distinct plates over windows or groupings whose difference would show a single vehicle', async () => {
    // The attack: distinct plates over a window, then the same window one hour longer; their
    // difference said whether one vehicle appeared in that hour. Only whole days are counted now.
    const day = Date.parse(window.from);
    const distinct = (variables: Record<string, unknown>) => flow(ANALYST, { groupBy: ['DAY', 'CHECKPOINT'], measures: ['DISTINCT_PLATES'], ...variables });
    const longer = await distinct({ window: { from: window.from, to: new Date(day + DAY + HOUR).toISOString() } });
    expect(longer.data).toBeNull();
    expect(longer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'window.to' });
    // Coarser groupings (their totals minus the day-and-checkpoint cells count vehicles seen twice) and one direction of two: refused.
    for (const [variables, argument] of [
      [{ groupBy: ['CHECKPOINT'] }, 'groupBy'],
      [{ groupBy: ['DAY'] }, 'groupBy'],
      [{ groupBy: ['HOUR', 'CHECKPOINT'] }, 'groupBy'],
      [{ window: { ...window, direction: 'NORTHBOUND' } }, 'window.direction'],
    ] as const) {
      const refused = await distinct(variables);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    // Two accepted windows, one a day longer: every cell of the shorter is in the longer, unchanged,
    // and the longer adds only whole cells of its last day, each published on its own (k or more) or null.
    const all = (await distinct({})).data!.captureStats.cells;
    const firstDay = [...new Set(all.filter((c) => c.count !== null).map((c) => c.keys[0].value))].sort()[0];
    const start = Date.parse(`${firstDay}T00:00:00+08:00`);
    const one = (await distinct({ window: { from: new Date(start).toISOString(), to: new Date(start + DAY).toISOString() } })).data!.captureStats.cells;
    const two = (await distinct({ window: { from: new Date(start).toISOString(), to: new Date(start + 2 * DAY).toISOString() } })).data!.captureStats.cells;
    expect(one.length).toBeGreaterThan(0);
    const keyOf = (c: Cell) => c.keys.map((k) => k.value).join('|');
    for (const cell of one) expect(two.find((c) => keyOf(c) === keyOf(cell))).toEqual(cell);
    for (const cell of two.filter((c) => !one.some((o) => keyOf(o) === keyOf(c)))) {
      expect(cell.keys[0].value).not.toBe(firstDay);
      expect(cell.values[0].value === null || cell.values[0].value >= K).toBe(true);
    }
  });

  it('gives a peer bureau flows per checkpoint and hour without a capture, and nothing it was not granted', async () => {
    const ok = await flow(SHANGHAI, { groupBy: ['CHECKPOINT', 'HOUR'] });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.captureStats.cells.length).toBeGreaterThan(0);
    const province = await flow(SHANGHAI, { groupBy: ['PLATE_PROVINCE'] });
    expect(province.status).toBe(403);
    expect(JSON.stringify(province.errors)).toContain('captureStats(groupBy:PLATE_PROVINCE)');
    const plates = await flow(SHANGHAI, { groupBy: [], measures: ['DISTINCT_PLATES'] });
    expect(JSON.stringify(plates.errors)).toContain('captureStats(measures:DISTINCT_PLATES)');
    const rows = await execute(
      t.hub.graphqlUrl,
      `{ checkpointCaptures(first: 1, filter: { from: "${window.from}", to: "${window.to}" }) { totalCount } }`,
      undefined,
      await t.headersAs(SHANGHAI),
    );
    expect(rows.status).toBe(403);
  });

  it('counts a peer bureau’s flows in units of the hour, checkpoint and direction it may read, from the rollup', async () => {
    // Its grant reads no plate: units merge plate provinces and colours, so the dense hour's three
    // green captures (a unit under k for the analyst) count with the thirty blue ones, as do the
    // hour's other captures of that checkpoint and direction.
    const peer = (await flow(SHANGHAI, { groupBy: ['CHECKPOINT'] })).data!.captureStats;
    expect(peer.source).toBe('ROLLUP');
    const coarse = (c: CaptureRecord) => `${Math.floor(Date.parse(c.capturedAt) / HOUR)}|${c.checkpointCode}|${c.direction}`;
    const simple = (cells: Cell[]) => cells.map((c) => ({ key: c.keys[0].value, count: c.count, suppressed: c.suppressed, complete: c.complete }));
    const expected = expectedByCheckpoint(undefined, coarse).map(({ key, count, suppressed, complete }) => ({ key, count, suppressed, complete }));
    expect(simple(peer.cells)).toEqual(expected);
    const dense = captures.find((c) => c.imageRef === 'img://test/0')!;
    const hour = new Date(Date.parse(dense.capturedAt) + 8 * HOUR).toISOString().slice(0, 13);
    const cell = async (caller: TestCaller) =>
      (await flow(caller, { groupBy: ['HOUR', 'CHECKPOINT'] })).data!.captureStats.cells.find(
        (c) => c.keys[0].value === hour && c.keys[1].value === dense.checkpointCode,
      );
    const inUnit = captures.filter((c) => coarse(c) === coarse(dense)).length;
    expect(inUnit).toBeGreaterThanOrEqual(33);
    expect((await cell(SHANGHAI))?.count).toBe(inUnit);
    expect((await cell(ANALYST))?.count).toBeLessThanOrEqual(inUnit - 3);
  });

  it('refuses windows that are unbounded or cut an hour, before anything runs', async () => {
    const long = await flow(ANALYST, { groupBy: [], window: { from: window.from, to: new Date(Date.parse(window.from) + 40 * DAY).toISOString() } });
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'window.to' });
    const cut = await flow(ANALYST, { groupBy: [], window: { from: new Date(Date.parse(window.from) + 60_000).toISOString(), to: window.to } });
    expect(cut.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'window.from' });
  });

  it('is priced by the rows it reads: a month of flows from the rollup is affordable, the same from the captures is not', async () => {
    const schema = await buildHubSchema(HUB_PARTS);
    const statistics = fixedStatistics({ checkpoint_capture: 1_000_000, capture_rollup: 50_000 }, 33_333);
    const month = `{ from: "2026-10-01T00:00:00+08:00", to: "2026-10-31T00:00:00+08:00" }`;
    const cost = (measures: string, first: number) =>
      estimateCost(
        schema,
        parse(`{ captureStats(window: ${month}, groupBy: [CHECKPOINT], measures: ${measures}, first: ${first}) { cells { count } } }`),
        undefined,
        {},
        statistics,
      );
    expect(cost('[COUNT]', 100)).toBeLessThan(50_000);
    expect(cost('[COUNT, DISTINCT_PLATES]', 100)).toBeGreaterThan(50_000);
    expect(cost('[COUNT]', 1000)).toBeGreaterThan(cost('[COUNT]', 100));
  });
});

describe('weighingStats', () => {
  it('counts weighings, overloads, their rate and the largest ratio per station and day', async () => {
    const response = await execute<{ weighingStats: { source: string; cells: Cell[] } }, Record<string, unknown>>(
      t.hub.graphqlUrl,
      `query W { weighingStats(filter: { from: "2026-11-01T00:00:00+08:00", to: "2026-12-01T00:00:00+08:00", stationCode: "${STATION}" },
        groupBy: [STATION, DAY, AXLES], measures: [COUNT, OVERLOADED, OVERLOAD_RATE, MAX_RATIO]) { source cells { keys { value } count values { measure value } } } }`,
      undefined,
      await t.headersAs(ANALYST),
    );
    expect(response.errors).toBeUndefined();
    const overloaded = weighings.filter((w) => w.overloadKg > 0);
    expect(response.data!.weighingStats).toEqual({
      source: 'ROLLUP',
      cells: [
        {
          keys: [{ value: STATION }, { value: '2026-11-05' }, { value: '6' }],
          count: 12,
          values: [
            { measure: 'COUNT', value: 12 },
            { measure: 'OVERLOADED', value: overloaded.length },
            { measure: 'OVERLOAD_RATE', value: overloaded.length / 12 },
            { measure: 'MAX_RATIO', value: Math.max(...weighings.map((w) => w.overloadRatio)) },
          ],
        },
      ],
    });
  });
});

describe('rollups read as units', () => {
  it('are those whose primary key is the units’ columns: one row per unit, so no grouping is needed', async () => {
    for (const fact of [captureAggregate, weighingAggregate, caseAggregate] as const) {
      const rollup = fact.rollup!;
      const key = await t.hub.db.pool.query<{ column: string }>(
        `select a.attname as column from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
         where i.indrelid = $1::regclass and i.indisprimary`,
        [rollup.table],
      );
      const units = Object.values(fact.units).map((u: { rollup?: string }) => /^r\.(\w+)$/.exec(u.rollup ?? '')?.[1] ?? null);
      const keyed =
        units.every((c) => c !== null) &&
        [...units].sort().join() ===
          key.rows
            .map((r) => r.column)
            .sort()
            .join();
      expect({ table: rollup.table, rowsAreUnits: rollup.rowsAreUnits ?? false }).toEqual({ table: rollup.table, rowsAreUnits: keyed });
    }
    expect(captureAggregate.rollup?.rowsAreUnits).toBe(true);
  });
});
