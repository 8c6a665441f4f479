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

/**
 * Who a request's reads are for, as the read gateway applies it to every statement. The first two
 * are read when a statement is built, not when the request starts: the operation is parsed and
 * the caller's agreement settled after the request's reads are set up.
 */
export interface ReadCaller {
  /** What the operation selects (reads project to it); without a selection, reads load every column. */
  operation?: { readonly selection: FieldSelection | null };
  /** The caller's row scopes; absent or null only where access control is off (benchmarks). */
  access?: {
    rowScopeOf(typeName: string): RowScope | null;
    /**
     * The rows of `typeName` the caller's aggregates count (its agreement's `aggregates` grant:
     * the type's row scope, never a case binding), or null for all; absent: the caller has no
     * aggregate of any type, and aggregates count nothing.
     */
    aggregateScopeOf?(typeName: string): RowScope | null;
    /** The fields of `typeName` the caller's aggregates may group and filter by (its `aggregates` grant; absent: none). */
    aggregateFieldsOf?(typeName: string): ReadonlySet<string>;
  } | null;
  /** The schema's relations: projected reads load the keys they follow. */
  relations?: EntityReads;
}
