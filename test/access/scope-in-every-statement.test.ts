import type { SentStatement } from '../../src/db/query-counter';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Every statement the hub sends for a restricted caller carries, for each scoped table it reads,
 * that table's row-scope predicate on the alias it reads it under, and for each soft-deleted
 * table, `deleted_at is null`. The statements are captured as sent (text and parameters) while
 * a peer bureau, a district officer and a police case officer run queries that reach every kind
 * of read: by keys, pages (counted, continued after a cursor, filtered through another table),
 * rows and counts per vehicle, and the case binding. The predicates are written out here from
 * the agreements, independently of the SQL the gateway writes.
 *
 * Two kinds of rows are read without the caller's scope, by rule: a jurisdiction followed
 * through a relation (`scope_*`, inside the predicate itself), and the fleet of a case's party
 * that decides which captures the case unlocks (`rule_*`); neither reaches a response.
 */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('scopeall', { size: 0.03 });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** The tables sources' records land in, soft-deleted when a source deletes one. */
const SOFT_DELETED = Object.values(RECORD_TABLES).map((spec) => spec.table);
const TABLES = [...SOFT_DELETED, 'checkpoint_capture'];
const READ = new RegExp(`\\b(?:from|join)\\s+(${TABLES.join('|')})\\b(?:\\s+(?!where\\b|order\\b|limit\\b|on\\b)([a-z_]\\w*))?`, 'gi');

/** Whether `statement` holds the predicate on `alias` (a table read without alias is called by its name). */
type Predicate = (alias: string, statement: SentStatement) => number;

const paramAt = (statement: SentStatement, placeholder: string) => statement.params[Number(placeholder) - 1];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How many times `alias.column like any($n::text[])` appears with `prefix%` among the patterns. */
const startsWith =
  (column: string, prefix: string): Predicate =>
  (alias, s) =>
    [...s.text.matchAll(new RegExp(`\\b${escape(alias)}\\.${column} like any\\(\\$(\\d+)::text\\[\\]\\)`, 'g'))].filter((m) =>
      String(paramAt(s, m[1])).includes(`${prefix}%`),
    ).length;
const equals =
  (column: string, value: unknown): Predicate =>
  (alias, s) =>
    [...s.text.matchAll(new RegExp(`\\b${escape(alias)}\\.${column} = \\$(\\d+)`, 'g'))].filter((m) => paramAt(s, m[1]) === value).length;
const platesOfCase: Predicate = (alias, s) => s.text.split(`(${alias}.plate_number, ${alias}.plate_color) in (select * from unnest($`).length - 1;

interface Case {
  caller: TestCaller;
  /** The scope predicate of each table the caller's agreement scopes. */
  scoped: Record<string, Predicate>;
  queries: Array<[string, Record<string, unknown>?]>;
}

function window() {
  const times = [...t.world.captures()].flat().map((c) => Date.parse(c.capturedAt));
  return { from: new Date(Math.max(...times) - 30 * 86_400_000).toISOString(), to: new Date(Math.max(...times) + 1).toISOString() };
}

/** A vehicle by plate (variables `n`, `c`) with `selection`. */
const VEHICLE = (selection: string) => `query($n: String!, $c: PlateColor!) { vehicle(plateNumber: $n, plateColor: $c) { ${selection} } }`;

const VEHICLE_DEEP = `plateNumber plateColor owner { uscc name licences { number } abnormalOperations { reason } }
  weighings(last: 2) { overloadKg } enforcementCases { caseNumber partyEnterprise { name } }`;

