import type { Pool } from 'pg';
import { ConfigurationError, TransientError, type Connector } from '../../connectors/contract';
import type { CaptureRecord } from '../canonical/records';
import { commitBatch, StaleCursorError, streamState, type BatchResult, type StreamRef } from './commit-batch';
import { commitCaptureBatch } from './commit-capture-batch';
import type { StreamTarget } from './stream-tables';

export type RunStatus = 'SUCCEEDED' | 'SUPERSEDED' | 'FAILED';

export interface RunSummary {
  runId: number;
  status: RunStatus;
  batches: number;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
}

/** The class of a failure, as recorded in `sync_run.error_class`. */
function errorClassOf(error: unknown): string {
  if (error instanceof TransientError) return 'TRANSIENT';
  if (error instanceof ConfigurationError) return 'CONFIGURATION';
  return 'INTERNAL';
}

/**
 * Syncs one stream from where it stands: reads batches after the committed state and commits
 * each with its rows (see `commitBatch`). Resumable at any point: a run that dies leaves the
 * stream at its last committed batch. A runner that finds the stream moved on by another stops
 * (SUPERSEDED) having written nothing. The run is recorded in `sync_run`; a failure is rethrown
 * after recording so the queue can retry it.
 */
export async function runStream(
  pool: Pool, connector: Connector, ref: StreamRef, target: StreamTarget, mode: 'INCREMENTAL' | 'FULL' = 'INCREMENTAL',
): Promise<RunSummary> {
  const started = new Date();
  const { rows } = await pool.query<{ id: string }>(
    `insert into sync_run (system, stream, mode, started_at, status) values ($1, $2, $3, $4, 'RUNNING') returning id`,
    [ref.system, ref.stream, mode, started]);
  const summary: RunSummary = {
    runId: Number(rows[0].id), status: 'SUCCEEDED', batches: 0, read: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, quarantined: 0,
  };
  const finish = (status: RunStatus, error?: unknown) => pool.query(`update sync_run set finished_at = now(), status = $2, batches = $3,
      read = $4, inserted = $5, updated = $6, unchanged = $7, deleted = $8, quarantined = $9, error_class = $10, error_message = $11
      where id = $1`, [summary.runId, status, summary.batches, summary.read, summary.inserted, summary.updated, summary.unchanged,
    summary.deleted, summary.quarantined, error ? errorClassOf(error) : null, error instanceof Error ? error.message.slice(0, 1000) : null]);
  try {
    let { cursor, version } = await streamState(pool, ref);
    // A FULL run reads from the beginning; for a source without deletions it is the snapshot
    // that reconciliation compares the hub against.
    if (mode === 'FULL') cursor = null;
    const seen = new Set<string>();
    // The next batch is fetched while this one commits: reading the source and writing the hub
    // overlap. A prefetched batch whose predecessor failed is simply dropped.
    const batches = connector.read(ref.stream, cursor);
    let pending = batches.next();
    pending.catch(() => undefined);
    for (;;) {
      const step = await pending;
      if (step.done) break;
      const batch = step.value;
      pending = batches.next();
      pending.catch(() => undefined);
      const envelope = { quarantine: batch.quarantine, cursor: batch.state, expectedVersion: version, runId: summary.runId };
      let result: BatchResult;
      if (target.kind === 'captures') {
        result = await commitCaptureBatch(pool, ref, { ...envelope, captures: batch.records as CaptureRecord[] });
      } else {
        const records = batch.records as Array<{ updatedAt: string }>;
        if (mode === 'FULL') {
          for (const record of records) seen.add(target.spec.recordId(record));
          for (const q of batch.quarantine) if (q.sourceId) seen.add(q.sourceId);
        }
        result = await commitBatch(pool, ref, { ...envelope, spec: target.spec, records, deleted: batch.deleted });
      }
      version = result.version;
      cursor = batch.state;
      summary.batches += 1;
      summary.read += batch.records.length + batch.deleted.length + batch.quarantine.length;
      summary.inserted += result.inserted;
      summary.updated += result.updated;
      summary.unchanged += result.unchanged;
      summary.deleted += result.deleted;
      summary.quarantined += result.quarantined;
    }
    if (mode === 'FULL' && !connector.reportsDeletions && target.kind === 'records') {
      const gone = await pool.query(`update ${target.spec.table} set deleted_at = now()
        where deleted_at is null and provenance_system = $1 and not (provenance_record_id = any($2))`, [target.spec.system, [...seen]]);
      summary.deleted += gone.rowCount ?? 0;
    }
    await finish('SUCCEEDED');
    return summary;
  } catch (error) {
    if (error instanceof StaleCursorError) {
      summary.status = 'SUPERSEDED';
      await finish('SUPERSEDED');
      return summary;
    }
    if (error instanceof ConfigurationError) {
      await pool.query(`insert into sync_stream (system, stream, needs_attention) values ($1, $2, $3)
        on conflict (system, stream) do update set needs_attention = excluded.needs_attention`, [ref.system, ref.stream, error.message]);
    }
    await finish('FAILED', error);
    throw error;
  }
}
