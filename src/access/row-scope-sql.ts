import type { EntityMetadata } from '@mikro-orm/postgresql';
import { escapeLike } from '../db/escape-like';
import { textArrayLiteral } from '../db/text-array';
import { columnsOf } from '../db/projection';
import type { ReadScope } from '../db/read-scope';

/**
 * The caller's row scope on `meta`'s table as a SQL predicate, or null when unscoped. `param`
 * places a value and returns its placeholder, so the same text serves raw statements (`$n`) and
 * the query builder (`?`). Scoped reads filter in SQL: counts and pages only ever see visible rows.
 */
export function rowScopePredicate(scope: ReadScope, meta: EntityMetadata, alias: string | null, param: (value: unknown) => string): string | null {
  const rowScope = scope.access?.rowScopeOf(meta.className) ?? null;
  if (rowScope === null) return null;
  if (rowScope.length === 0) return 'false';
  const column = (property: string) => {
    const found = columnsOf(meta).find((c) => c.property === property && c.embeddedIn === null);
    if (!found) throw new Error(`row scope names ${meta.className}.${property}, which has no column`);
    return alias ? `${alias}.${found.column}` : found.column;
  };
  const alternatives = rowScope.map((conditions) => conditions.map((c) => {
    if ('equals' in c) return `${column(c.field)} = ${param(c.equals)}`;
    if (c.startsWithAny.length === 0) return 'false';
    // One text[] literal: the query builder would spread a JS array into a list.
    return `${column(c.field)} like any(${param(textArrayLiteral(c.startsWithAny.map((v) => `${escapeLike(v)}%`)))}::text[])`;
  }).join(' and '));
  return `(${alternatives.map((a) => `(${a})`).join(' or ')})`;
}
