import type { Pool } from 'pg';
import { SourceSystem, CaseStatus } from '../../connectors/contract/canonical/codes';
import type { EnforcementCaseRecord } from '../../connectors/contract/canonical/records';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { commitBatch } from '../../src/sync/commit-batch';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Case aggregates: cells are sums over units (month × division × code) of at least k cases, so no
 * difference of two answers — other groupings, other windows, totals — recovers a small unit; the
 * rollup answers when the caller's row scope fits it, the cases themselves otherwise.
 */

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const DISTRICT: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['320505'], purpose: 'case-investigation' };
const SHANGHAI: TestCaller = { agency: 'shanghai-transport', roles: ['analyst'], purpose: 'cross-region-enforcement' };
const REGULATOR: TestCaller = { agency: 'suzhou-amr', roles: ['analyst'], purpose: 'random-inspection' };

const WINDOW = { from: '2026-11-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };
const K = 5;

/** The cases the test adds, as (month, division, code, how many, plate prefix): every unit size around k. */
const UNITS: Array<[string, string, string, number, string]> = [
  ['2026-11', '320505', 'T1001', 7, '苏E'],
  ['2026-11', '320505', 'T2002', 2, '苏E'],
  ['2026-11', '320506', 'T1001', 6, '沪A'],
  ['2026-12', '320506', 'T1001', 3, '沪A'],
  ['2026-12', '320506', 'T2002', 5, '沪A'],
  ['2026-11', '320508', 'T3003', 1, '苏E'],
];

function casesOf(): EnforcementCaseRecord[] {
  let n = 0;
  return UNITS.flatMap(([month, division, code, count, plate]) =>
    Array.from({ length: count }, (_, i): EnforcementCaseRecord => {
      n += 1;
      return {
        caseNumber: `苏E交执〔2026〕9${String(n).padStart(4, '0')}号`,
        violationCode: code,
        violationType: 'test',
        partyUscc: null,
        partyIdNumber: null,
        vehiclePlateNumber: `${plate}9${String(n).padStart(4, '0')}`,
        vehiclePlateColor: null,
        occurredAt: `${month}-${String(2 + i).padStart(2, '0')}T10:00:00+08:00`,
        divisionCode: division,
        status: CaseStatus.CLOSED,
        penaltyAmountYuan: 100 * n,
        transferredToPolice: n % 2 === 0,
        decidedAt: null,
        transferredAt: null,
        receivingPoliceUnit: null,
        summary: 'test',
        updatedAt: '2026-12-20T10:00:00+08:00',
      };
    }),
  );
}

const added = casesOf();

/** What a caller seeing `visible` of the added cases should get, computed here from the records. */
function expected(visible: (c: EnforcementCaseRecord) => boolean, key: (c: EnforcementCaseRecord) => string) {
  const units = new Map<string, EnforcementCaseRecord[]>();
  for (const c of added.filter(visible)) {
    const unit = `${c.occurredAt.slice(0, 7)}|${c.divisionCode}|${c.violationCode}`;
    units.set(unit, [...(units.get(unit) ?? []), c]);
  }
  const cells = new Map<string, { count: number; withheld: number; fines: number }>();
  for (const cases of units.values()) {
    const cell = cells.get(key(cases[0])) ?? { count: 0, withheld: 0, fines: 0 };
    if (cases.length >= K) {
      cell.count += cases.length;
      cell.fines += cases.reduce((s, c) => s + (c.penaltyAmountYuan ?? 0), 0);
    } else cell.withheld += cases.length;
    cells.set(key(cases[0]), cell);
  }
  return [...cells.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, c]) => ({
      key: k,
      count: c.count === 0 ? null : c.count,
      suppressed: c.count === 0,
      complete: c.withheld === 0,
      fines: c.count === 0 ? null : c.fines,
    }));
}

const QUERY = `query CaseStats($groupBy: [CaseGroupBy!]!, $measures: [CaseMeasure!]!, $from: DateTime!, $to: DateTime!, $first: Int) {
  caseStats(filter: { from: $from, to: $to }, groupBy: $groupBy, measures: $measures, first: $first) {
    source k suppressedCells truncated
    cells { keys { dimension value } count suppressed complete values { measure value } }
  }
}`;

interface Cell {
  keys: Array<{ dimension: string; value: string }>;
  count: number | null;
  suppressed: boolean;
  complete: boolean;
  values: Array<{ measure: string; value: number | null }>;
}
interface Stats {
  caseStats: { source: string; k: number; suppressedCells: number; truncated: boolean; cells: Cell[] };
}

let t: TestHub;
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('case_stats');
  owner = ownerPool(t.hub.db.url);
  // Through the sync's own commit: the rollup follows in the batch's transaction.
  await commitBatch(
    t.hub.db.pool,
    { system: SourceSystem.TRANSPORT, stream: 'case-stats-test' },
    {
      spec: RECORD_TABLES.enforcementCase,
      records: added,
      quarantine: [],
      cursor: { test: 1 },
      expectedVersion: 0,
      runId: null,
    },
  );
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

