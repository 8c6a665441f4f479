import type { EntityClass } from '@mikro-orm/core';
import type { Pool } from 'pg';
import type { Database } from '../../db/database';
import { escapeLike } from '../../db/escape-like';
import { ReadRouting, type ReplicaState } from '../../db/read-routing';
import { createPool, SqlClient, type SqlQueries, type StatementGate } from '../../db/sql-client';
import { poolUsage, type PoolUsage } from '../../db/pool-usage';
import { textArrayLiteral } from '../../db/text-array';
import { toPage, type Page } from '../pagination/connection';
import { decodeCursor } from '../pagination/cursor';
import { pageSize } from '../pagination/page-args';
import { cursorOf, type Ordering, type PageRequest } from '../pagination/paginate';
import { projectionOf } from './projection';
import type { ReadCaller } from './read-caller';
import type { RowScope } from './row-scope';
import { storedScope, type StoredCondition } from './row-scope-data';
import { scopePredicate } from './row-scope-sql';
import { TableCatalogue, type Column, type Table } from './table-catalogue';
import { CombinedReads, type OrderKey, type OutputColumn } from './combined-reads';
import { isOperator, type RowsOf, type Where } from './where';
import type { AggregateAnswer, AggregateLookup, AggregateQuery, BaseSql } from './aggregate-query';
import { columnTable, rollupTable, scopeFits } from './rollup-table';
import { timeKeySql, timeKeyWriter } from './time-key';

type Row = Record<string, unknown>;

/** Properties and directions to sort by, the row's unique key last. */
export type Order<T> = ReadonlyArray<readonly [keyof T & string, 'asc' | 'desc']>;

/** Rows grouped by a parent they name: the parent's key properties and the parents asked for. */
export interface PerParent<T> {
  /** The properties naming a row's parent (a vehicle's plate: number and colour), in the order of each tuple of `parents`. */
  parentKeys: ReadonlyArray<keyof T & string>;
  parents: ReadonlyArray<readonly string[]>;
  where?: Where<T>;
}

/** How each parent's rows are sorted: a plain order, or a connection's ordering with a cursor to continue after. */
export type PerParentOrder<T> = { order: Order<T> } | { ordering: Ordering<T>; after?: string | null };

