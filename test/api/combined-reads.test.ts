import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { QueryCounter } from '../../src/db/query-counter';
import { createPool, SqlClient } from '../../src/db/sql-client';
import { EnforcementCase } from '../../src/domains/enforcement';
import { OperatorLicence } from '../../src/domains/licence';
import { Vehicle } from '../../src/domains/vehicle';
import { CAPTURE_ORDERING, CheckpointCapture } from '../../src/domains/checkpoint';
import { CombinedReads } from '../../src/read-kit/rows/combined-reads';
import type { RowScope } from '../../src/read-kit/rows/row-scope';
import { loadRiskGradeRules } from '../../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../../src/supervision/risk-grading';
import { Enterprise360Document, FleetNestedDocument } from '../generated/graphql';
import { policeWithAllPlates } from '../support/all-plates';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
let pool: Pool;
beforeAll(async () => {
  t = await startTestHub('combinedreads', { size: 0.03 });
  // Risk grades fill the tables with jsonb and bigserial columns.
  await gradeEnterprises(t.hub.db.pool, loadRiskGradeRules(loadConfig({}).riskGradeRulesFile), { full: true });
  pool = createPool(t.hub.db.url, 2, () => undefined);
});
afterAll(async () => {
  t.hub.reads.combineReads = true;
  await pool?.end();
  await t?.close();
});

/** The enterprise with the largest fleet (the bench's W1 picks one near 50 vehicles). */
function largestFleet(): string {
  const fleets = new Map<string, number>();
  for (const v of t.world.vehicles) if (v.ownerUscc) fleets.set(v.ownerUscc, (fleets.get(v.ownerUscc) ?? 0) + 1);
  return [...fleets].sort((a, b) => b[1] - a[1])[0][0];
}

/** Runs a document with the gateway combining or not, and counts the statements it sent. */
async function run(combine: boolean, document: Parameters<typeof execute>[1], variables: Record<string, unknown>, headers?: Record<string, string>) {
  t.hub.reads.combineReads = combine;
  try {
    const measured = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, document, variables, headers));
    expect(measured.result.errors).toBeUndefined();
    return { data: measured.result.data, statements: measured.statements };
  } finally {
    t.hub.reads.combineReads = true;
  }
}

describe("a level's relations go to PostgreSQL as one statement", () => {
  it('the enterprise 360 (vehicles, licences, credit, cases) costs one statement instead of eight, with the same answer', async () => {
    const uscc = largestFleet();
    const apart = await run(false, Enterprise360Document, { uscc });
    const together = await run(true, Enterprise360Document, { uscc });
    const enterprise = (together.data as { enterprise: { vehicles: unknown[]; licences: unknown[]; creditRatings: unknown[] } }).enterprise;
    expect(enterprise.vehicles.length).toBeGreaterThan(3);
    expect(enterprise.licences.length).toBeGreaterThan(0);
    // The row and its seven relations: one statement per relation apart, one in all combined.
    expect(apart.statements).toBe(8);
    expect(together.statements).toBe(1);
    expect(together.data).toEqual(apart.data);
  });

  it('a nested query answers the same with fewer statements, level by level', async () => {
    const times = [...t.world.captures()].flat().map((c) => Date.parse(c.capturedAt));
    const to = new Date(Math.max(...times) + 1).toISOString();
    const from = new Date(Math.max(...times) - 30 * 86_400_000).toISOString();
    const headers = await t.headersAs(await policeWithAllPlates(t));
    const apart = await run(false, FleetNestedDocument, { first: 10, from, to }, headers);
    const together = await run(true, FleetNestedDocument, { first: 10, from, to }, headers);
    expect(together.statements).toBeLessThan(apart.statements);
    expect(together.data).toEqual(apart.data);
  });
});

