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
  /** Releases what the connector holds (connections, pools); it is not used afterwards. */
  close(): Promise<void>;
}

/**
 * The re-read-quarantined hook of a stream: given the stream's committed state and the source ids
 * of the quarantined records an operator released, the state whose next incremental read reads
 * those records again first, or undefined when there is nothing to change. Only the connector
 * knows its state's format; the hub stores the result without looking inside.
 */
export type RereadQuarantined = (state: unknown, sourceIds: readonly string[], now: number) => unknown;

/**
 * What a connector package offers the hub: the system it reads, how to build the connector from
 * its settings, and the re-read-quarantined hooks of the streams that can re-read single records.
 * A stream without a hook re-reads its quarantined records with a FULL read from the beginning.
 * The hooks are plain functions: the hub's API process applies them without building a connector.
 */
export interface ConnectorDefinition<Settings> {
  readonly system: string;
  readonly rereadQuarantined: Readonly<Record<string, RereadQuarantined>>;
  create(settings: Settings): Connector;
}