async function stats(caller: TestCaller, variables: Record<string, unknown>) {
  return execute<Stats, Record<string, unknown>>(
    t.hub.graphqlUrl,
    QUERY,
    { ...WINDOW, measures: ['COUNT', 'SUM_FINE'], ...variables },
    await t.headersAs(caller),
  );
}

const simple = (cells: Cell[]) =>
  cells.map((c) => ({
    key: c.keys.map((k) => k.value).join('|'),
    count: c.count,
    suppressed: c.suppressed,
    complete: c.complete,
    fines: c.values.find((v) => v.measure === 'SUM_FINE')?.value ?? null,
  }));

describe('caseStats', () => {
  it('publishes units of k or more cases, suppresses cells made only of smaller ones, from the rollup', async () => {
    const response = await stats(ANALYST, { groupBy: ['MONTH', 'DIVISION', 'VIOLATION_CODE'] });
    expect(response.errors).toBeUndefined();
    const result = response.data!.caseStats;
    expect(result).toMatchObject({ source: 'ROLLUP', k: K, truncated: false });
    const all = () => true;
    expect(simple(result.cells)).toEqual(expected(all, (c) => `${c.occurredAt.slice(0, 7)}|${c.divisionCode}|${c.violationCode}`));
    expect(result.suppressedCells).toBe(UNITS.filter((u) => u[3] < K).length);
  });

  it('keeps every coarser level and the total consistent with the finer one: differencing recovers nothing', async () => {
    const fine = simple((await stats(ANALYST, { groupBy: ['MONTH', 'DIVISION', 'VIOLATION_CODE'] })).data!.caseStats.cells);
    for (const [groupBy, keyOf] of [
      [['DIVISION'], (k: string) => k.split('|')[1]],
      [['MONTH'], (k: string) => k.split('|')[0]],
      [['DIVISION', 'VIOLATION_CODE'], (k: string) => k.split('|').slice(1).join('|')],
      [[], () => ''],
    ] as const) {
      const coarse = simple((await stats(ANALYST, { groupBy })).data!.caseStats.cells);
      for (const cell of coarse) {
        const below = fine.filter((f) => keyOf(f.key) === cell.key);
        // A coarse cell is exactly the sum of the published fine cells below it: subtracting them
        // leaves zero, never a suppressed unit.
        const published = below.reduce((s, f) => s + (f.count ?? 0), 0);
        expect(cell.count ?? 0).toBe(published);
        expect(cell.fines ?? 0).toBe(below.reduce((s, f) => s + (f.fines ?? 0), 0));
        expect(cell.complete).toBe(below.every((f) => f.complete && !f.suppressed));
      }
    }
    // Across windows: November alone and November–December differ by December's published units only.
    const both = simple((await stats(ANALYST, { groupBy: ['DIVISION'] })).data!.caseStats.cells);
    const november = simple((await stats(ANALYST, { groupBy: ['DIVISION'], to: '2026-12-01T00:00:00+08:00' })).data!.caseStats.cells);
    const december = simple((await stats(ANALYST, { groupBy: ['DIVISION'], from: '2026-12-01T00:00:00+08:00' })).data!.caseStats.cells);
    for (const cell of both) {
      const n = november.find((c) => c.key === cell.key)?.count ?? 0;
      const d = december.find((c) => c.key === cell.key)?.count ?? 0;
      expect((cell.count ?? 0) - n).toBe(d);
    }
    // 320506 had 3 cases in December's T1001 unit: no difference shows them.
    expect(both.find((c) => c.key === '320506')!.count).toBe(6 + 5);
  });

  it('counts within the caller’s row scope: a district officer from the rollup, a peer bureau from the cases', async () => {
    const district = (await stats(DISTRICT, { groupBy: ['DIVISION'], measures: ['COUNT'] })).data!.caseStats;
    expect(district.source).toBe('ROLLUP');
    expect(district.cells.map((c) => c.keys[0].value)).toEqual(['320505']);
    const shanghai = await stats(SHANGHAI, { groupBy: ['VIOLATION_CODE'], measures: ['COUNT'] });
    expect(shanghai.errors).toBeUndefined();
    expect(shanghai.data!.caseStats.source).toBe('BASE');
    expect(simple(shanghai.data!.caseStats.cells).map(({ key, count, suppressed }) => ({ key, count, suppressed }))).toEqual(
      expected(
        (c) => c.vehiclePlateNumber!.startsWith('沪'),
        (c) => c.violationCode,
      ).map(({ key, count, suppressed }) => ({ key, count, suppressed })),
    );
  });

  it('says in the response’s extensions which tables answered each aggregate, by its response key, selected or not', async () => {
    const sources = async (caller: TestCaller, query: string) => {
      const response = await execute(t.hub.graphqlUrl, query, WINDOW, await t.headersAs(caller));
      return { errors: response.errors, extensions: (JSON.parse(response.raw) as { extensions?: Record<string, unknown> }).extensions };
    };
    const window = 'filter: { from: $from, to: $to }';
    const both = await sources(
      ANALYST,
      `query($from: DateTime!, $to: DateTime!) { byDivision: caseStats(${window}, groupBy: [DIVISION]) { k } caseStats(${window}) { source } }`,
    );
    expect(both.errors).toBeUndefined();
    expect(both.extensions).toEqual({ aggregateSources: { byDivision: 'ROLLUP', caseStats: 'ROLLUP' } });
    // The peer bureau's row scope (plates of its province) is not in the rollup: the cases answer.
    const peer = await sources(SHANGHAI, `query($from: DateTime!, $to: DateTime!) { caseStats(${window}, groupBy: [VIOLATION_CODE]) { k } }`);
    expect(peer.extensions).toEqual({ aggregateSources: { caseStats: 'BASE' } });
    // A refusal says nothing of how what it withheld would have been computed.
    const refused = await sources(SHANGHAI, `query($from: DateTime!, $to: DateTime!) { caseStats(${window}, groupBy: [DIVISION]) { k } }`);
    expect(refused.errors).toBeDefined();
    expect(refused.extensions?.aggregateSources).toBeUndefined();
  });

  it('refuses, before anything runs, a grouping, measure or type the agreement does not grant, and bad windows', async () => {
    const division = await stats(SHANGHAI, { groupBy: ['DIVISION'], measures: ['COUNT'] });
    expect(division.status).toBe(403);
    expect(division.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(division.errors)).toContain('caseStats(groupBy:DIVISION)');
    const fine = await stats(SHANGHAI, { groupBy: [], measures: ['SUM_FINE'] });
    expect(JSON.stringify(fine.errors)).toContain('caseStats(measures:SUM_FINE)');
    const regulator = await stats(REGULATOR, { groupBy: [] });
    expect(regulator.status).toBe(403);
    const misaligned = await stats(ANALYST, { groupBy: [], from: '2026-11-03T00:00:00+08:00' });
    expect(misaligned.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.from' });
    const unbounded = await stats(ANALYST, { groupBy: [], from: '2020-01-01T00:00:00+08:00' });
    expect(unbounded.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.to' });
    const notApplicable = await stats(ANALYST, { groupBy: [], measures: ['MAX_RATIO'] });
    expect(notApplicable.status).toBe(400);
  });

  it('orders cells as asked — largest count first, suppressed last, then by keys — and stops at first', async () => {
    const ordered = `query($first: Int, $orderBy: AggregateSort) {
      caseStats(filter: { from: "${WINDOW.from}", to: "${WINDOW.to}" }, groupBy: [MONTH, DIVISION, VIOLATION_CODE], measures: [COUNT], first: $first, orderBy: $orderBy) {
        truncated cells { keys { value } count }
      }
    }`;
    const headers = await t.headersAs(ANALYST);
    const run = (variables: Record<string, unknown>) =>
      execute<{ caseStats: { truncated: boolean; cells: Cell[] } }, Record<string, unknown>>(t.hub.graphqlUrl, ordered, variables, headers);
    const key = (c: Pick<Cell, 'keys'>) => c.keys.map((k) => k.value).join('|');
    const byCount = await run({ orderBy: 'COUNT_DESC', first: 4 });
    expect(byCount.errors).toBeUndefined();
    expect(byCount.data!.caseStats.truncated).toBe(true);
    expect(byCount.data!.caseStats.cells.map((c) => [key(c), c.count])).toEqual([
      ['2026-11|320505|T1001', 7],
      ['2026-11|320506|T1001', 6],
      ['2026-12|320506|T2002', 5],
      ['2026-11|320505|T2002', null],
    ]);
    const byKeys = await run({ orderBy: 'KEYS', first: 6 });
    expect(byKeys.data!.caseStats.truncated).toBe(false);
    expect(byKeys.data!.caseStats.cells.map(key)).toEqual(UNITS.map((u) => u.slice(0, 3).join('|')).sort());
  });

  it('audits the grouping and how many cells were returned', async () => {
    await stats(ANALYST, { groupBy: ['DIVISION'] });
    const { rows } = await owner.query<{ content: { arguments: unknown; returned: Record<string, number> } }>(
      "select content from audit_event where content->>'operationName' = 'CaseStats' order by seq desc limit 1",
    );
    expect(JSON.stringify(rows[0].content)).toContain('DIVISION');
    const content = rows[0].content as unknown as { fieldsReturned: Record<string, number>; recordsCounted: Record<string, number> };
    // Three divisions' cells, and every added case (published or withheld) counted, with the world's own in the window (none).
    expect(content.fieldsReturned['AggregateCell.count']).toBe(3);
    expect(content.recordsCounted.EnforcementCase).toBe(added.length);
  });
});
