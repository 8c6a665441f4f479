import type { BookkeepingSql, RowReads } from './read-gateway';

export type { EntityReads, FieldSelection } from './read-caller';

/** What a repository reads with, taken from the request's context. */
export interface ReadScope {
  /** The domain tables, read through the read gateway for this request's caller. */
  reads: RowReads;
  /** The tables the gateway does not own (the audit trail, sync state), on the same connection. */
  sql: BookkeepingSql;
}