/** Reads of tables the gateway does not own (the audit trail, sync state): statements written by their owners. */
export interface BookkeepingSql {
  query<R = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** What an access decision reads of one row and the rows it names (see `RowReads.decisionRow`). */
export interface DecisionRead {
  /** Rows must also meet this scope (e.g. the cases an agreement's consumer holds). */
  within?: RowScope | null;
  properties: readonly string[];
  /** Per name, the values (`properties`, one array per row) of the live rows of `type` whose `on[i][1]` equals this row's `on[i][0]`. */
  related?: Record<string, { type: string; on: ReadonlyArray<readonly [string, string]>; properties: readonly string[] }>;
}

/** Whether a filter value was given: null, undefined and empty text filter nothing (see `Where`). */
const given = <V>(value: V): value is Exclude<V, null | undefined> => value !== null && value !== undefined && value !== '';

/** A statement's parameters as it is written: each value placed returns its placeholder. */
class Statement {
  readonly params: unknown[] = [];
  readonly place = (value: unknown): string => `$${this.params.push(value)}`;
}

/** A projection's columns as a statement returns them. */
const output = (columns: readonly Column[]): OutputColumn[] => columns.map((c) => ({ name: c.column, sqlType: c.sqlType }));

/** A bound written into a statement's text: only ever a count the hub computed, checked all the same. */
function bound(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row bound: ${n}`);
  return n;
}

/**
 * One request's reads of the domain tables, for one caller. Every statement it writes reads only
 * live rows (soft-deleted ones never), only rows the caller's row scope lets it see (in SQL, so
 * counts and pages agree), and only the columns the operation selects plus the always-loaded
 * ones. Repositories state conditions and intent (which keys, which ordering, which page); the
 * SQL is written here, from the ORM's metadata, every value a parameter.
 */
export class RowReads {
  constructor(
    private readonly client: SqlQueries,
    private readonly tables: TableCatalogue,
    private readonly caller: ReadCaller,
    /** Reads of the tables the gateway does not own, on the same (counted, gated) connection. */
    readonly bookkeeping: BookkeepingSql,
    /**
     * Where access decisions read (`decisionRow`): always the primary. A replica may lag behind
     * what a decision must see, a case closed or handed on by a sync or by another agency.
     */
    private readonly decisions: SqlQueries = client,
    /** The request's statements of one turn of the event loop, sent as one (see `CombinedReads`). */
    private readonly combined: CombinedReads = new CombinedReads(false),
  ) {}

  /**
   * A statement returning `columns`, sent with the others of its turn; null: alone. Counts run
   * alone: a count reads every matching row (over many day partitions for captures), and beside
   * the page it counts it runs on a connection of its own, in parallel; combined, the two ran one
   * after the other (W3, one plate's 30-day captures: c=1 p50 21.6 → 32.8 ms in one run on a
   * shared machine; see the README's Performance section).
   */
  private read<R = Row>(text: string, params: readonly unknown[], columns: readonly OutputColumn[] | null, order: readonly OrderKey[]): Promise<R[]> {
    return this.combined.query(this.client, text, params, columns, order) as Promise<R[]>;
  }

  /** `conditions` with what every read of `table` (as `alias`) carries: live rows, and the caller's row scope. */
  private filter(
    table: Table,
    alias: string | null,
    s: Statement,
    conditions: readonly string[],
    rowScope: RowScope | null = this.caller.access?.rowScopeOf(table.type) ?? null,
  ): string {
    const all = table.deletedAt ? [`${alias ? `${alias}.` : ''}${table.deletedAt} is null`, ...conditions] : [...conditions];
    if (rowScope !== null) all.push(scopePredicate(this.tables, table, alias, rowScope, s.place));
    return all.length ? all.join(' and ') : 'true';
  }

  private whereSql(table: Table, alias: string, where: Where<object>, s: Statement): string[] {
    const out: string[] = [];
    for (const [property, test] of Object.entries(where) as Array<[string, unknown]>) {
      if (!given(test)) continue;
      const column = `${alias}.${table.column(property).column}`;
      if (!isOperator(test)) out.push(`${column} = ${s.place(test)}`);
      else if ('in' in test) out.push(`${column} in (${this.subquery(test.in, s)})`);
      else if ('has' in test) out.push(`${s.place(test.has)} = any(${column})`);
      else if ('startsWith' in test) {
        if (given(test.startsWith)) out.push(`${column} like ${s.place(`${escapeLike(test.startsWith)}%`)}`);
      } else if ('contains' in test) {
        if (given(test.contains)) out.push(`${column} like ${s.place(`%${escapeLike(test.contains)}%`)}`);
      } else {
        if (given(test.gte)) out.push(`${column} >= ${s.place(test.gte)}`);
        if (given(test.gt)) out.push(`${column} > ${s.place(test.gt)}`);
        if (given(test.lt)) out.push(`${column} < ${s.place(test.lt)}`);
      }
    }
    return out;
  }

  /** The values of a property over another table's rows, read as any other: live, in the caller's scope. */
  private subquery(rows: RowsOf, s: Statement): string {
    const table = this.tables.of(rows.type);
    const alias = `in_${table.name}`;
    const conditions = this.whereSql(table, alias, rows.where, s);
    return `select ${alias}.${table.column(rows.property).column} from ${table.name} ${alias} where ${this.filter(table, alias, s, conditions)}`;
  }

  /**
   * The rows of `type` whose `keys` (one or more properties) equal one of `tuples`, in one
   * statement: the loaders' hot path. `also`: properties the repository computes with (a plan's
   * figures from its tasks), read whatever the operation selects.
   */
  async byKeys<T extends object>(
    type: EntityClass<T>,
    keys: ReadonlyArray<keyof T & string>,
    tuples: ReadonlyArray<readonly unknown[]>,
    order: Order<T> = [],
    also: ReadonlyArray<keyof T & string> = [],
  ): Promise<T[]> {
    if (tuples.length === 0) return [];
    const table = this.tables.of(type);
    // The order's columns returned too: combined with others, the statement's rows are put in its order by them.
    const projection = projectionOf<T>(table, this.caller, [...keys, ...also, ...order.map(([p]) => p)]);
    const sorted = order.map(([p, direction]): OrderKey => ({ column: table.column(p).column, direction }));
    const columns = keys.map((k) => table.column(k).column);
    const s = new Statement();
    const conditions = [`${columns[0]} = any(${s.place(textArrayLiteral(tuples.map((t) => t[0])))}::text[])`];
    if (columns.length > 1) {
      // The first column's array again, so the index on it seeks; the tuples then pair the columns up.
      const arrays = columns.map((_, i) => `${s.place(textArrayLiteral(tuples.map((t) => t[i])))}::text[]`);
      conditions.push(`(${columns.join(', ')}) in (select * from unnest(${arrays.join(', ')}))`);
    }
    let sql = `select ${projection.columnList} from ${table.name} where ${this.filter(table, null, s, conditions)}`;
    if (sorted.length) sql += ` order by ${sorted.map((k) => `${k.column} ${k.direction}`).join(', ')}`;
    return (await this.read(sql, s.params, output(projection.columns), sorted)).map(projection.map);
  }

  /**
   * One page of the rows of `type` meeting `where`, in the request's ordering (after its cursor),
   * with a count of all of them that runs only when asked for.
   */
  async page<T extends object>(type: EntityClass<T>, where: Where<T>, request: PageRequest<T>): Promise<Page<T>> {
    const { ordering } = request;
    const limit = pageSize(request.first);
    const table = this.tables.of(type);
    const s = new Statement();
    const from = `from ${table.name} e where ${this.filter(table, 'e', s, this.whereSql(table, 'e', where as Where<object>, s))}`;
    const countParams = [...s.params];
    const count = async (atMost?: number): Promise<number> => {
      const text = atMost === undefined ? `select count(*) as n ${from}` : `select count(*) as n from (select 1 ${from} limit ${bound(atMost)}) as bounded`;
      return Number((await this.read<{ n: string }>(text, countParams, null, []))[0].n);
    };
    const seek = request.after ? ` and ${this.seek(ordering, request.after, 'e', s)}` : '';
    const projection = projectionOf<T>(
      table,
      this.caller,
      ordering.keys.map((k) => k.property),
    );
    const sorted = ordering.keys.map((k): OrderKey => ({ column: k.column, direction: ordering.direction }));
    const orderBy = sorted.map((k) => `e.${k.column} ${k.direction}`).join(', ');
    const rows = await this.read(
      `select ${projection.columnList} ${from}${seek} order by ${orderBy} limit ${bound(limit + 1)}`,
      s.params,
      output(projection.columns),
      sorted,
    );
    return toPage(rows.map(projection.map), limit, (row) => cursorOf(ordering, row), count);
  }

  /** Rows after a cursor of `ordering`: one row-value comparison, so an index on its keys can seek. */
  private seek<T>(ordering: Ordering<T>, after: string, alias: string, s: Statement): string {
    const values = decodeCursor(
      'after',
      after,
      ordering.name,
      ordering.keys.map((k) => k.type),
    );
    const columns = ordering.keys.map((k) => `${alias}.${k.column}`).join(', ');
    return `(${columns}) ${ordering.direction === 'asc' ? '>' : '<'} (${values.map((v) => s.place(v)).join(', ')})`;
  }

  /** The parents as a JSON record set `k` (columns `k0`, `k1`, … typed as the key columns) and how a row matches one. */
  private parentsOf<T>(table: Table, request: PerParent<T>, s: Statement): { recordSet: string; match: string[] } {
    const json = JSON.stringify(request.parents.map((p) => Object.fromEntries(p.map((v, i) => [`k${i}`, v]))));
    const columns = request.parentKeys.map((k) => table.column(k));
    return {
      recordSet: `json_to_recordset(${s.place(json)}::json) as k(${columns.map((c, i) => `k${i} ${c.sqlType}`).join(', ')})`,
      match: columns.map((c, i) => `r.${c.column} = k.k${i}`),
    };
  }

  /**
   * Up to `limit` rows of each parent, in one statement for all parents: a lateral join lets each
   * parent seek its own index range and stop after `limit` rows.
   */
  async firstPerParent<T extends object>(type: EntityClass<T>, request: PerParent<T> & PerParentOrder<T> & { limit: number }): Promise<T[]> {
    if (request.parents.length === 0 || request.limit === 0) return [];
    const table = this.tables.of(type);
    const s = new Statement();
    const { recordSet, match } = this.parentsOf(table, request, s);
    const conditions = [...match, ...this.whereSql(table, 'r', (request.where ?? {}) as Where<object>, s)];
    let order: Array<readonly [string, string, 'asc' | 'desc']>;
    if ('ordering' in request) {
      const { ordering } = request;
      if (request.after) conditions.push(this.seek(ordering, request.after, 'r', s));
      order = ordering.keys.map((k) => [k.property, k.column, ordering.direction] as const);
    } else {
      order = request.order.map(([p, d]) => [p, table.column(p).column, d] as const);
    }
    const projection = projectionOf<T>(table, this.caller, [...request.parentKeys, ...order.map(([p]) => p)]);
    const rows = await this.read(
      `
      select r.* from ${recordSet}
      cross join lateral (
        select ${projection.columnList} from ${table.name} r
        where ${this.filter(table, 'r', s, conditions)}
        order by ${order.map(([, c, d]) => `r.${c} ${d}`).join(', ')}
        limit ${bound(request.limit)}) r`,
      s.params,
      output(projection.columns),
      // Each parent's rows in their order; the parents' own order is no one's (their rows are grouped by parent).
      [
        ...request.parentKeys.map((k): OrderKey => ({ column: table.column(k).column, direction: 'asc' })),
        ...order.map(([, column, direction]): OrderKey => ({ column, direction })),
      ],
    );
    return rows.map(projection.map);
  }

  /**
   * How many rows each parent has, in one statement (index-only per parent); with `atMost`, each
   * parent's count reads at most that many rows.
   */
  async countPerParent<T extends object>(
    type: EntityClass<T>,
    request: PerParent<T> & { atMost?: number },
  ): Promise<Array<{ parent: string[]; count: number }>> {
    if (request.parents.length === 0) return [];
    const table = this.tables.of(type);
    const s = new Statement();
    const { recordSet, match } = this.parentsOf(table, request, s);
    const filter = this.filter(table, 'r', s, [...match, ...this.whereSql(table, 'r', (request.where ?? {}) as Where<object>, s)]);
    const limit = request.atMost === undefined ? '' : ` limit ${bound(request.atMost)}`;
    const keys = request.parentKeys.map((_, i) => `k.k${i}`);
    const rows = await this.read<Row & { count: string }>(
      `
      select ${keys.join(', ')}, (select count(*) from (select 1 from ${table.name} r where ${filter}${limit}) as matching) as count
      from ${recordSet}`,
      s.params,
      null,
      [],
    );
    return rows.map((r) => ({ parent: keys.map((_, i) => r[`k${i}`] as string), count: Number(r.count) }));
  }

  /**
   * An aggregate of `query.fact`'s rows meeting `where` (see `FactAggregate`): records counted per
   * unit, then units of at least k records summed into the query's cells, in one statement. Read
   * from the rollup table when it holds every unit, measure, filter and the caller's aggregate
   * scope, else from the fact table; live rows only, within the caller's aggregate scope.
   */
  async aggregate<T extends object>(query: AggregateQuery<T>): Promise<AggregateAnswer> {
    const fact = query.fact.type;
    const base = 'relation' in fact ? columnTable(fact.typeName, fact.relation, fact.properties).table : this.tables.of(fact);
    const access = this.caller.access;
    const scope = access ? (access.aggregateScopeOf ? access.aggregateScopeOf(base.type) : []) : null;
    const rollup = query.fact.rollup ? rollupTable(base.type, query.fact.rollup) : null;
    const filtered = Object.entries(query.where as Record<string, unknown>)
      .filter(([, test]) => given(test))
      .map(([property]) => property);
    const useRollup =
      rollup !== null &&
      query.measures.every((m) => query.fact.measures[m].rollup !== null) &&
      filtered.every((p) => rollup.has(p)) &&
      scopeFits(scope, rollup.has);
    const s = new Statement();
    const unitNames = Object.keys(query.fact.units);
    const unitColumn = (name: string) => `u${unitNames.indexOf(name)}`;
    // The caller's units are split only by the dimensions its grant lets it group or filter by
    // (a time unit's field is what its windows test, so windows keep their units); the others are
    // merged, so which of its cells are small says nothing of a dimension it may not read.
    const granted = access ? (access.aggregateFieldsOf?.(base.type) ?? new Set<string>()) : null;
    const split = unitNames.map((n) => granted === null || !(n in query.unitReads) || query.unitReads[n].some((f) => granted.has(f)));
    const merged = split.includes(false);
    const unitGroups = unitNames.flatMap((_, i) => (split[i] ? [i + 1] : []));
    const unitGroupBy = unitGroups.length ? ` group by ${unitGroups.join(', ')}` : '';
    let units: string;
    if (useRollup) {
      const table = rollup.table;
      const conditions = this.whereSql(table, 'r', query.where as Where<object>, s);
      const unitSql = unitNames.map((n, i) => {
        const sql = query.fact.units[n].rollup;
        if (sql === undefined) throw new Error(`the rollup ${table.name} declares no unit ${n}`);
        return `${split[i] ? sql : 'null'} as u${i}`;
      });
      const where = this.filter(table, 'r', s, conditions, scope);
      if (query.fact.rollup?.rowsAreUnits && !merged) {
        // One row per unit, read as it is: a grouping in the key's order reads the key's index and stops at `first` cells.
        // Its count keeps the rollup's integer type: summed as bigint, where a bigint would be summed
        // as numeric (a month of flow by hour × checkpoint: 8.9 against 8.0 ms in psql).
        const measureSql = query.measures.map((m, j) => `${query.fact.measures[m].rollup} as m${j}`);
        units = `select ${[...unitSql, `r.${rollup.count} as n`, ...measureSql].join(', ')} from ${table.name} r where ${where}`;
      } else {
        const measureSql = query.measures.map((m, j) => `${query.fact.measures[m].combine}(${query.fact.measures[m].rollup}) as m${j}`);
        units = `select ${[...unitSql, `sum(r.${rollup.count})::bigint as n`, ...measureSql].join(', ')} from ${table.name} r where ${where}${unitGroupBy}`;
      }
    } else {
      const conditions = this.whereSql(base, 'e', query.where as Where<object>, s);
      const lookup = (name: string) => this.lookupSql(base, query.fact.lookups?.[name], name, s);
      const sqlOf = (sql: BaseSql) => (typeof sql === 'string' ? sql : sql(lookup));
      const unitSql = unitNames.map((n, i) => `${split[i] ? sqlOf(query.fact.units[n].base) : 'null'} as u${i}`);
      const measureSql = query.measures.map((m, j) => `${sqlOf(query.fact.measures[m].base)} as m${j}`);
      units = `select ${[...unitSql, 'count(*)::bigint as n', ...measureSql].join(', ')} from ${base.name} e where ${this.filter(base, 'e', s, conditions, scope)}${unitGroupBy}`;
    }
    // As bigint whatever a unit's count is (a rollup's integer column): an agreement's k has no upper bound.
    const k = `${s.place(query.k)}::bigint`;
    const groups = query.groups.map((g) => g.value(unitColumn));
    const texts = query.groups.map((g, i) => `${g.time ? timeKeySql(`(${groups[i]})`) : `(${groups[i]})::text`} as t${i}`);
    const distinct = query.measures.map((m, j) => [m, j] as const).filter(([m]) => query.fact.measures[m].combine === 'distinct');
    const limit = ` limit ${bound(query.first + 1)}`;
    // Cells are ordered by the group keys themselves, which are not returned: only their text is read.
    const orderOf = (keys: readonly string[]) => {
      const orderBy = query.order === 'COUNT_DESC' ? ['n desc nulls last', ...keys] : keys;
      return orderBy.length ? ` order by ${orderBy.join(', ')}` : '';
    };
    let sql: string;
    if (distinct.length === 0 && !merged && groups.length === unitNames.length && unitNames.every((_, i) => groups.includes(`u${i}`))) {
      // Grouped by every unit as it is: a cell is one unit, published or withheld whole.
      const select = [
        ...texts,
        `case when n >= ${k} then n end as n`,
        `case when n < ${k} then n else 0 end as withheld`,
        ...query.measures.map((_, j) => `case when n >= ${k} then m${j} end as v${j}`),
      ];
      sql = `with units as (${units}) select ${select.join(', ')} from units${orderOf(groups)}${limit}`;
    } else if (distinct.length === 0) {
      const select = [
        ...texts,
        `sum(n) filter (where n >= ${k}) as n`,
        `coalesce(sum(n) filter (where n < ${k}), 0) as withheld`,
        ...query.measures.map((m, j) => `${query.fact.measures[m].combine}(m${j}) filter (where n >= ${k}) as v${j}`),
      ];
      const groupBy = groups.length ? ` group by ${groups.join(', ')}` : '';
      sql = `with units as (${units}) select ${select.join(', ')} from units${groupBy}${orderOf(groups)}${limit}`;
    } else {
      // A distinct count does not add up over units: each unit of k or more carries its values
      // (an array), unnested per cell and counted once.
      const select = [
        ...groups.map((g, i) => `${g} as g${i}`),
        ...texts,
        `sum(n) filter (where n >= ${k}) as n`,
        `coalesce(sum(n) filter (where n < ${k}), 0) as withheld`,
        ...query.measures.map((m, j) => {
          const combine = query.fact.measures[m].combine;
          return combine === 'distinct' ? `null::bigint as v${j}` : `${combine}(m${j}) filter (where n >= ${k}) as v${j}`;
        }),
      ];
      const groupBy = groups.length ? ` group by ${groups.map((_, i) => i + 1).join(', ')}` : '';
      const keys = groups.map((_, i) => `g${i}`);
      const order = orderOf(keys);
      const counted = distinct.map(
        ([, j]) =>
          `(select count(distinct x) from units v cross join lateral unnest(v.m${j}) x where v.n >= ${k}${groups.map((g, i) => ` and (${g.replace(/\bu(\d+)\b/g, 'v.u$1')}) is not distinct from c.g${i}`).join('')}) as v${j}`,
      );
      const kept = select.map((_, i) => i).filter((i) => !distinct.some(([, j]) => i === groups.length * 2 + 2 + j));
      const columns = [...keys, ...query.groups.map((_, i) => `t${i}`), 'n', 'withheld', ...query.measures.map((_, j) => `v${j}`)];
      const outer = columns.map((c, i) => (kept.includes(i) ? `c.${c}` : counted[distinct.findIndex(([, j]) => c === `v${j}`)]));
      sql = `with units as (${units}), c as (select ${select.join(', ')} from units${groupBy}${order}${limit}) select ${outer.join(', ')} from c${order.replace(/\b(g\d+|n)\b/g, 'c.$1')}`;
    }
    // Planned for its window: a generic plan, costed with a range's default selectivity, took a
    // year of the weighing rollup (most of it) for a few rows and chose an index scan and a sort
    // of every row, 3 × the hash aggregate a plan for the values picks (46 against 16 ms).
    const rows = await this.client.query<Row>(sql, s.params, 'values');
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    // Per column, named once: 5,000 cells are 5,000 rows.
    const keyColumns = query.groups.map((g, i) => ({ column: `t${i}`, write: g.time ? timeKeyWriter(g.time) : String }));
    const valueColumns = query.measures.map((_, j) => `v${j}`);
    return {
      source: useRollup ? 'ROLLUP' : 'BASE',
      truncated: rows.length > query.first,
      rows: rows.slice(0, query.first).map((r) => ({
        keys: keyColumns.map(({ column, write }) => write(r[column])),
        count: num(r.n),
        withheld: Number(r.withheld),
        values: valueColumns.map((column) => num(r[column])),
      })),
    };
  }

  /** A lookup's value for each fact row (alias `e`): a subquery over the other type's live rows (see `AggregateLookup`). */
  private lookupSql(fact: Table, lookup: AggregateLookup | undefined, name: string, s: Statement): string {
    if (!lookup) throw new Error(`the aggregate of ${fact.type} declares no lookup ${name}`);
    const other = this.tables.of(lookup.type);
    const on = lookup.on.map(([mine, theirs]) => `l.${other.column(theirs).column} = e.${fact.column(mine).column}`);
    const live = other.deletedAt ? [`l.${other.deletedAt} is null`] : [];
    const order = (lookup.order ?? []).map(([p, direction]) => `l.${other.column(p).column} ${direction}`);
    const value = `(select l.${other.column(lookup.value).column} from ${other.name} l where ${[...on, ...live].join(' and ')}${order.length ? ` order by ${order.join(', ')}` : ''} limit 1)`;
    return lookup.otherwise === null ? value : `coalesce(${value}, ${s.place(lookup.otherwise)})`;
  }

  /**
   * The caller's row scope on `type` as data (`storedScope`): for a check that runs later in
   * another transaction, under no request (a pending clue link, confirmed only if its case arrives
   * inside the linker's scope). Null when the caller's rows of `type` are not scoped.
   */
  scopeData(type: string): StoredCondition[][] | null {
    const table = this.tables.of(type);
    const rowScope = this.caller.access?.rowScopeOf(table.type) ?? null;
    return rowScope === null ? null : storedScope(table, rowScope);
  }

  /**
   * For an access decision, not for the caller to see: the row of `type` with `key`, live,
   * visible to the caller and within `within`, as its `properties` (and each `related` name),
   * or null. The related rows are read as a row scope's `via` reads its joined rows: live, by the
   * access rule's own right rather than the caller's row scope (a case unlocks the captures of its
   * party's whole fleet), and they never reach a response. One statement.
   */
  async decisionRow(type: string, key: Record<string, unknown>, read: DecisionRead): Promise<Row | null> {
    const entries = Object.entries(key);
    if (entries.length === 0) throw new Error(`a decision reads one ${type} by its key; none was given`);
    const [row] = await this.decisionRead(type, (k, s) => entries.map(([p, v]) => `${k.column(p)} = ${s.place(v)}`), read);
    return row ?? null;
  }

  /** As `decisionRow`, for many rows at once: those whose `property` is one of `values` (each read once; one statement). */
  async decisionRows(type: string, property: string, values: readonly unknown[], read: DecisionRead): Promise<Row[]> {
    if (values.length === 0) return [];
    return this.decisionRead(type, (k, s) => [`${k.column(property)} = any(${s.place([...new Set(values)])})`], read);
  }

  private async decisionRead(type: string, keyed: (k: { column(property: string): string }, s: Statement) => string[], read: DecisionRead): Promise<Row[]> {
    const table = this.tables.of(type);
    const s = new Statement();
    const columns = read.properties.map((p) => [p, table.column(p).column] as const);
    const select = columns.map(([, c]) => `k.${c}`);
    for (const [name, related] of Object.entries(read.related ?? {})) {
      const other = this.tables.of(related.type);
      const r = `rule_${other.name}`;
      const on = related.on.map(([mine, theirs]) => `${r}.${other.column(theirs).column} = k.${table.column(mine).column}`);
      const live = other.deletedAt ? [`${r}.${other.deletedAt} is null`] : [];
      const values = related.properties.map((p) => `${r}.${other.column(p).column}`).join(', ');
      const rows = `from ${other.name} ${r} where ${[...on, ...live].join(' and ')}`;
      select.push(`(select coalesce(json_agg(json_build_array(${values})), '[]'::json) ${rows}) as "rule:${name}"`);
    }
    // The key first, then what every read carries: the statement reads as the lookup it is.
    let where = keyed({ column: (p) => `k.${table.column(p).column}` }, s).join(' and ');
    const guarded = this.filter(table, 'k', s, []);
    if (guarded !== 'true') where += ` and ${guarded}`;
    if (read.within) where += ` and ${scopePredicate(this.tables, table, 'k', read.within, s.place)}`;
    const rows = await this.decisions.query(`select ${select.join(', ')} from ${table.name} k where ${where}`, s.params);
    return rows.map((row) => {
      const named: Row = {};
      for (const [p, c] of columns) named[p] = row[c];
      for (const name of Object.keys(read.related ?? {})) named[name] = row[`rule:${name}`];
      return named;
    });
  }
}

/** Reads of the tables the gateway does not own; a statement naming one of its tables is refused before it runs. */
class Bookkeeping implements BookkeepingSql {
  constructor(
    private readonly client: SqlQueries,
    private readonly owned: RegExp,
  ) {}

  async query<R = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const named = this.owned.exec(text);
    if (named) throw new Error(`A bookkeeping read names ${named[1]}, a table only the read gateway reads`);
    return this.client.query<R>(text, params);
  }
}

/** How the read gateway opens its pool. */
export interface ReadGatewayOptions {
  /** Every statement is cancelled after this long (ms), so no request holds a connection for long. */
  statementTimeoutMs: number;
  /** An idle connection lost (server restart, terminated backend): reported, not thrown. */
  onIdleError(error: Error): void;
  /** A streaming replica of the database (`DATABASE_READ_URL`) for the reads that may use it (see `ReadRouting`). */
  replicaUrl?: string | null;
  /** Whether a request's statements of one turn go to PostgreSQL as one (`CombinedReads`); on unless false. */
  combineReads?: boolean;
}

/** Who a request's statement is read for, asked at each statement: the operation is known only once it is resolved. */
export type ReadRoute = () => { caller: string | null; replica: boolean };

/**
 * The only way requests read the database: it holds the read pool, knows the tables from the
 * ORM's metadata (read once, here), and hands each request its `RowReads` for its caller.
 */
export class ReadGateway {
  readonly tables: TableCatalogue;
  private readonly pool: Pool;
  private readonly client: SqlClient;
  private readonly owned: RegExp;
  private readonly replica: { pool: Pool; client: SqlClient; routing: ReadRouting } | null = null;
  /** Whether requests' statements of one turn are combined (see `CombinedReads`); tests compare both ways. */
  combineReads: boolean;

  constructor(database: Pick<Database, 'orm' | 'url' | 'counter'>, options: ReadGatewayOptions) {
    this.tables = new TableCatalogue(database.orm.getMetadata());
    this.pool = createPool(database.url, 10, options.onIdleError, options.statementTimeoutMs);
    this.client = new SqlClient(this.pool, database.counter, options.statementTimeoutMs);
    this.combineReads = options.combineReads ?? true;
    this.owned = new RegExp(`\\b(?:from|join)\\s+(?:public\\.)?"?(${this.tables.tableNames.join('|')})\\b`, 'i');
    if (options.replicaUrl) {
      const pool = createPool(options.replicaUrl, 10, options.onIdleError, options.statementTimeoutMs);
      this.replica = {
        pool,
        client: new SqlClient(pool, database.counter, options.statementTimeoutMs),
        routing: new ReadRouting(this.pool, pool, { pollMs: 250, maxLagSeconds: 30, onError: options.onIdleError }),
      };
    }
  }