describe("inside a combined statement every read is still the gateway's", () => {
  /** Three reads of one turn (vehicles, licences and cases of `owners`) for a caller whose vehicles are scoped to `scope`. */
  async function readTogether(owners: string[], scope: RowScope | null) {
    const reads = t.hub.reads.forRequest({ access: { rowScopeOf: (type) => (type === 'Vehicle' ? scope : null) } });
    const keys = owners.map((o) => [o]);
    const sent = await t.hub.db.counter.capture(() =>
      Promise.all([
        reads.byKeys(Vehicle, ['ownerUscc'], keys),
        reads.byKeys(OperatorLicence, ['holderUscc'], keys),
        reads.byKeys(EnforcementCase, ['partyUscc'], keys),
      ]),
    );
    return { vehicles: sent.result[0], licences: sent.result[1], cases: sent.result[2], statements: sent.sent.length };
  }

  it("a caller's row scope and the live-row filter apply to each part", async () => {
    const fleets = new Map<string, string[]>();
    for (const v of t.world.vehicles) if (v.ownerUscc) fleets.set(v.ownerUscc, [...(fleets.get(v.ownerUscc) ?? []), v.plateNumber]);
    const [[mine, plates], [theirs]] = [...fleets].filter(([, p]) => p.length > 2);
    const all = await readTogether([mine, theirs], null);
    expect(all.statements).toBe(1);
    expect(new Set(all.vehicles.map((v) => v.ownerUscc))).toEqual(new Set([mine, theirs]));

    // Scoped to one owner's vehicles: only those, in the same single statement; the other reads are untouched.
    const scoped = await readTogether([mine, theirs], [[{ field: 'ownerUscc', equals: mine }]]);
    expect(scoped.statements).toBe(1);
    expect(scoped.vehicles.length).toBe(all.vehicles.filter((v) => v.ownerUscc === mine).length);
    expect(scoped.vehicles.every((v) => v.ownerUscc === mine)).toBe(true);
    expect(scoped.licences).toEqual(all.licences);
    expect(scoped.cases).toEqual(all.cases);

    // A soft-deleted vehicle is never read.
    const owner = ownerPool(t.hub.db.url);
    try {
      await owner.query('update vehicle set deleted_at = now() where plate_number = $1', [plates[0]]);
      const live = await readTogether([mine, theirs], null);
      expect(live.statements).toBe(1);
      expect(live.vehicles.map((v) => v.plateNumber)).not.toContain(plates[0]);
      expect(live.vehicles.length).toBe(all.vehicles.length - all.vehicles.filter((v) => v.plateNumber === plates[0]).length);
    } finally {
      await owner.query('update vehicle set deleted_at = null where plate_number = $1', [plates[0]]);
      await owner.end();
    }
  });
});

describe('each part keeps its own order', () => {
  it('a page of many captures newest first, cut by its limit, comes back in its order beside another read', async () => {
    const owners = [...new Set(t.world.vehicles.map((v) => v.ownerUscc).filter((o): o is string => o !== null))].slice(0, 20).map((o) => [o]);
    const plates = t.world.vehicles.slice(0, 10).map((v) => [v.plateNumber, v.plateColor]);
    const readBoth = async (combine: boolean) => {
      t.hub.reads.combineReads = combine;
      try {
        const reads = t.hub.reads.forRequest({});
        const sent = await t.hub.db.counter.capture(() =>
          Promise.all([
            reads.page(CheckpointCapture, {}, { ordering: CAPTURE_ORDERING, first: 500 }),
            reads.byKeys(OperatorLicence, ['holderUscc'], owners, [
              ['validTo', 'desc'],
              ['number', 'asc'],
            ]),
            reads.firstPerParent(CheckpointCapture, { parentKeys: ['plateNumber', 'plateColor'], parents: plates, ordering: CAPTURE_ORDERING, limit: 20 }),
          ]),
        );
        return {
          captures: sent.result[0].edges.map((e) => e.node),
          licences: sent.result[1],
          perVehicle: sent.result[2],
          statements: sent.sent.length,
          texts: sent.sent.map((s) => s.text),
        };
      } finally {
        t.hub.reads.combineReads = true;
      }
    };
    const apart = await readBoth(false);
    const together = await readBoth(true);
    expect(apart.statements).toBe(3);
    expect(together.statements).toBe(1);
    // PostgreSQL keeps an ordered sub-statement's order in json_agg in practice, so the rows alone
    // cannot tell a stated order from a lucky one: each part states its order to json_agg, and the
    // answers below show it is the right one.
    const [combined] = together.texts;
    expect(combined).toMatch(/json_agg\(json_build_array\([^)]*\) order by b\d+\."captured_at" desc, b\d+\."\w+" desc\)/);
    expect(combined).toMatch(/json_agg\(json_build_array\([^)]*\) order by b\d+\."valid_to" desc, b\d+\."number" asc\)/);
    // Rows per parent: grouped by parent, each parent's in the read's order.
    expect(combined).toMatch(
      /json_agg\(json_build_array\([^)]*\) order by b\d+\."plate_number" asc, b\d+\."plate_color" asc, b\d+\."captured_at" desc, b\d+\."\w+" desc\)/,
    );
    expect(together.perVehicle.length).toBeGreaterThan(plates.length);
    // The parents' own order is no one's (callers group the rows by parent): each parent's rows, in order.
    const byPlate = (rows: typeof together.perVehicle) => {
      const grouped = new Map<string, typeof rows>();
      for (const row of rows) grouped.set(`${row.plateNumber}|${row.plateColor}`, [...(grouped.get(`${row.plateNumber}|${row.plateColor}`) ?? []), row]);
      return Object.fromEntries(grouped);
    };
    expect(byPlate(together.perVehicle)).toEqual(byPlate(apart.perVehicle));
    expect(together.captures.length).toBe(500);
    const times = together.captures.map((c) => c.capturedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(together.captures).toEqual(apart.captures);
    expect(together.licences.length).toBeGreaterThan(1);
    expect(together.licences).toEqual(apart.licences);
  });

  it('a statement ordered by a column it does not return runs alone', async () => {
    const counter = new QueryCounter();
    const client = new SqlClient(pool, counter);
    const reads = new CombinedReads(true);
    const text = 'select g as n from generate_series(1, 50) g where $1::int > 0 order by g desc';
    const column = [{ name: 'n', sqlType: 'int' }];
    const sent = await counter.measure(() =>
      Promise.all([
        reads.query(client, text, [1], column, [{ column: 'n', direction: 'desc' }]),
        reads.query(client, text, [1], column, [{ column: 'n', direction: 'desc' }]),
        reads.query(client, 'select g as n from generate_series(1, 50) g where $1::int > 0 order by -g', [1], column, [{ column: 'm', direction: 'asc' }]),
      ]),
    );
    expect(sent.statements).toBe(2);
    const descending = Array.from({ length: 50 }, (_, i) => ({ n: 50 - i }));
    expect(sent.result).toEqual([descending, descending, descending]);
  });
});

