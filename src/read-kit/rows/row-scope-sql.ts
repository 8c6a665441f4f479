import type { EntityMetadata } from '@mikro-orm/postgresql';
import { escapeLike } from '../../db/escape-like';
import { textArrayLiteral } from '../../db/text-array';
import { columnsOf } from './projection';
import type { ReadScope } from './read-scope';
import type { ResolvedCondition, RowScope } from './row-scope';

type Param = (value: unknown) => string;

/**
 * The caller's row scope on `meta`'s table as a SQL predicate, or null when unscoped. `param`
 * places a value and returns its placeholder, so the same text serves raw statements (`$n`) and
 * the query builder (`?`). Scoped reads filter in SQL: counts and pages only ever see visible rows.
 */
export function rowScopePredicate(scope: ReadScope, meta: EntityMetadata, alias: string | null, param: Param): string | null {
  const rowScope = scope.access?.rowScopeOf(meta.className) ?? null;
  if (rowScope === null) return null;
  return scopePredicate(scope, meta, alias, rowScope, param);
}

/** `rowScope` (alternatives of conditions) on `meta`'s table, aliased `alias` (or its table name). */
export function scopePredicate(scope: ReadScope, meta: EntityMetadata, alias: string | null, rowScope: RowScope, param: Param): string {
  if (rowScope.length === 0) return 'false';
  const alternatives = rowScope.map((conditions) => conditions.map((c) => conditionSql(scope, meta, alias, c, param)).join(' and ') || 'true');
  return `(${alternatives.map((a) => `(${a})`).join(' or ')})`;
}

function columnOf(meta: EntityMetadata, property: string): string {
  const found = columnsOf(meta).find((c) => c.property === property && c.embeddedIn === null);
  if (!found) throw new Error(`row scope names ${meta.className}.${property}, which has no column`);
  return found.column;
}

function prefixSql(column: string, prefixes: readonly string[], param: Param): string {
  if (prefixes.length === 0) return 'false';
  // One text[] literal: the query builder would spread a JS array into a list.
  return `${column} like any(${param(textArrayLiteral(prefixes.map((v) => `${escapeLike(v)}%`)))}::text[])`;
}

function conditionSql(scope: ReadScope, meta: EntityMetadata, alias: string | null, c: ResolvedCondition, param: Param): string {
  const own = (property: string) => `${alias ?? meta.tableName}.${columnOf(meta, property)}`;
  if ('anyOf' in c) return c.anyOf.length ? `(${c.anyOf.map((a) => conditionSql(scope, meta, alias, a, param)).join(' or ')})` : 'false';
  if ('plates' in c) {
    if (c.plates.length === 0) return 'false';
    return `(${own('plateNumber')}, ${own('plateColor')}) in (select * from unnest(${param(textArrayLiteral(c.plates.map((p) => p[0])))}::text[], ${param(textArrayLiteral(c.plates.map((p) => p[1])))}::text[]))`;
  }
  if ('equals' in c) return `${own(c.field)} = ${param(c.equals)}`;
  if ('via' in c) {
    // A relation followed in SQL: the row counts when a live joined row's field is in scope.
    const other = scope.em.getMetadata().get(c.via.type) as unknown as EntityMetadata;
    const j = `scope_${other.tableName}`;
    const on = c.via.on.map(([mine, theirs]) => `${j}.${columnOf(other, theirs)} = ${own(mine)}`).join(' and ');
    const live = 'deletedAt' in other.properties ? ` and ${j}.deleted_at is null` : '';
    return `exists (select 1 from ${other.tableName} ${j} where ${on}${live} and ${prefixSql(`${j}.${columnOf(other, c.field)}`, c.startsWithAny, param)})`;
  }
  return prefixSql(own(c.field), c.startsWithAny, param);
}
