import { parse } from 'graphql';
import type { Pool } from 'pg';
import { fixedStatistics } from '../../src/db/table-statistics';
import { HUB_PARTS } from '../../src/graphql/composition';
import { estimateCost } from '../../src/graphql/query-limits';
import { buildHubSchema } from '../../src/graphql/schema';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Aggregates of clues, inspection results, enterprises and vehicles: the same cells as the others
 * (sums over units of at least k records, so no difference of two answers recovers a small unit),
 * granted per agreement (a group-by the grant lacks is refused before anything runs), checked
 * against the records read straight from the database.
 */

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const DISTRICT: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['320505'], purpose: 'case-investigation' };
const SHANGHAI: TestCaller = { agency: 'shanghai-transport', roles: ['analyst'], purpose: 'cross-region-enforcement' };
const REGULATOR: TestCaller = { agency: 'suzhou-amr', roles: ['analyst'], purpose: 'random-inspection' };
const K = 5;
const MONTHS = { from: '2026-11-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };

/** Clues the test adds, as (month, division, kind, status, how many): unit sizes around k. */
const CLUE_UNITS: Array<[string, string, string, string, number]> = [
  ['2026-11', '320505', 'OVERLOAD', 'OPEN', 6],
  ['2026-11', '320505', 'OVERLOAD', 'DISMISSED', 5],
  ['2026-11', '320505', 'CLONED_PLATE', 'OPEN', 2],
  ['2026-12', '320505', 'OVERLOAD', 'OPEN', 1],
  ['2026-12', '320506', 'OVERLOAD', 'LINKED', 7],
  ['2026-12', '320506', 'ILLEGAL_OPERATION', 'OPEN', 3],
];

/** Inspection results the test adds, as (task, month, outcome, how many); task A draws from 320505 for item A, B from 320506 for item B. */
const RESULT_UNITS: Array<['A' | 'B', string, string, number]> = [
  ['A', '2026-11', 'COMPLIANT', 6],
  ['A', '2026-11', 'ISSUES_FOUND', 2],
  ['B', '2026-12', 'ISSUES_FOUND', 5],
  ['B', '2026-12', 'NOT_FOUND_AT_ADDRESS', 1],
];
/** Enterprises the test adds in a district of their own, as (latest credit grade, how many); one unit under k. */
const ENTERPRISE_UNITS: Array<[string | null, number]> = [
  ['A', 7],
  ['B', 2],
  [null, 5],
];
const TEST_DIVISION = '320599';
const TASKS = { A: { division: '320505', item: 'TEST-ITEM-A' }, B: { division: '320506', item: 'TEST-ITEM-B' } };

interface Cell {
  keys: Array<{ dimension: string; value: string }>;
  count: number | null;
  suppressed: boolean;
  complete: boolean;
  values: Array<{ measure: string; value: number | null }>;
}
type Result = { source: string; k: number; suppressedCells: number; cells: Cell[] };

let t: TestHub;
let owner: Pool;

beforeAll(async () => {
  t = await startTestHub('fact_stats_rep2');
  owner = ownerPool(t.hub.db.url);
  let n = 0;
  for (const [month, division, kind, status, count] of CLUE_UNITS) {
    for (let i = 0; i < count; i++) {
      n += 1;
      const day = `${month}-${String(2 + i).padStart(2, '0')}`;
      await owner.query(
        `insert into clue (id, kind, subject_type, subject_key, division, severity, severity_rank, status, rule_id, rule_version, window_start,
           first_seen, last_seen, evidence_count, raised_at, provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
         values ($1, $2, 'ENTERPRISE', $3, $4, 'MEDIUM', 2, $5, 'test-rule', 'test', $6::date, $6::date, $6::date, 1, $7, 'HUB', $1, now(), now(), 'x')`,
        [`test-clue-${n}`, kind, `91320500TEST${String(n).padStart(6, '0')}`, division, status, day, `${day}T09:00:00+08:00`],
      );
      // A closed clue was closed 10 + i hours after it was raised (an earlier change to another status first).
      if (status === 'DISMISSED' || status === 'LINKED') {
        for (const [version, to, hours] of [
          [2, 'ASSIGNED', 1],
          [3, status, 10 + i],
        ] as const) {
          await owner.query(
            `insert into clue_event (clue_id, version, action, from_status, to_status, at, provenance_system, provenance_record_id,
               provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
             values ($1, $2::int, 'ASSIGN', 'OPEN', $3, $4::timestamptz + make_interval(hours => $5::int), 'HUB', $1 || '/' || $2::text, now(), now(), 'x')`,
            [`test-clue-${n}`, version, to, `${day}T09:00:00+08:00`, hours],
          );
        }
      }
    }
  }
  n = 0;
  for (const [grade, count] of ENTERPRISE_UNITS) {
    for (let i = 0; i < count; i++) {
      n += 1;
      const uscc = `91320599ENT${String(n).padStart(7, '0')}`;
      await owner.query(
        `insert into enterprise (uscc, name, type, status, legal_representative, registered_capital_yuan, established_on, address, division_code, business_scope,
           provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
         values ($1, 'test', '有限责任公司', 'IN_BUSINESS', 'test', 1, '2020-01-01', 'test', $2, 'test', 'MARKET_REGISTRY', $1, now(), now(), 'x')`,
        [uscc, TEST_DIVISION],
      );
      // An older rating of another grade: the latest one counts.
      for (const [year, rated] of grade
        ? [
            [2024, 'D'],
            [2025, grade],
          ]
        : [])
        await owner.query(
          `insert into credit_rating (source_id, subject_uscc, grade, source_grade, score, year, rating_authority,
             provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
           values ($1, $2, $3, $3, 80, $4, 'test', 'CREDIT_PLATFORM', $1, now(), now(), 'x')`,
          [`test-rating-${n}-${year}`, uscc, rated, year],
        );
    }
  }
  await owner.query(
    `insert into inspector (id, agency, subject, name, unit, post, certificate_number, phone, division, provenance_record_id, provenance_content_hash)
     values ('test-inspector', 'suzhou-transport', 'test', '测试', 'u', 'p', 'TEST-CERT', '0', '320505', 'test-inspector', 'x')`,
  );
  await owner.query(
    `insert into inspection_plan (id, year, unit, division, title, rule_version, created_by, provenance_record_id, provenance_content_hash)
     values ('test-plan', 2026, 'test-unit', '3205', 'test', 'test', 'test', 'test-plan', 'x')`,
  );
  for (const [task, { division, item }] of Object.entries(TASKS)) {
    await owner.query(
      `insert into inspection_task (id, plan_id, item_code, joint_item_codes, level, division, roster_filter, status, created_by, provenance_record_id, provenance_content_hash)
       values ($1, 'test-plan', $2, '{}', 'DISTRICT', $3, '{}', 'DRAWN', 'test', $1, 'x')`,
      [`test-task-${task}`, item, division],
    );
  }
  n = 0;
  for (const [task, month, outcome, count] of RESULT_UNITS) {
    for (let i = 0; i < count; i++) {
      n += 1;
      const day = `${month}-${String(2 + i).padStart(2, '0')}`;
      await owner.query(
        `insert into inspection_result (task_id, uscc, enterprise_name, item_codes, inspected_on, outcome, findings, attachments, recorded_by, publication_due,
           provenance_record_id, provenance_content_hash)
         values ($1, $2, 'test', $3, $4::date, $5, '[]', '[]', 'test-inspector', $4::date, $2, 'x')`,
        [`test-task-${task}`, `91320500RES${String(n).padStart(7, '0')}`, [TASKS[task].item], day, outcome],
      );
    }
  }
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

async function stats(field: string, caller: TestCaller, args: string, groupBy: string[], measures = ['COUNT']) {
  const response = await execute<Record<string, Result>, Record<string, unknown>>(
    t.hub.graphqlUrl,
    `query Stats { ${field}(${args ? `${args}, ` : ''}groupBy: [${groupBy.join(', ')}], measures: [${measures.join(', ')}], first: 5000) {
      source k suppressedCells cells { keys { dimension value } count suppressed complete values { measure value } } } }`,
    undefined,
    await t.headersAs(caller),
  );
  return { ...response, result: response.data?.[field] ?? null };
}

interface Expected {
  key: string;
  count: number | null;
  suppressed: boolean;
  complete: boolean;
  measure?: number | null;
}

/**
 * The cells a query should return, computed here from records read straight from the database:
 * records counted per unit, units of k or more summed per cell, cells of small units only suppressed.
 */
function expectedCells<R>(records: readonly R[], unitOf: (r: R) => string, keyOf: (r: R) => string, measure: (r: R) => number = () => 0): Expected[] {
  const units = new Map<string, R[]>();
  for (const r of records) units.set(unitOf(r), [...(units.get(unitOf(r)) ?? []), r]);
  const cells = new Map<string, { count: number; withheld: number; measure: number }>();
  for (const unit of units.values()) {
    const cell = cells.get(keyOf(unit[0])) ?? { count: 0, withheld: 0, measure: 0 };
    if (unit.length >= K) {
      cell.count += unit.length;
      cell.measure += unit.reduce((s, r) => s + measure(r), 0);
    } else cell.withheld += unit.length;
    cells.set(keyOf(unit[0]), cell);
  }
  return [...cells.entries()]
    .map(([key, c]) => ({ key, count: c.count || null, suppressed: c.count === 0, complete: c.withheld === 0, measure: c.count ? c.measure : null }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

const simple = (cells: Cell[], measure?: string): Expected[] =>
  cells
    .map((c) => ({
      key: c.keys.map((k) => k.value).join('|'),
      count: c.count,
      suppressed: c.suppressed,
      complete: c.complete,
      ...(measure ? { measure: c.values.find((v) => v.measure === measure)?.value ?? null } : {}),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));

const withoutMeasure = (cells: Expected[]) => cells.map(({ key, count, suppressed, complete }) => ({ key, count, suppressed, complete }));

/** Every coarse cell is the sum of the published fine cells below it: subtracting them leaves zero, never a small unit. */
function expectConsistent(fine: Expected[], coarse: Expected[], coarseKeyOf: (fineKey: string) => string) {
  for (const cell of coarse) {
    const below = fine.filter((f) => coarseKeyOf(f.key) === cell.key);
    expect(cell.count ?? 0).toBe(below.reduce((s, f) => s + (f.count ?? 0), 0));
    expect(cell.complete).toBe(below.every((f) => f.complete && !f.suppressed));
  }
}

describe('clueStats', () => {
  interface ClueRow {
    month: string;
    division: string;
    kind: string;
    status: string;
  }
  const clues = async (division = '') =>
    (
      await owner.query<ClueRow>(
        `select to_char(window_start, 'YYYY-MM') as month, division, kind, status from clue
         where deleted_at is null and window_start >= '2026-11-01' and window_start < '2027-01-01' and division like $1 || '%'`,
        [division],
      )
    ).rows;
  const unitOf = (c: ClueRow) => `${c.month}|${c.division}|${c.kind}|${c.status}`;
  const closed = (c: ClueRow) => (c.status === 'DISMISSED' || c.status === 'LINKED' ? 1 : 0);
  const filter = `filter: { from: "${MONTHS.from}", to: "${MONTHS.to}" }`;

  it('counts clues and closed ones in units of k or more, as the clues in the database say', async () => {
    const { result, errors } = await stats('clueStats', ANALYST, filter, ['MONTH', 'DIVISION', 'KIND'], ['COUNT', 'CLOSED']);
    expect(errors).toBeUndefined();
    expect(result).toMatchObject({ source: 'BASE', k: K });
    const rows = await clues();
    expect(rows.length).toBeGreaterThanOrEqual(CLUE_UNITS.reduce((s, u) => s + u[4], 0));
    expect(simple(result!.cells, 'CLOSED')).toEqual(expectedCells(rows, unitOf, (c) => `${c.month}|${c.division}|${c.kind}`, closed));
    // Closed in 10…14 hours (five dismissed in November) and 10…16 (seven linked in December): on average 12 and 13.
    const means = await stats('clueStats', ANALYST, filter, ['MONTH', 'DIVISION', 'KIND'], ['CLOSED', 'MEAN_HANDLING_HOURS']);
    const mean = (key: string) => means.result!.cells.find((c) => c.keys.map((k) => k.value).join('|') === key)?.values;
    expect(mean('2026-11|320505|OVERLOAD')).toEqual([
      { measure: 'CLOSED', value: 5 },
      { measure: 'MEAN_HANDLING_HOURS', value: 12 },
    ]);
    expect(mean('2026-12|320506|OVERLOAD')).toEqual([
      { measure: 'CLOSED', value: 7 },
      { measure: 'MEAN_HANDLING_HOURS', value: 13 },
    ]);
    expect(mean('2026-12|320506|ILLEGAL_OPERATION')).toEqual([
      { measure: 'CLOSED', value: null },
      { measure: 'MEAN_HANDLING_HOURS', value: null },
    ]);
    // The two CLONED_PLATE clues of November and the single December OVERLOAD one are never shown.
    expect(simple(result!.cells).find((c) => c.key === '2026-11|320505|CLONED_PLATE')).toMatchObject({ count: null, suppressed: true });
    expect(simple(result!.cells).find((c) => c.key === '2026-12|320505|OVERLOAD')).toMatchObject({ count: null, suppressed: true });
  });

  it('keeps coarser levels, totals and other windows consistent: differencing recovers nothing', async () => {
    const fine = simple((await stats('clueStats', ANALYST, filter, ['MONTH', 'DIVISION', 'KIND', 'STATUS'])).result!.cells);
    for (const [groupBy, keyOf] of [
      [['DIVISION'], (k: string) => k.split('|')[1]],
      [['MONTH', 'KIND'], (k: string) => [k.split('|')[0], k.split('|')[2]].join('|')],
      [[], () => ''],
    ] as const) {
      expectConsistent(fine, simple((await stats('clueStats', ANALYST, filter, [...groupBy])).result!.cells), keyOf);
    }
    const both = simple((await stats('clueStats', ANALYST, filter, ['DIVISION'])).result!.cells);
    const november = simple(
      (await stats('clueStats', ANALYST, `filter: { from: "${MONTHS.from}", to: "2026-12-01T00:00:00+08:00" }`, ['DIVISION'])).result!.cells,
    );
    const december = simple(
      (await stats('clueStats', ANALYST, `filter: { from: "2026-12-01T00:00:00+08:00", to: "${MONTHS.to}" }`, ['DIVISION'])).result!.cells,
    );
    for (const cell of both) {
      expect((cell.count ?? 0) - (november.find((c) => c.key === cell.key)?.count ?? 0)).toBe(december.find((c) => c.key === cell.key)?.count ?? 0);
    }
  });

  it('counts a district officer’s own division only, and refuses peers and bad windows before anything runs', async () => {
    const district = await stats('clueStats', DISTRICT, filter, ['DIVISION', 'STATUS']);
    expect(district.errors).toBeUndefined();
    expect(withoutMeasure(simple(district.result!.cells))).toEqual(
      withoutMeasure(
        expectedCells(
          (await clues()).filter((c) => c.division.startsWith('320505')),
          unitOf,
          (c) => `${c.division}|${c.status}`,
        ),
      ),
    );
    const peer = await stats('clueStats', SHANGHAI, filter, ['DIVISION']);
    expect(peer.status).toBe(403);
    expect(peer.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const cut = await stats('clueStats', ANALYST, `filter: { from: "2026-11-03T00:00:00+08:00", to: "${MONTHS.to}" }`, []);
    expect(cut.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.from' });
    const foreign = await stats('clueStats', ANALYST, filter, [], ['MAX_RATIO']);
    expect(foreign.status).toBe(400);
  });

  it('audits what it counted: every clue of the window, published or withheld', async () => {
    await stats('clueStats', ANALYST, filter, ['KIND']);
    const { rows } = await owner.query<{ content: { recordsCounted: Record<string, number>; fieldsReturned: Record<string, number> } }>(
      "select content from audit_event where content->>'operationName' = 'Stats' order by seq desc limit 1",
    );
    expect(rows[0].content.recordsCounted.Clue).toBe((await clues()).length);
    expect(JSON.stringify(rows[0].content)).toContain('KIND');
  });
});

describe('inspectionStats', () => {
  interface ResultRow {
    month: string;
    division: string;
    item: string;
    outcome: string;
  }
  const results = async () =>
    (
      await owner.query<ResultRow>(
        `select to_char(r.inspected_on, 'YYYY-MM') as month, t.division, t.item_code as item, r.outcome
         from inspection_result r join inspection_task t on t.id = r.task_id where r.inspected_on >= '2026-11-01' and r.inspected_on < '2027-01-01'`,
      )
    ).rows;
  const unitOf = (r: ResultRow) => `${r.month}|${r.division}|${r.item}|${r.outcome}`;
  const filter = `filter: { from: "${MONTHS.from}", to: "${MONTHS.to}" }`;

  it('counts inspected objects per division, item and outcome for the regulator, as the results in the database say', async () => {
    const { result, errors } = await stats('inspectionStats', REGULATOR, filter, ['DIVISION', 'ITEM', 'OUTCOME']);
    expect(errors).toBeUndefined();
    expect(withoutMeasure(simple(result!.cells))).toEqual(
      withoutMeasure(expectedCells(await results(), unitOf, (r) => `${r.division}|${r.item}|${r.outcome}`)),
    );
    expect(result!.suppressedCells).toBe(RESULT_UNITS.filter((u) => u[3] < K).length);
  });

  it('keeps outcomes, months and the total consistent with the finest cells: differencing recovers nothing', async () => {
    const fine = simple((await stats('inspectionStats', ANALYST, filter, ['MONTH', 'DIVISION', 'ITEM', 'OUTCOME'])).result!.cells);
    expectConsistent(fine, simple((await stats('inspectionStats', ANALYST, filter, ['OUTCOME'])).result!.cells), (k) => k.split('|')[3]);
    expectConsistent(fine, simple((await stats('inspectionStats', ANALYST, filter, ['MONTH'])).result!.cells), (k) => k.split('|')[0]);
    const total = simple((await stats('inspectionStats', ANALYST, filter, [])).result!.cells);
    expectConsistent(fine, total, () => '');
    // Six compliant and five with issues published; the two and the one beside them never.
    expect(total[0]).toMatchObject({ count: 11, complete: false });
  });

  it('is refused to a caller whose agreement grants no inspection aggregates', async () => {
    const peer = await stats('inspectionStats', SHANGHAI, filter, []);
    expect(peer.status).toBe(403);
    expect(JSON.stringify(peer.errors)).toContain('inspectionStats');
  });
});

describe('enterpriseStats', () => {
  interface EnterpriseRow {
    uscc: string;
    division: string;
    status: string;
    credit: string;
    risk: string;
  }
  /** Enterprises with their latest credit grade and risk grade, each read separately and joined here. */
  async function enterprises(): Promise<EnterpriseRow[]> {
    const base = (
      await owner.query<{ uscc: string; division: string; status: string }>(
        'select uscc, division_code as division, status from enterprise where deleted_at is null',
      )
    ).rows;
    const ratings = (
      await owner.query<{ uscc: string; grade: string; year: number; source_id: string }>(
        'select subject_uscc as uscc, grade, year, source_id from credit_rating where deleted_at is null',
      )
    ).rows;
    const risks = (await owner.query<{ uscc: string; grade: string }>('select uscc, grade from enterprise_risk_grade where deleted_at is null')).rows;
    const latest = new Map<string, { grade: string; year: number; source: string }>();
    for (const r of ratings) {
      const seen = latest.get(r.uscc);
      if (!seen || r.year > seen.year || (r.year === seen.year && r.source_id > seen.source))
        latest.set(r.uscc, { grade: r.grade, year: r.year, source: r.source_id });
    }
    const risk = new Map(risks.map((r) => [r.uscc, r.grade]));
    return base.map((e) => ({ ...e, credit: latest.get(e.uscc)?.grade ?? 'NONE', risk: risk.get(e.uscc) ?? 'NONE' }));
  }
  const unitOf = (e: EnterpriseRow) => `${e.division}|${e.status}|${e.credit}|${e.risk}`;

  it('counts enterprises by credit grade and division, as the database says, and audits every one counted', async () => {
    const { result, errors } = await stats('enterpriseStats', REGULATOR, '', ['CREDIT_GRADE', 'DIVISION']);
    expect(errors).toBeUndefined();
    const rows = await enterprises();
    const expected = expectedCells(rows, unitOf, (e) => `${e.credit}|${e.division}`);
    expect(withoutMeasure(simple(result!.cells))).toEqual(withoutMeasure(expected));
    // The test district's seven A-rated and five unrated enterprises are published; the two B-rated are not.
    expect(simple(result!.cells).filter((c) => c.key.endsWith(`|${TEST_DIVISION}`))).toEqual([
      { key: `A|${TEST_DIVISION}`, count: 7, suppressed: false, complete: true },
      { key: `B|${TEST_DIVISION}`, count: null, suppressed: true, complete: false },
      { key: `NONE|${TEST_DIVISION}`, count: 5, suppressed: false, complete: true },
    ]);
    const { rows: audit } = await owner.query<{ content: { recordsCounted: Record<string, number> } }>(
      "select content from audit_event where content->>'operationName' = 'Stats' order by seq desc limit 1",
    );
    const [{ count }] = (await owner.query<{ count: string }>('select count(*) from enterprise where deleted_at is null')).rows;
    expect(audit[0].content.recordsCounted.Enterprise).toBe(Number(count));
    // Grouped by credit grade, the count read the credit platform's ratings as well.
    expect(audit[0].content.recordsCounted.CreditRating).toBe(Number(count));
  });

  it('keeps every level consistent with the finest: differencing recovers nothing', async () => {
    const fine = simple((await stats('enterpriseStats', ANALYST, '', ['DIVISION', 'STATUS', 'CREDIT_GRADE', 'RISK_GRADE'])).result!.cells);
    expectConsistent(fine, simple((await stats('enterpriseStats', ANALYST, '', ['CREDIT_GRADE'])).result!.cells), (k) => k.split('|')[2]);
    expectConsistent(fine, simple((await stats('enterpriseStats', ANALYST, '', ['STATUS', 'RISK_GRADE'])).result!.cells), (k) =>
      [k.split('|')[1], k.split('|')[3]].join('|'),
    );
    expectConsistent(fine, simple((await stats('enterpriseStats', ANALYST, '', [])).result!.cells), () => '');
    // A division filter selects whole units: its cells are the unfiltered ones of that division.
    const filtered = simple(
      (await stats('enterpriseStats', ANALYST, `filter: { divisionCode: "${TEST_DIVISION}" }`, ['DIVISION', 'STATUS', 'CREDIT_GRADE', 'RISK_GRADE'])).result!
        .cells,
    );
    expect(filtered.length).toBe(ENTERPRISE_UNITS.length);
    expect(filtered).toEqual(fine.filter((c) => c.key.startsWith(`${TEST_DIVISION}|`)));
  });

  it('gives a peer bureau counts by division and status, and refuses the grades its agreement does not grant', async () => {
    const ok = await stats('enterpriseStats', SHANGHAI, '', ['DIVISION', 'STATUS']);
    expect(ok.errors).toBeUndefined();
    const credit = await stats('enterpriseStats', SHANGHAI, '', ['CREDIT_GRADE']);
    expect(credit.status).toBe(403);
    expect(credit.data).toBeFalsy();
    expect(JSON.stringify(credit.errors)).toContain('enterpriseStats(groupBy:CREDIT_GRADE)');
  });

  it('splits a peer bureau’s units only by the division and status it may read: small grade cells tell it nothing', async () => {
    // The test district's fourteen enterprises in business: the two B-rated ones are a unit under k
    // for a caller granted the grades, but the peer bureau's units are division × status only.
    const key = `${TEST_DIVISION}|IN_BUSINESS`;
    const peer = simple((await stats('enterpriseStats', SHANGHAI, '', ['DIVISION', 'STATUS'])).result!.cells).find((c) => c.key === key);
    expect(peer).toEqual({ key, count: 14, suppressed: false, complete: true });
    const analyst = simple((await stats('enterpriseStats', ANALYST, '', ['DIVISION', 'STATUS'])).result!.cells).find((c) => c.key === key);
    expect(analyst).toEqual({ key, count: 12, suppressed: false, complete: false });
    // Its units are exact: every published cell of the peer's is the sum of its enterprises' division × status units of k or more.
    const rows = await enterprises();
    const expected = expectedCells(
      rows,
      (e) => `${e.division}|${e.status}`,
      (e) => `${e.division}|${e.status}`,
    );
    const got = simple((await stats('enterpriseStats', SHANGHAI, '', ['DIVISION', 'STATUS'])).result!.cells);
    expect(withoutMeasure(got)).toEqual(withoutMeasure(expected));
  });
});

describe('vehicleStats', () => {
  interface VehicleRow {
    plate: string;
    division: string;
    type: string;
    color: string;
    certificate: string;
  }
  const vehicles = async () =>
    (
      await owner.query<VehicleRow>(
        `select plate_number as plate, registration_division as division, vehicle_type as type, plate_color as color, transport_certificate_status as certificate
         from vehicle where deleted_at is null`,
      )
    ).rows;
  const unitOf = (v: VehicleRow) => `${v.division}|${v.type[0]}|${v.color}|${v.certificate}`;

  it('counts vehicles by class and certificate status, as the database says', async () => {
    const { result, errors } = await stats('vehicleStats', ANALYST, '', ['VEHICLE_TYPE', 'CERTIFICATE_STATUS']);
    expect(errors).toBeUndefined();
    const expected = expectedCells(await vehicles(), unitOf, (v) => `${v.type[0]}|${v.certificate}`);
    expect(withoutMeasure(simple(result!.cells))).toEqual(withoutMeasure(expected));
    expect(expected.some((c) => c.count !== null)).toBe(true);
  });

  it('counts a peer bureau’s own province’s vehicles only, consistently across levels', async () => {
    const fine = await stats('vehicleStats', SHANGHAI, '', ['DIVISION', 'VEHICLE_TYPE', 'VEHICLE_CATEGORY', 'CERTIFICATE_STATUS']);
    expect(fine.errors).toBeUndefined();
    const own = (await vehicles()).filter((v) => v.plate.startsWith('沪'));
    expect(withoutMeasure(simple(fine.result!.cells))).toEqual(withoutMeasure(expectedCells(own, unitOf, unitOf)));
    const byType = simple((await stats('vehicleStats', SHANGHAI, '', ['VEHICLE_TYPE'])).result!.cells);
    expectConsistent(simple(fine.result!.cells), byType, (k) => k.split('|')[1]);
  });

  it('is refused, before anything runs, to an agreement without vehicle aggregates', async () => {
    const regulator = await stats('vehicleStats', REGULATOR, '', []);
    expect(regulator.status).toBe(403);
    expect(regulator.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('pricing', () => {
  it('prices each aggregate by the rows of its table and the cells it asks for, never a constant', async () => {
    const schema = await buildHubSchema(HUB_PARTS);
    const months = `filter: { from: "${MONTHS.from}", to: "${MONTHS.to}" }`;
    for (const [field, table, args] of [
      ['clueStats', 'clue', months],
      ['inspectionStats', 'inspection_result', months],
      ['enterpriseStats', 'enterprise', ''],
      ['vehicleStats', 'vehicle', ''],
    ] as const) {
      const cost = (rows: number, first: number) =>
        estimateCost(
          schema,
          parse(`{ ${field}(${args ? `${args}, ` : ''}groupBy: [DIVISION], first: ${first}) { cells { count } } }`),
          undefined,
          {},
          fixedStatistics({ [table]: rows }, 0),
        );
      expect(cost(5_000_000, 100)).toBeGreaterThan(10 * cost(50_000, 100));
      expect(cost(50_000, 2_000)).toBeGreaterThan(cost(50_000, 100));
    }
  });
});
