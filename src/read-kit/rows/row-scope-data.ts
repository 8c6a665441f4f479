import type { ResolvedCondition, RowScope } from './row-scope';
import type { Table } from './table-catalogue';

/**
 * A row condition as stored data for a check that runs later in SQL under no request: the field
 * named by its column (the checker reads the row as `to_jsonb(row)`), the values as given. A
 * relation (`via`) or a plate list is kept as it is: the checker (`clue_case_in_scope`,
 * migration `clue_link_scope_data`) holds no such row inside, so it fails closed.
 */
export type StoredCondition =
  | { column: string; startsWithAny: string[] }
  | { column: string; equals: string | number | boolean }
  /** Kept for completeness: the checker knows no overlap and fails closed on it (no scope it checks uses one). */
  | { column: string; overlapsAny: string[] }
  | { anyOf: StoredCondition[] }
  | Extract<ResolvedCondition, { via: unknown } | { plates: unknown }>;

/** `rowScope` on `table` as data (alternatives of conditions, JSON): never SQL text, so storing it can run nothing. */
export function storedScope(table: Table, rowScope: RowScope): StoredCondition[][] {
  const stored = (c: ResolvedCondition): StoredCondition => {
    if ('anyOf' in c) return { anyOf: c.anyOf.map(stored) };
    if ('plates' in c || 'via' in c) return c;
    const column = table.column(c.field).column;
    if ('overlapsAny' in c) return { column, overlapsAny: [...c.overlapsAny] };
    return 'equals' in c ? { column, equals: c.equals } : { column, startsWithAny: [...c.startsWithAny] };
  };
  return rowScope.map((conditions) => conditions.map(stored));
}
