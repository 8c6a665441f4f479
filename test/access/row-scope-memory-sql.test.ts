import { MetadataStorage } from '@mikro-orm/core';
import { Client } from 'pg';
import { Random } from '../../src/demo/world/random';
import { rowInScope, type ResolvedCondition, type RowScope } from '../../src/read-kit/rows/row-scope';
import { scopePredicate } from '../../src/read-kit/rows/row-scope-sql';
import { TableCatalogue, type Column, type Table } from '../../src/read-kit/rows/table-catalogue';
import { serverUrl } from '../support/test-database';

/*
 * A row scope is judged twice: in SQL by every read (`scopePredicate`) and in memory for a live
 * step as it was (`rowInScope`). Both state what each condition means; here they judge the same
 * rows under the same scopes, and wherever memory decides, it must decide as SQL does.
 */

const COLUMNS = { division: 'text', sight: 'text', agency: 'text', year: 'integer', flag: 'boolean' } as const;
type Probe = { id: number; division: string | null; sight: string | null; agency: string | null; year: number | null; flag: boolean | null };

const columnOf = (property: string): Column => {
  const sqlType = COLUMNS[property as keyof typeof COLUMNS];
  if (!sqlType) throw new Error(`no column ${property}`);
  return { property, column: `c_${property}`, sqlType, instant: false, embeddedIn: null };
};
const probe: Table = {
  type: 'Probe',
  name: 'scope_probe',
  deletedAt: null,
  primaryKeys: ['id'],
  columns: Object.keys(COLUMNS).map(columnOf),
  column: columnOf,
};

// Values chosen at the edges the two sides could read differently: null, the empty string, a
// prefix holding LIKE's wildcards, a division and its parent and child, a number as text.
const DIVISIONS = [null, '', '3', '32', '3205', '320505', '320506', '31', '32_5', '32_505', '32%', '3205%'];
const TEXTS = [null, '', 'INVITED', 'TRANSFERRED', 'NONE', 'suzhou-psb', 'invited'];
const PREFIXES = ['', '3', '32', '3205', '320505', '32_5', '32%', 'IN', 'TRANS', 'suzhou', 'Suzhou'];

function rows(random: Random, n: number): Probe[] {
  return Array.from({ length: n }, (_, id) => ({
    id,
    division: random.pick(DIVISIONS),
    sight: random.pick(TEXTS),
    agency: random.pick(TEXTS),
    year: random.pick([null, 2025, 2026]),
    flag: random.pick([null, true, false]),
  }));
}

function condition(random: Random, depth: number): ResolvedCondition {
  const some = (values: readonly string[]) => random.shuffle(values).slice(0, random.int(0, 3));
  const text = () => random.pick(['division', 'sight', 'agency']);
  switch (random.int(0, depth > 0 ? 4 : 3)) {
    case 0:
      return { field: text(), startsWithAny: some(PREFIXES) };
    case 1:
      return { field: 'division', overlapsAny: some(DIVISIONS.filter((d): d is string => d !== null)) };
    case 2:
      return random.pick<ResolvedCondition>([
        { field: text(), equals: random.pick(TEXTS.filter((t): t is string => t !== null)) },
        { field: 'division', equals: random.pick(['3205', '320505', '']) },
      ]);
    case 3:
      return random.pick<ResolvedCondition>([
        { field: 'year', equals: random.pick([2025, 2026]) },
        { field: 'flag', equals: random.pick([true, false]) },
      ]);
    default:
      return { anyOf: Array.from({ length: random.int(0, 3) }, () => condition(random, depth - 1)) };
  }
}

function scope(random: Random): RowScope {
  return Array.from({ length: random.int(0, 3) }, () => Array.from({ length: random.int(0, 3) }, () => condition(random, 2)));
}

let client: Client;
const tables = new TableCatalogue(new MetadataStorage());

beforeAll(async () => {
  client = new Client({ connectionString: serverUrl() });
  await client.connect();
  const columns = probe.columns.map((c) => `${c.column} ${c.sqlType}`).join(', ');
  await client.query(`create temporary table scope_probe (id integer primary key, ${columns})`);
});
afterAll(async () => client?.end());

describe('a row scope judged in memory and in SQL', () => {
  it('decides as SQL does on every row it decides, over many scopes and rows at the edges', async () => {
    const random = Random.from(20261205, 'row-scope');
    const data = rows(random, 300);
    await client.query(`insert into scope_probe select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::boolean[])`, [
      data.map((r) => r.id),
      data.map((r) => r.division),
      data.map((r) => r.sight),
      data.map((r) => r.agency),
      data.map((r) => r.year),
      data.map((r) => r.flag),
    ]);
    let decided = 0;
    let visible = 0;
    const disagreements: string[] = [];
    for (let n = 0; n < 250; n++) {
      const s = scope(random);
      const params: unknown[] = [];
      const predicate = scopePredicate(tables, probe, 'p', s, (value) => `$${params.push(value)}`);
      // As a read filters: a row is visible where the predicate is true (null is not).
      const { rows: judged } = await client.query<{ id: number; holds: boolean }>(
        `select id, coalesce(${predicate}, false) as holds from scope_probe p order by id`,
        params,
      );
      for (const { id, holds } of judged) {
        const row = data[id];
        const inMemory = rowInScope(s, { division: row.division, sight: row.sight, agency: row.agency, year: row.year, flag: row.flag });
        if (inMemory === null) continue;
        decided++;
        if (holds) visible++;
        if (inMemory !== holds) disagreements.push(`${JSON.stringify(s)} on ${JSON.stringify(row)}: memory ${inMemory}, SQL ${holds}`);
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Memory decides every row here (no relation, no plate list, every property read): both
    // answers occur often enough that the comparison says something.
    expect(decided).toBe(250 * data.length);
    expect(visible).toBeGreaterThan(decided / 10);
    expect(visible).toBeLessThan(decided * 0.9);
  });
});
