import { escapeLike } from '../../db/escape-like';
import { textArrayLiteral } from '../../db/text-array';
import type { ResolvedCondition, RowScope } from './row-scope';
import type { Table, TableCatalogue } from './table-catalogue';

/** Places a value among a statement's parameters and returns its placeholder. */
export type Param = (value: unknown) => string;

/**
 * `rowScope` (alternatives of conditions) as a SQL predicate on `table`, aliased `alias` (or
 * called by its name). Scoped reads filter in SQL: counts and pages only ever see visible rows.
 */
export function scopePredicate(tables: TableCatalogue, table: Table, alias: string | null, rowScope: RowScope, param: Param): string {
  if (rowScope.length === 0) return 'false';
  const alternatives = rowScope.map((conditions) => conditions.map((c) => conditionSql(tables, table, alias, c, param)).join(' and ') || 'true');
  return `(${alternatives.map((a) => `(${a})`).join(' or ')})`;
}

function prefixSql(column: string, prefixes: readonly string[], param: Param): string {
  if (prefixes.length === 0) return 'false';
  // One text[] literal: a list of parameters would make the statement's text vary with its length.
  return `${column} like any(${param(textArrayLiteral(prefixes.map((v) => `${escapeLike(v)}%`)))}::text[])`;
}

/**
 * `column` lies within one of `values` (a prefix of it) or contains one: equals one of their
 * prefixes, each a parameter of one text[] literal, so both halves can use an index on it.
 */
function overlapSql(column: string, values: readonly string[], param: Param): string {
  // An empty division contains nothing and lies within nothing: '' would match every row.
  const divisions = values.filter((v) => v !== '');
  if (divisions.length === 0) return 'false';
  const containing = [...new Set(divisions.flatMap((v) => Array.from({ length: v.length }, (_, n) => v.slice(0, n + 1))))];
  return `(${prefixSql(column, divisions, param)} or ${column} = any(${param(textArrayLiteral(containing))}::text[]))`;
}

function conditionSql(tables: TableCatalogue, table: Table, alias: string | null, c: ResolvedCondition, param: Param): string {
  const own = (property: string) => `${alias ?? table.name}.${table.column(property).column}`;
  if ('anyOf' in c) return c.anyOf.length ? `(${c.anyOf.map((a) => conditionSql(tables, table, alias, a, param)).join(' or ')})` : 'false';
  if ('plates' in c) {
    if (c.plates.length === 0) return 'false';
    const numbers = param(textArrayLiteral(c.plates.map((p) => p[0])));
    const colours = param(textArrayLiteral(c.plates.map((p) => p[1])));
    return `(${own('plateNumber')}, ${own('plateColor')}) in (select * from unnest(${numbers}::text[], ${colours}::text[]))`;
  }
  if ('equals' in c) return `${own(c.field)} = ${param(c.equals)}`;
  if ('overlapsAny' in c) return overlapSql(own(c.field), c.overlapsAny, param);
  if ('via' in c) {
    // A relation followed in SQL: the row counts when a live joined row's field is in scope.
    const other = tables.of(c.via.type);
    const j = `scope_${other.name}`;
    const on = c.via.on.map(([mine, theirs]) => `${j}.${other.column(theirs).column} = ${own(mine)}`).join(' and ');
    const live = other.deletedAt ? ` and ${j}.${other.deletedAt} is null` : '';
    return `exists (select 1 from ${other.name} ${j} where ${on}${live} and ${prefixSql(`${j}.${other.column(c.field).column}`, c.startsWithAny, param)})`;
  }
  return prefixSql(own(c.field), c.startsWithAny, param);
}
