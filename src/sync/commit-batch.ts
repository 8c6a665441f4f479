import type { QuarantineEntry } from '../../connectors/contract';
import type { Pool, PoolClient } from 'pg';
import type { RecordTable } from '../ingest/record-tables';
import { softDeleteRecords } from '../ingest/soft-delete-records';
import { upsertRecords, type UpsertCounts } from '../ingest/upsert-records';
import { advanceCursor, advanceSnapshot, lockSnapshot, lockStream, quarantine, recordSuccess, resolveLanded, StaleCursorError, type StreamRef } from './state';

/** A batch of canonical records of one stream. */
export interface Batch<R extends { updatedAt: string }> extends BatchEnvelope {
  spec: RecordTable<R>;
  records: readonly R[];
  /** Records the source deleted, with when: soft-deleted here. */
  deleted?: ReadonlyArray<{ recordId: string; deletedAt: string }>;
}

/** The committed outcome of a batch. */
export interface BatchResult extends UpsertCounts {
  version: number;
  deleted: number;
  quarantined: number;
}

/** What a batch's own rows did, written inside the batch's transaction. */
export interface RowCounts extends UpsertCounts {
  deleted: number;
}

/** The part every batch shares: where the stream stands afterwards and what was quarantined. */
export interface BatchEnvelope {
  quarantine: readonly QuarantineEntry[];
  cursor: unknown;
  expectedVersion: number;
  runId: number | null;
  /** Hub ids of the records the batch wrote: their open quarantine entries are resolved. */
  landed?: readonly string[];
  /**
   * Set for a batch of a FULL read: `cursor` and `expectedVersion` are then its snapshot's, which
   * the batch moves, and the records it saw join the snapshot's. The stream's own cursor and
   * version are left to incremental runs, so the two do not supersede each other.
   */
  snapshot?: { seen: readonly string[]; restart?: boolean };
}

/**
 * Writes a batch (through `writeRows`, on the transaction's client) and moves its stream's cursor
 * (or its FULL read's snapshot cursor) in one transaction, so the cursor never covers rows that
 * were not written, nor rows twice. The row holding the cursor is locked and its version checked:
 * when BullMQ runs a stalled job twice, exactly one runner commits and the other gets
 * `StaleCursorError` with nothing written.
 */
export async function commitInTransaction(
  pool: Pool,
  ref: StreamRef,
  envelope: BatchEnvelope,
  writeRows: (client: PoolClient, now: Date) => Promise<RowCounts>,
  now = new Date(),
): Promise<BatchResult> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // The stream row is locked first by every batch, FULL or not: batches of both kinds then
    // queue on it instead of deadlocking over the rows they both write.
    const streamVersion = await lockStream(client, ref);
    // No snapshot any more (-1): another runner completed it, or an operator started it over.
    const version = envelope.snapshot ? await lockSnapshot(client, ref) : streamVersion;
    if (version !== envelope.expectedVersion) throw new StaleCursorError(ref, envelope.expectedVersion, version);
    const counts = await writeRows(client, now);
    if (envelope.landed?.length) await resolveLanded(client, ref, envelope.landed, now);
    for (const q of envelope.quarantine) await quarantine(client, ref, q, envelope.runId, now);
    if (envelope.snapshot) {
      await advanceSnapshot(client, ref, envelope.cursor, { records: envelope.snapshot.seen, restart: envelope.snapshot.restart });
      await recordSuccess(client, ref, now);
    } else {
      await advanceCursor(client, ref, envelope.cursor, now);
    }
    await client.query('commit');
    return { ...counts, version: version + 1, quarantined: envelope.quarantine.length };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Commits a batch of canonical records: idempotent upserts, soft deletes, cursor. */
export function commitBatch<R extends { updatedAt: string }>(pool: Pool, ref: StreamRef, batch: Batch<R>, now = new Date()): Promise<BatchResult> {
  const landed = batch.landed ?? batch.records.map((r) => batch.spec.recordId(r));
  return commitInTransaction(
    pool,
    ref,
    { ...batch, landed },
    async (client, at) => {
      const counts = await upsertRecords(client, batch.spec, batch.records, at);
      const deleted = batch.deleted?.length ? await softDeleteRecords(client, batch.spec, batch.deleted, at) : 0;
      return { ...counts, deleted };
    },
    now,
  );
}
