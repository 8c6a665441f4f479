import type { QuarantineEntry } from '../../connectors/contract';
import type { Pool, PoolClient } from 'pg';
import type { SourceSystem } from '../canonical/codes';
import type { RecordTable } from '../ingest/record-tables';
import { upsertRecords, type UpsertCounts } from '../ingest/upsert-records';

/** A stream of one upstream system, e.g. TRANSPORT / vehicles. */
export interface StreamRef {
  system: SourceSystem;
  stream: string;
}

/** A batch of canonical records of one stream. */
export interface Batch<R extends { updatedAt: string }> extends BatchEnvelope {
  spec: RecordTable<R>;
  records: readonly R[];
  /** Records the source deleted, with when: soft-deleted here. */
  deleted?: ReadonlyArray<{ recordId: string; deletedAt: string }>;
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
  pool: Pool, ref: StreamRef, envelope: BatchEnvelope, writeRows: (client: PoolClient, now: Date) => Promise<RowCounts>, now = new Date(),
): Promise<BatchResult> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('insert into sync_stream (system, stream) values ($1, $2) on conflict do nothing', [ref.system, ref.stream]);
    // The stream row is locked first by every batch, FULL or not: batches of both kinds then
    // queue on it instead of deadlocking over the rows they both write.
    const { rows: streamRows } = await client.query<{ version: string }>(
      'select version from sync_stream where system = $1 and stream = $2 for update', [ref.system, ref.stream]);
    const { rows } = envelope.snapshot ? await client.query<{ version: string }>(
      'select version from sync_snapshot where system = $1 and stream = $2 for update', [ref.system, ref.stream]) : { rows: streamRows };
    // No snapshot any more: another runner completed it, or an operator started it over.
    const version = rows.length ? Number(rows[0].version) : -1;
    if (version !== envelope.expectedVersion) throw new StaleCursorError(ref, envelope.expectedVersion, version);
    const counts = await writeRows(client, now);
    if (envelope.landed?.length) await resolveLanded(client, ref, envelope.landed, now);
    for (const q of envelope.quarantine) await quarantine(client, ref, q, envelope.runId, now);
    if (envelope.snapshot) {
      // A read begun again from the start: what it saw before no longer counts.
      if (envelope.snapshot.restart) await client.query('delete from sync_snapshot_seen where system = $1 and stream = $2', [ref.system, ref.stream]);
      if (envelope.snapshot.seen.length) {
        await client.query(`insert into sync_snapshot_seen (system, stream, record_id) select $1, $2, unnest($3::text[])
          on conflict do nothing`, [ref.system, ref.stream, envelope.snapshot.seen]);
      }
    }
    const cursor = JSON.stringify(envelope.cursor);
    if (envelope.snapshot) {
      await client.query('update sync_snapshot set cursor = $3, version = version + 1 where system = $1 and stream = $2', [ref.system, ref.stream, cursor]);
      await client.query('update sync_stream set last_success_at = $3, needs_attention = null where system = $1 and stream = $2', [ref.system, ref.stream, now]);
    } else {
      await client.query(`update sync_stream set cursor = $3, version = version + 1, last_success_at = $4, needs_attention = null
        where system = $1 and stream = $2`, [ref.system, ref.stream, cursor, now]);
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

/**
 * Valid versions of records that were quarantined have landed: their open entries are resolved
 * (kept, for the history), so the quarantine lists only what still needs a person.
 */
async function resolveLanded(client: PoolClient, ref: StreamRef, recordIds: readonly string[], now: Date): Promise<void> {
  await client.query(`update quarantined_record set resolved_at = $4, resolution = 'LANDED'
    where system = $1 and stream = $2 and source_id = any($3::text[]) and released_at is null and resolved_at is null`,
  [ref.system, ref.stream, recordIds, now]);
}

/**
 * Quarantines a bad record. Read again unchanged (look-back, FULL runs), it is not entered twice;
 * sent again changed, its open entry is resolved as REPLACED and the new version entered, so a
 * record has one open entry at most. A record without a source id is known by its content.
 */
async function quarantine(client: PoolClient, ref: StreamRef, q: QuarantineEntry, runId: number | null, now: Date): Promise<void> {
  const raw = JSON.stringify(q.raw);
  if (q.sourceId !== null) {
    await client.query(`update quarantined_record set resolved_at = $5, resolution = 'REPLACED'
      where system = $1 and stream = $2 and source_id = $3 and raw_hash <> md5($4::jsonb::text) and released_at is null and resolved_at is null`,
    [ref.system, ref.stream, q.sourceId, raw, now]);
  }
  const openKey = q.sourceId === null ? '(system, stream, raw_hash) where source_id is null' : '(system, stream, source_id) where source_id is not null';
  await client.query(`insert into quarantined_record (system, stream, source_id, raw, raw_hash, reasons, run_id, quarantined_at)
    values ($1, $2, $3, $4, md5($4::jsonb::text), $5, $6, $7)
    on conflict ${openKey} and released_at is null and resolved_at is null do nothing`,
  [ref.system, ref.stream, q.sourceId, raw, q.reasons, runId, now]);
}

/** Commits a batch of canonical records: idempotent upserts, soft deletes, cursor. */
export function commitBatch<R extends { updatedAt: string }>(pool: Pool, ref: StreamRef, batch: Batch<R>, now = new Date()): Promise<BatchResult> {
  const landed = batch.landed ?? batch.records.map((r) => batch.spec.recordId(r));
  return commitInTransaction(pool, ref, { ...batch, landed }, async (client, at) => {
    const counts = await upsertRecords(client, batch.spec, batch.records, at);
    let deleted = 0;
    if (batch.deleted?.length) {
      // A deletion is a change like any other: it takes the source's time, so an update older
      // than the deletion arriving late cannot revive the row, and one newer (re-creation) can.
      const result = await client.query(`update ${batch.spec.table} as t
        set deleted_at = $3, provenance_source_updated_at = d.deleted_at::timestamptz
        from unnest($1::text[], $2::text[]) as d(record_id, deleted_at)
        where t.provenance_system = $4 and t.provenance_record_id = d.record_id and t.deleted_at is null
          and t.provenance_source_updated_at <= d.deleted_at::timestamptz`,
      [batch.deleted.map((d) => d.recordId), batch.deleted.map((d) => d.deletedAt), at, batch.spec.system]);
      deleted = result.rowCount ?? 0;
    }
    return { ...counts, deleted };
  }, now);
}
