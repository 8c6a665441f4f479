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

/**
 * Whether `row` (an entity's properties) lies within `scope`, decided in memory: false or true,
 * or null where a condition needs other rows (`via`, `plates`) or a property the row lacks and
 * nothing else settles it. For a
 * row as it was at some step (a live event delivered after the row moved on), where the read
 * gateway's SQL can only judge the row as it is now.
 */
export function rowInScope(scope: RowScope, row: Readonly<Record<string, unknown>>): boolean | null {
  const holds = (condition: ResolvedCondition): boolean | null => {
    if ('anyOf' in condition) return anyHolds(condition.anyOf.map(holds));
    if ('via' in condition || 'plates' in condition) return null;
    const value = row[condition.field];
    // A property the row was read without (reads load what the operation selects) is unknown.
    if (value === undefined) return null;
    // SQL never holds for a null; a value of another type than the condition's (a bigint read as
    // text) is left to SQL's own comparison.
    if (value === null) return false;
    if ('equals' in condition) return typeof value === typeof condition.equals ? value === condition.equals : null;
    if (typeof value !== 'string') return null;
    if ('startsWithAny' in condition) return condition.startsWithAny.some((prefix) => value.startsWith(prefix));
    return divisionsOverlap(value, condition.overlapsAny);
  };
  return anyHolds(scope.map((alternative) => allHold(alternative.map(holds))));
}

/** Three-valued "or": true if any is true, false if all are false, else unknown (null). */
function anyHolds(values: ReadonlyArray<boolean | null>): boolean | null {
  return values.includes(true) ? true : values.includes(null) ? null : false;
}

/** Three-valued "and": false if any is false, true if all are true, else unknown (null). */
function allHold(values: ReadonlyArray<boolean | null>): boolean | null {
  return values.includes(false) ? false : values.includes(null) ? null : true;
}
