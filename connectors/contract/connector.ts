import type { QuarantineEntry } from './quarantine-entry';

/** One page of a stream as a connector delivers it: canonical records, deletions, rejects, new state. */
export interface StreamBatch<R> {
  records: R[];
  /** Records the source deleted: hub record id (`provenance.recordId`) and when the source deleted it. */
  deleted: Array<{ recordId: string; deletedAt: string }>;
  quarantine: QuarantineEntry[];
  /** The stream state once this batch is applied: committed with it, handed back on the next read. */
  state: unknown;
  /**
   * This batch begins the read again from the start (a read resumed over a source that changed
   * meanwhile): what the earlier batches of the same snapshot saw no longer counts as seen.
   */
  restart?: boolean;
}

/**
 * What every connector offers. A connector fetches and maps; it never writes the hub's tables.
 * Failures it cannot absorb are thrown as `TransientError` (retry later) or `ConfigurationError`
 * (stop and ask a person); one bad record is never thrown, it is quarantined.
 */
export interface Connector {
  readonly system: string;
  readonly streams: readonly string[];
  /**
   * Whether the source reports deletions. A source that does not is reconciled: a FULL read is
   * a complete snapshot, and what it no longer contains is soft-deleted.
   */
  readonly reportsDeletions: boolean;
  /** Can the source be reached, and does it accept our credentials? */
  check(): Promise<void>;
  /** Batches of `stream` after `state` (null: from the beginning), in source order. */
  read(stream: string, state: unknown): AsyncGenerator<StreamBatch<object>>;
}
