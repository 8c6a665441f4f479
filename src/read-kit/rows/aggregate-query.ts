import type { EntityClass } from '@mikro-orm/core';
import type { TimeKey } from './time-key';
import type { Where } from './where';

/**
 * How a fact type is aggregated. Records are first counted in **units** (`units`: the finest
 * cells an aggregate of the type is ever built from, e.g. a case's month × division × violation
 * code); a query's cells are sums over units, and only units holding at least k records count.
 * So every value published is a sum of units of k or more records: no difference of two queries
 * (other windows, coarser or finer groupings, totals) adds up to a unit below k, and a cell made
 * only of small units is suppressed. Windows must cover whole units of time (see the resolvers).
 */
export interface FactAggregate<T extends object> {
  /** The entity, or a hub-native relation the gateway does not map (no soft deletes). */
  type: EntityClass<T> | NativeFact;
  /** Per unit dimension: its SQL over the fact table (alias `e`) and, for a type with a rollup, over the rollup (alias `r`). */
  units: Readonly<Record<string, { base: BaseSql; rollup?: string }>>;
  /**
   * Per measure: its value per unit over the fact table (an aggregate of the unit's rows); its value
   * per rollup row (null: base only), combined into the unit's by `combine`; and how units combine
   * into cells (`distinct`: the unit's value is an array of values, counted once per cell).
   */
  measures: Readonly<Record<string, { base: BaseSql; rollup: string | null; combine: 'sum' | 'max' | 'distinct' }>>;
  /** Values of other types' rows a unit or measure reads (`lookup(name)` in its SQL), written by the gateway. */
  lookups?: Readonly<Record<string, AggregateLookup>>;
  /**
   * The rollup table (null: none): its count column, the columns holding the entity's properties
   * that filters and row scopes test, and whether each of its rows is one unit (its primary key is
   * the units' columns, as `test/aggregates/rollup-units.test.ts` checks): then its rows are read
   * as units as they are, with no grouping (grouped for a caller whose units merge a dimension, see
   * `AggregateQuery.unitReads`).
   */
  rollup: { table: string; count: string; properties: Readonly<Record<string, string>>; rowsAreUnits?: boolean } | null;
}

/** SQL over the fact table (alias `e`), or built around the lookups it reads. */
export type BaseSql = string | ((lookup: (name: string) => string) => string);

/**
 * A value of another type's live rows joined to each fact: the first row's `value` in `order`
 * (e.g. an enterprise's latest credit grade), or `otherwise` where none joins. Read by the
 * aggregate grant's own right (the group-by or measure reading it names the fact's field it comes
 * through), as a row scope's `via` reads its joined rows: the caller's row scope of that type
 * does not apply, and the rows never reach a response.
 */
export interface AggregateLookup {
  type: string;
  /** Pairs of (the fact's property, the other type's property) the rows are joined on. */
  on: ReadonlyArray<readonly [string, string]>;
  value: string;
  order?: ReadonlyArray<readonly [string, 'asc' | 'desc']>;
  otherwise: string | null;
}

/** A hub-native relation counted as facts of a GraphQL type: its name, and the columns of the properties filters and row scopes test. */
export interface NativeFact {
  typeName: string;
  relation: string;
  properties: Readonly<Record<string, string>>;
}

/** One group key of a query: SQL over the unit columns (`unit(name)`), and how its text is written. */
export interface AggregateGroup {
  value: (unit: (name: string) => string) => string;
  /** A time, written as Beijing time by the hub (see `TimeKey`); otherwise the value's `::text`. */
  time?: TimeKey;
}

/** What a repository asks of the read gateway. */
export interface AggregateQuery<T extends object> {
  fact: FactAggregate<T>;
  where: Where<T>;
  groups: readonly AggregateGroup[];
  /**
   * Per unit dimension, the type's fields a group-by on it reads (`unitReads`). A caller whose
   * aggregate grant names none of them can neither group nor filter by the dimension, so its units
   * are merged over it: which cells are small must not tell it about a dimension it may not read.
   */
  unitReads: Readonly<Record<string, readonly string[]>>;
  measures: readonly string[];
  k: number;
  first: number;
  order: 'KEYS' | 'COUNT_DESC';
}

/** One row of the answer: keys as text, count and measures null when every unit of the cell is below k. */
export interface AggregateRow {
  keys: readonly string[];
  count: number | null;
  /** Records in units below k, left out. */
  withheld: number;
  values: ReadonlyArray<number | null>;
}

export interface AggregateAnswer {
  rows: AggregateRow[];
  source: 'ROLLUP' | 'BASE';
  truncated: boolean;
}

/**
 * Per unit dimension, the fields the group-bys reading it read (`reads`: per group-by, as the
 * aggregate's declaration names them). A dimension no group-by reads is never merged. Derived
 * once, as a module constant of the repository that aggregates the type.
 */
export function unitReads(
  groups: Readonly<Record<string, AggregateGroup>>,
  reads: Readonly<Record<string, readonly string[]>>,
): Readonly<Record<string, readonly string[]>> {
  const result: Record<string, string[]> = {};
  for (const [name, group] of Object.entries(groups)) {
    group.value((unit) => {
      result[unit] = [...new Set([...(result[unit] ?? []), ...(reads[name] ?? [])])];
      return unit;
    });
  }
  return result;
}