  /** Reads the replica's position before the first request (when there is a replica). */
  async start(): Promise<void> {
    await this.replica?.routing.start();
  }

  /**
   * A request's reads, for `caller`; with `gate`, its statements wait for a slot of the caller's
   * agency; with a replica, `route` says per statement whether it may read there.
   */
  forRequest(caller: ReadCaller, gate: StatementGate | null = null, route: ReadRoute | null = null): RowReads {
    const primary = gate ? this.client.gated(gate) : this.client;
    const client = this.routed(primary, gate, route);
    return new RowReads(client, this.tables, caller, new Bookkeeping(client, this.owned), primary, new CombinedReads(this.combineReads));
  }

  /** After `caller` wrote: its reads stay on the primary until the replica has replayed the write. */
  async wrote(caller: string): Promise<void> {
    await this.replica?.routing.wrote(caller);
  }

  /** The replica pool's connections, when there is one. */
  replicaUsage(): Array<PoolUsage & { pool: string }> {
    return this.replica ? [{ pool: 'replica', ...poolUsage(this.replica.pool) }] : [];
  }

  /** The replica's replay as last seen, or null without one. */
  replicaState(): ReplicaState | null {
    return this.replica?.routing.replicaState ?? null;
  }

  private routed(primary: SqlQueries, gate: StatementGate | null, route: ReadRoute | null): SqlQueries {
    const replica = this.replica;
    if (!replica || !route) return primary;
    const secondary = gate ? replica.client.gated(gate) : replica.client;
    const target = (): SqlQueries => {
      const { caller, replica: allowed } = route();
      return allowed && replica.routing.readsReplica(caller) ? secondary : primary;
    };
    return { query: (text, params, planFor) => target().query(text, params, planFor), target };
  }

  /** The read pool's connections now (for the hub's metrics). */
  usage(): PoolUsage {
    return poolUsage(this.pool);
  }

  async close(): Promise<void> {
    this.replica?.routing.stop();
    await this.replica?.pool.end();
    await this.pool.end();
  }
}
