import { raw, type EntityClass, type EntityMetadata, type QueryBuilder } from '@mikro-orm/postgresql';
import { rowScopePredicate } from '../rows/row-scope-sql';
import { projectionFor } from '../rows/projection';
import { countBuilt, runBuilt, type ReadScope } from '../rows/read-scope';
import { decodeCursor, encodeCursor, type CursorValues, type CursorValueType } from './cursor';
import { toPage, type Page } from './connection';
import { pageSize } from './page-args';

/**
 * One ordering a connection offers. `keys` end with the row's unique key so the order is total;
 * all keys share one direction so a row-value comparison can seek in the index.
 */
export interface Ordering<T> {
  name: string;
  direction: 'asc' | 'desc';
  keys: ReadonlyArray<{
    property: string; column: string; type: CursorValueType; value: (row: T) => string | number | null;
    /**
     * A key that is no field's value (a content hash), ordered by its column: sorting by it
     * reveals nothing, so it may order records whose fields the caller sees masked.
     */
    opaque?: boolean;
  }>;
}

export interface PageRequest<T> {
  ordering: Ordering<T>;
  first?: number | null;
  after?: string | null;
}

/**
 * Runs one page of `qb` (already filtered, aliased `e`) in the ordering, plus a lazy count of
 * everything the filter matches. Rows are projected to what the operation selects. The caller's row scope joins
 * the filter in `qb` before the count is taken, so counts and pages agree.
 */
export async function paginate<T extends object>(scope: ReadScope, qb: QueryBuilder<T>, request: PageRequest<T>, entity: EntityClass<T>): Promise<Page<T>> {
  const { ordering } = request;
  const limit = pageSize(request.first);
  const bindings: unknown[] = [];
  const scoped = rowScopePredicate(scope, scope.em.getMetadata().get(entity.name) as unknown as EntityMetadata, 'e', (value) => {
    bindings.push(value);
    return '?';
  });
  if (scoped) qb.andWhere(scoped, bindings);
  const countQb = qb.clone() as unknown as QueryBuilder<object>;
  const count = (atMost?: number) => countBuilt(scope, countQb, atMost);
  if (request.after) {
    const values = decodeCursor('after', request.after, ordering.name, ordering.keys.map((k) => k.type));
    const columns = ordering.keys.map((k) => `e.${k.column}`).join(', ');
    const marks = ordering.keys.map(() => '?').join(', ');
    qb.andWhere(`(${columns}) ${ordering.direction === 'asc' ? '>' : '<'} (${marks})`, [...values]);
  }
  const orderBy: Record<string, 'asc' | 'desc'> = {};
  for (const key of ordering.keys) orderBy[key.opaque ? raw((alias) => `${alias}.${key.column}`) : key.property] = ordering.direction;
  qb.orderBy(orderBy as never).limit(limit + 1);
  const projection = projectionFor(scope, entity, ordering.keys.map((k) => k.property));
  const rows = (await runBuilt(scope, qb as unknown as QueryBuilder<object>, projection.columnList)).map(projection.map);
  return toPage(rows, limit, (row) => cursorOf(ordering, row), count);
}

export function cursorOf<T>(ordering: Ordering<T>, row: T): string {
  const values: CursorValues = ordering.keys.map((k) => k.value(row));
  return encodeCursor(ordering.name, values);
}

/** Cursor value of an instant: ISO text compares correctly against timestamptz in PostgreSQL. */
export const instant = (d: Date): string => d.toISOString();
