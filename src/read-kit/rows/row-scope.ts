/*
 * The shape of a caller's row scope, as access control resolves it from the agreements and the
 * reads apply it in SQL (see `row-scope-sql.ts`): declared here so the reads need not know access.
 */

/** A row condition with the caller's claims filled in. */
export type ResolvedCondition =
  | { field: string; startsWithAny: string[] }
  | { field: string; equals: string | number | boolean }
  /** A row joined to a row of `type` (`on`: own field, its field) whose `field` starts with a prefix. */
  | { via: { type: string; on: Array<readonly [string, string]> }; field: string; startsWithAny: string[] }
  /** Any one of the conditions holds (a type's jurisdiction rules). */
  | { anyOf: ResolvedCondition[] }
  /** The row's (plate number, plate colour) is one of `plates` (captures bound to a case). */
  | { plates: Array<readonly [string, string]> };

/** Rows visible under a scope: any one alternative holds, and within it every condition. */
export type RowScope = ResolvedCondition[][];
