/*
 * The shape of a caller's row scope, as access control resolves it from the agreements and the
 * reads apply it in SQL (see `row-scope-sql.ts`): declared here so the reads need not know access.
 */

/** A row condition with the caller's claims filled in. */
export type ResolvedCondition =
  | { field: string; startsWithAny: string[] }
  | { field: string; equals: string | number | boolean }
  /**
   * The row's `field` (a division) and one of the values overlap: it lies within the value or
   * contains it, so a city's row concerns the officers of every district it covers, and a
   * district's row those of that district (see `divisionsOverlap`).
   */
  | { field: string; overlapsAny: string[] }
  /** A row joined to a row of `type` (`on`: own field, its field) whose `field` starts with a prefix. */
  | { via: { type: string; on: Array<readonly [string, string]> }; field: string; startsWithAny: string[] }
  /** Any one of the conditions holds (a type's jurisdiction rules). */
  | { anyOf: ResolvedCondition[] }
  /** The row's (plate number, plate colour) is one of `plates` (captures bound to a case). */
  | { plates: Array<readonly [string, string]> };

/** Rows visible under a scope: any one alternative holds, and within it every condition. */
export type RowScope = ResolvedCondition[][];

/** Whether `division` and one of `divisions` overlap: one is a prefix of the other (the `overlapsAny` condition, as data rather than SQL). */
export function divisionsOverlap(division: string | null, divisions: readonly string[]): boolean {
  // An empty division (or claim) is no division: it would be a prefix of every one.
  return !!division && divisions.some((d) => d !== '' && (division.startsWith(d) || d.startsWith(division)));
}