describe('values come back through JSON as the driver makes them', () => {
  /** Runs the statements through `CombinedReads` together and each alone; both answers, and how many statements each way sent. */
  async function bothWays(statements: Array<{ text: string; params?: unknown[]; columns: Array<{ name: string; sqlType: string }> }>) {
    const counter = new QueryCounter();
    const client = new SqlClient(pool, counter);
    const alone = await counter.measure(() => Promise.all(statements.map((s) => client.query(s.text, s.params ?? []))));
    const reads = new CombinedReads(true);
    const together = await counter.measure(() => Promise.all(statements.map((s) => reads.query(client, s.text, s.params ?? [], s.columns, []))));
    return { alone, together };
  }

  it('every column of every table the gateway reads', async () => {
    const tables = t.hub.reads.tables.all;
    const statements = tables.map((table) => ({
      text: `select ${table.columns.map((c) => c.column).join(', ')} from ${table.name} where $1::int > 0 order by ${table.columns.map((_, i) => i + 1).join(', ')} limit 40`,
      params: [1],
      columns: table.columns.map((c) => ({ name: c.column, sqlType: c.sqlType })),
    }));
    const { alone, together } = await bothWays(statements);
    expect(alone.statements).toBe(tables.length);
    expect(together.statements).toBe(1);
    expect(together.result).toEqual(alone.result);
    // toEqual does not tell a Date from an equal string's object, nor a Buffer: the constructors must match too.
    const kinds = (rows: Array<Record<string, unknown>[]>) =>
      rows.map((r) => r.map((row) => Object.values(row).map((v) => (v === null ? 'null' : (v as object).constructor.name))));
    expect(kinds(together.result)).toEqual(kinds(alone.result));
    // Every column type the tables use was compared on real values, not only on nulls.
    const seen = new Set<string>();
    tables.forEach((table, i) => {
      for (const row of alone.result[i]) for (const c of table.columns) if (row[c.column] !== null) seen.add(c.sqlType);
    });
    expect([...seen].sort()).toEqual([...new Set(tables.flatMap((table) => table.columns.map((c) => c.sqlType)))].sort());
  });

  it('edge values of each type: huge bigints, NaN and infinities, exact numerics, microseconds, arrays with nulls and quotes, bytea, json', async () => {
    const values: Array<[string, string]> = [
      ['bigint', `9007199254740993`],
      ['bigint', `'-9223372036854775808'`],
      ['double precision', `'NaN'`],
      ['double precision', `'-Infinity'`],
      ['double precision', `0.1`],
      ['double precision', `1e300`],
      ['numeric', `12.3400`],
      ['timestamptz', `'2026-03-01 12:34:56.789123+08'`],
      ['timestamptz', `'infinity'`],
      ['timestamp', `'2026-03-01 12:34:56.789'`],
      ['date', `'2026-02-28'`],
      ['text', `'引号 "quoted" \\ back'`],
      ['text', `''`],
      ['text[]', `array['a', null, 'b,c', '"q"', '{x}']`],
      ['text[]', `'{}'::text[]`],
      ['smallint', `'-32768'`],
      ['int', `2147483647`],
      ['boolean', `false`],
      ['jsonb', `'{"b": [1, 2.50, null], "a": "x"}'`],
      ['json', `'{"b": 1, "b": 2}'`],
      ['bytea', `'\\x00ff10'::bytea`],
      ['uuid', `'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`],
    ];
    const statements = values.map(([type, literal], i) => ({
      text: `select ${literal}::${type} as v, null::${type} as nothing, $1::text as tag`,
      params: [`p${i}`],
      columns: [
        { name: 'v', sqlType: type },
        { name: 'nothing', sqlType: type },
        { name: 'tag', sqlType: 'text' },
      ],
    }));
    const { alone, together } = await bothWays(statements);
    expect(together.statements).toBe(1);
    expect(together.result).toEqual(alone.result);
    for (let i = 0; i < values.length; i += 1) {
      const [a, b] = [alone.result[i][0].v, together.result[i][0].v];
      expect(typeof b).toBe(typeof a);
      expect(Object.prototype.toString.call(b)).toBe(Object.prototype.toString.call(a));
      expect(together.result[i][0].tag).toBe(`p${i}`);
    }
  });
});
