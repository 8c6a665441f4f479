import type { QuarantineEntry } from '../../connectors/contract';
import type { Pool } from 'pg';
import type { SourceSystem } from '../canonical/codes';
import type { RecordTable } from '../ingest/record-tables';
import { upsertRecords, type UpsertCounts } from '../ingest/upsert-records';

/** A stream of one upstream system, e.g. TRANSPORT / vehicles. */
export interface StreamRef {
  system: SourceSystem;
  stream: string;
}


export interface Batch<R extends { updatedAt: string }> {
  spec: RecordTable<R>;
  records: readonly R[];
  /** Record ids the source deleted: soft-deleted here. */
  deleted?: readonly string[];
  quarantine: readonly QuarantineEntry[];
  /** The stream state after this batch (opaque to the hub). */
  cursor: unknown;
  /** The stream version the batch was read at: the commit fails if another runner moved on. */
  expectedVersion: number;
  runId: number | null;
}

/** Another runner of the same stream committed first: this batch's rows were not written. */
export class StaleCursorError extends Error {
  constructor(readonly stream: StreamRef, readonly expected: number, readonly actual: number) {
    super(`stream ${stream.system}/${stream.stream} is at version ${actual}, not ${expected}`);
    this.name = 'StaleCursorError';
  }
}

/** The committed outcome of a batch. */
export interface BatchResult extends UpsertCounts {
  version: number;
  deleted: number;
  quarantined: number;
}

/** Current cursor and version of a stream (version 0 and no cursor before its first batch). */
export async function streamState(pool: Pool, ref: StreamRef): Promise<{ cursor: unknown; version: number }> {
  const { rows } = await pool.query<{ cursor: unknown; version: string }>(
    'select cursor, version from sync_stream where system = $1 and stream = $2', [ref.system, ref.stream]);
  return rows.length ? { cursor: rows[0].cursor, version: Number(rows[0].version) } : { cursor: null, version: 0 };
}

/**
 * Writes a batch and moves its stream's cursor in one transaction, so the cursor never covers
 * rows that were not written, nor rows twice. The stream row is locked and its version checked:
 * when BullMQ runs a stalled job twice, exactly one runner commits and the other gets
 * `StaleCursorError` with nothing written.
 */
export async function commitBatch<R extends { updatedAt: string }>(pool: Pool, ref: StreamRef, batch: Batch<R>, now = new Date()): Promise<BatchResult> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('insert into sync_stream (system, stream) values ($1, $2) on conflict do nothing', [ref.system, ref.stream]);
    const { rows } = await client.query<{ version: string }>(
      'select version from sync_stream where system = $1 and stream = $2 for update', [ref.system, ref.stream]);
    const version = Number(rows[0].version);
    if (version !== batch.expectedVersion) throw new StaleCursorError(ref, batch.expectedVersion, version);
    const counts = await upsertRecords(client, batch.spec, batch.records, now);
    let deleted = 0;
    if (batch.deleted?.length) {
      const result = await client.query(`update ${batch.spec.table} set deleted_at = $2
        where provenance_record_id = any($1) and deleted_at is null`, [batch.deleted, now]);
      deleted = result.rowCount ?? 0;
    }
    for (const q of batch.quarantine) {
      await client.query(`insert into quarantined_record (system, stream, source_id, raw, reasons, run_id, quarantined_at)
        values ($1, $2, $3, $4, $5, $6, $7)`, [ref.system, ref.stream, q.sourceId, JSON.stringify(q.raw), q.reasons, batch.runId, now]);
    }
    await client.query(`update sync_stream set cursor = $3, version = version + 1, last_success_at = $4, needs_attention = null
      where system = $1 and stream = $2`, [ref.system, ref.stream, JSON.stringify(batch.cursor), now]);
    await client.query('commit');
    return { ...counts, version: version + 1, deleted, quarantined: batch.quarantine.length };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
