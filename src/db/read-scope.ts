import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { SqlClient } from './sql-client';

/** What a repository reads with: the ORM for metadata and query building, `sql` to run them. */
export interface ReadScope {
  em: EntityManager;
  sql: SqlClient;
}

/** Runs a query built with MikroORM's query builder on the counted read client; raw rows. */
export function runBuilt(scope: ReadScope, qb: QueryBuilder<object>): Promise<Array<Record<string, unknown>>> {
  const native = qb.getKnexQuery().toSQL().toNative();
  return scope.sql.query(native.sql, native.bindings as unknown[]);
}

/** Counts what a built query matches (its order and limit dropped). */
export async function countBuilt(scope: ReadScope, qb: QueryBuilder<object>): Promise<number> {
  const counting = qb.clone();
  counting.count();
  const [row] = await runBuilt(scope, counting as unknown as QueryBuilder<object>);
  return Number(Object.values(row)[0]);
}
