import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { SqlClient } from '../../db/sql-client';
import type { RowScope } from './row-scope';

/** Which fields an operation selects, per GraphQL type (see `../operation/operation-analysis.ts`). */
export interface FieldSelection {
  /** The selected field names of a type, or an empty set when the operation never reaches it. */
  fieldsOf(typeName: string): ReadonlySet<string>;
}

/**
 * What the hub reads of an entity's rows whatever the operation selects, besides the primary key:
 * the parent keys its relations follow (from the relation declarations, `../relations`).
 */
export interface EntityReads {
  keysOf(entityName: string): readonly string[];
}

/** What a repository reads with: the ORM for metadata and query building, `sql` to run them. */
export interface ReadScope {
  em: EntityManager;
  sql: SqlClient;
  /**
   * Filled in once the operation is parsed; without a selection, reads load every column. An
   * object of its own because Apollo hands resolvers a shallow copy of the context.
   */
  operation?: { readonly selection: FieldSelection | null };
  /** The caller's row scopes; absent or null only where access control is off (benchmarks). */
  access?: { rowScopeOf(typeName: string): RowScope | null } | null;
  /** Set wherever `operation` is: projected reads load these too. */
  relations?: EntityReads;
}

/**
 * Runs a query built with MikroORM's query builder on the counted read client; raw rows. With
 * `columnList` the select list is replaced (projections).
 */
export function runBuilt(scope: ReadScope, qb: QueryBuilder<object>, columnList?: string): Promise<Array<Record<string, unknown>>> {
  const query = qb.getKnexQuery();
  if (columnList) query.clearSelect().select(scope.em.getKnex().raw(columnList));
  const native = query.toSQL().toNative();
  return scope.sql.query(native.sql, native.bindings as unknown[]);
}

/**
 * Counts what a built query matches (its order and limit dropped); with `atMost`, reads at most
 * that many matching rows, so the count is at most `atMost`.
 */
export async function countBuilt(scope: ReadScope, qb: QueryBuilder<object>, atMost?: number): Promise<number> {
  if (atMost !== undefined) {
    const query = qb.clone().getKnexQuery().clearSelect().clearOrder().select(scope.em.getKnex().raw('1')).limit(atMost);
    const native = query.toSQL().toNative();
    const [row] = await scope.sql.query<{ n: number }>(`select count(*)::int as n from (${native.sql}) as bounded`, native.bindings as unknown[]);
    return row.n;
  }
  const counting = qb.clone();
  counting.count();
  const [row] = await runBuilt(scope, counting as unknown as QueryBuilder<object>);
  return Number(Object.values(row)[0]);
}