function cases(): Case[] {
  const w = t.world;
  const open = w.enforcementCases.find((c) => c.status !== 'CLOSED' && c.partyUscc && c.vehiclePlateNumber)!;
  const shanghai = w.vehicles.find((v) => v.plateNumber.startsWith('沪'))!;
  const other = w.vehicles.find((v) => !v.plateNumber.startsWith('沪'))!;
  const division = open.divisionCode;
  const { from, to } = window();
  const captures = `captures(from: "${from}", to: "${to}", first: 3) { totalCount count(upTo: 2) { value } edges { node { capturedAt checkpoint { code } } } }`;
  const shared: Case['queries'] = [
    [`{ vehicles(first: 3) { totalCount count(upTo: 4) { value exact } edges { node { ${VEHICLE_DEEP} } } } }`],
    [VEHICLE(VEHICLE_DEEP), { n: shanghai.plateNumber, c: shanghai.plateColor }],
    [VEHICLE('plateNumber'), { n: other.plateNumber, c: other.plateColor }],
    [`{ enforcementCases(first: 5) { totalCount edges { node { caseNumber vehicle { plateNumber } partyEnterprise { name } } } } }`],
    [`{ weighings(first: 5, filter: { overloadedOnly: true }) { totalCount count { value } edges { node { plateNumber vehicle { plateNumber } } } } }`],
  ];
  return [
    {
      caller: { agency: 'shanghai-transport', roles: ['officer'], purpose: 'cross-region-enforcement' },
      scoped: {
        vehicle: startsWith('plate_number', '沪'),
        enforcement_case: startsWith('vehicle_plate_number', '沪'),
        weighing: startsWith('plate_number', '沪'),
      },
      queries: shared,
    },
    {
      caller: { agency: 'suzhou-transport', roles: ['officer'], divisions: [division], purpose: 'case-investigation', caseNumber: open.caseNumber },
      scoped: {
        vehicle: startsWith('registration_division', division),
        enterprise: startsWith('division_code', division),
        weighing: startsWith('station_division_code', division),
        enforcement_case: startsWith('division_code', division),
        checkpoint_capture: platesOfCase,
      },
      queries: [
        ...shared,
        [
          `{ enterprises(first: 3, filter: { licenceScope: FREIGHT_GENERAL }) {
          totalCount edges { node { uscc vehicles { plateNumber ${captures} weighings(last: 2) { overloadKg } } } } } }`,
        ],
        [
          `{ checkpointCaptures(first: 3, filter: { from: "${from}", to: "${to}" }) {
          totalCount count(upTo: 2) { value } edges { node { plateNumber vehicle { plateNumber } } } } }`,
        ],
        [VEHICLE(`plateNumber ${captures}`), { n: open.vehiclePlateNumber, c: open.vehiclePlateColor }],
        [
          `query($u: String!) { enterprise(uscc: $u) {
          name vehicles { plateNumber } practitioners { qualificationCategory } creditRatings { grade } enforcementCases { caseNumber } } }`,
          { u: open.partyUscc },
        ],
      ],
    },
    {
      caller: { agency: 'suzhou-psb', roles: ['case-officer'], purpose: 'case-investigation', caseNumber: open.caseNumber },
      scoped: { enforcement_case: equals('transferred_to_police', true), checkpoint_capture: platesOfCase },
      queries: [
        [`{ enforcementCases(first: 5, filter: { status: INVESTIGATING }) { totalCount edges { node { caseNumber vehicle { plateNumber } } } } }`],
        [VEHICLE(`plateNumber enforcementCases { caseNumber } ${captures}`), { n: open.vehiclePlateNumber, c: open.vehiclePlateColor }],
        [`{ checkpointCaptures(first: 3, filter: { from: "${from}", to: "${to}" }) { totalCount edges { node { plateNumber } } } }`],
      ],
    },
  ];
}

/** Each read of a gateway table in `statement`, as [table, alias]. */
const readsOf = (statement: SentStatement) =>
  [...statement.text.matchAll(READ)]
    .map((m) => [m[1].toLowerCase(), m[2] ?? m[1].toLowerCase()] as const)
    .filter(([, alias]) => !alias.startsWith('scope_') && !alias.startsWith('rule_'));

describe("every statement against a scoped table carries the caller's scope predicate", () => {
  it('for a peer bureau, a district officer and a police case officer, over every kind of read', async () => {
    const open = t.world.enforcementCases.find((c) => c.status !== 'CLOSED' && c.partyUscc && c.vehiclePlateNumber)!;
    // The police see the case once it is transferred to them.
    await t.hub.db.pool.query('update enforcement_case set transferred_to_police = true where case_number = $1', [open.caseNumber]);
    for (const { caller, scoped, queries } of cases()) {
      const seen = new Set<string>();
      let statements = 0;
      for (const [query, variables] of queries) {
        const headers = await t.headersAs(caller);
        const { result, sent } = await t.hub.db.counter.capture(() => execute(t.hub.graphqlUrl, query, variables, headers));
        expect({ caller: caller.agency, query, errors: result.errors }).toEqual({ caller: caller.agency, query, errors: undefined });
        for (const statement of sent.filter((s) => s.text !== '')) {
          statements += 1;
          const reads = readsOf(statement);
          const distinct = new Map(reads.map(([table, alias]) => [`${table} ${alias}`, [table, alias] as const]));
          for (const [table, alias] of distinct.values()) {
            const times = reads.filter(([tb, al]) => tb === table && al === alias).length;
            seen.add(table);
            const qualified = alias === table ? '(?<![\\w.])' : `\\b${escape(alias)}\\.`;
            const live = SOFT_DELETED.includes(table) ? (statement.text.match(new RegExp(`${qualified}deleted_at is null`, 'g'))?.length ?? 0) : times;
            const inScope = scoped[table] ? scoped[table](alias, statement) : times;
            expect(`${caller.agency} ${table} ${alias}: live ${live >= times}, scoped ${inScope >= times}\n${statement.text}`).toBe(
              `${caller.agency} ${table} ${alias}: live true, scoped true\n${statement.text}`,
            );
          }
        }
      }
      // Not vacuous: every scoped table was read, over many statements.
      expect([...seen].filter((table) => table in scoped).sort()).toEqual(Object.keys(scoped).sort());
      expect(statements).toBeGreaterThan(queries.length);
    }
  }, 120_000);

  it('reads of the tables the gateway does not own may not name one of its tables', async () => {
    const bookkeeping = t.hub.reads.forRequest({}).bookkeeping;
    await expect(bookkeeping.query('select count(*) from vehicle')).rejects.toThrow(/names vehicle, a table only the read gateway reads/);
    await expect(bookkeeping.query('select count(*) as n from audit_event')).resolves.toHaveLength(1);
  });
});
