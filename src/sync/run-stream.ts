import type { Pool } from 'pg';
import { ConfigurationError, TransientError, type Connector, type StreamBatch } from '../../connectors/contract';
import type { CaptureRecord } from '../canonical/records';
import { commitBatch, StaleCursorError, streamState, type BatchResult, type StreamRef } from './commit-batch';
import { commitCaptureBatch } from './commit-capture-batch';
import type { StreamTarget } from './stream-tables';

export type RunStatus = 'SUCCEEDED' | 'SUPERSEDED' | 'INTERRUPTED' | 'FAILED';

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
 * (SUPERSEDED) having written nothing; one whose `signal` aborts stops after its current batch
 * (INTERRUPTED). The run is recorded in `sync_run`; a failure is rethrown
 * after recording so the queue can retry it.
 */
export async function runStream(
  pool: Pool, connector: Connector, ref: StreamRef, target: StreamTarget, mode: 'INCREMENTAL' | 'FULL' = 'INCREMENTAL',
  signal?: AbortSignal, queuedRunId?: number,
): Promise<RunSummary> {
  const summary: RunSummary = {
    runId: await startRun(pool, ref, mode, queuedRunId), status: 'SUCCEEDED', batches: 0, read: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, quarantined: 0,
  };
  const progress = () => pool.query(`update sync_run set batches = $2, read = $3, inserted = $4, updated = $5, unchanged = $6,
      deleted = $7, quarantined = $8, heartbeat_at = now() where id = $1`, [summary.runId, summary.batches, summary.read,
    summary.inserted, summary.updated, summary.unchanged, summary.deleted, summary.quarantined]);
  const finish = (status: RunStatus, error?: unknown) => pool.query(`update sync_run set finished_at = now(), status = $2, batches = $3,
      read = $4, inserted = $5, updated = $6, unchanged = $7, deleted = $8, quarantined = $9, error_class = $10, error_message = $11
      where id = $1`, [summary.runId, status, summary.batches, summary.read, summary.inserted, summary.updated, summary.unchanged,
    summary.deleted, summary.quarantined, error ? errorClassOf(error) : null, error instanceof Error ? error.message.slice(0, 1000) : null]);
  let batches: AsyncGenerator<StreamBatch<object>> | null = null;
  let pending: Promise<IteratorResult<StreamBatch<object>>> | null = null;
  try {
    // Rows synced after this moment (by another runner of the stream) are newer than this run's
    // snapshot: reconciliation leaves them alone.
    const runStarted = new Date();
    const state = await streamState(pool, ref);
    let { version } = state;
    // A FULL run reads from the beginning; for a source without deletions it is the snapshot
    // that reconciliation compares the hub against.
    const cursor = mode === 'FULL' ? null : state.cursor;
    const seen = new Set<string>();
    // The next batch is fetched while this one commits: reading the source and writing the hub
    // overlap. A prefetched batch whose predecessor failed is simply dropped.
    batches = connector.read(ref.stream, cursor);
    pending = batches.next();
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
      summary.batches += 1;
      summary.read += batch.records.length + batch.deleted.length + batch.quarantine.length;
      summary.inserted += result.inserted;
      summary.updated += result.updated;
      summary.unchanged += result.unchanged;
      summary.deleted += result.deleted;
      summary.quarantined += result.quarantined;
      // Live progress for operators; the batch itself is already committed.
      await progress();
      // Shutting down: stop after the batch just committed; the next run resumes from it.
      if (signal?.aborted) {
        summary.status = 'INTERRUPTED';
        await finish('INTERRUPTED');
        return summary;
      }
    }
    if (mode === 'FULL' && !connector.reportsDeletions && target.kind === 'records') {
      summary.deleted += await reconcile(pool, ref, target.spec.table, target.spec.system, seen, runStarted);
    }
    await finish('SUCCEEDED');
    return summary;
  } catch (error) {
    if (error instanceof StaleCursorError) {
      summary.status = 'SUPERSEDED';
      await finish('SUPERSEDED').catch(() => undefined);
      return summary;
    }
    // Bookkeeping must never replace the real error: its class decides whether BullMQ retries.
    try {
      if (error instanceof ConfigurationError) {
        await pool.query(`insert into sync_stream (system, stream, needs_attention) values ($1, $2, $3)
          on conflict (system, stream) do update set needs_attention = excluded.needs_attention`, [ref.system, ref.stream, error.message]);
      }
      await finish('FAILED', error);
    } catch {
      // The run stays RUNNING in the history; the error below is what matters.
    }
    throw error;
  } finally {
    // A prefetched read may still be under way: let it settle, then close the source's stream.
    await pending?.catch(() => undefined);
    await batches?.return(undefined).catch(() => undefined);
  }
}

/** The stream's last complete run of the same mode: how many batches this one will likely take. */
const ESTIMATE = `(select batches from sync_run where system = $1 and stream = $2 and mode = $3 and status = 'SUCCEEDED'
  order by id desc limit 1)`;

/**
 * Records the run as started: takes over the run an operator queued (`triggerSync`), or, for a
 * scheduled job, or a retry of a queued run that already started once, opens a new one.
 */
async function startRun(pool: Pool, ref: StreamRef, mode: string, queuedRunId?: number): Promise<number> {
  if (queuedRunId !== undefined) {
    const { rows } = await pool.query<{ id: string }>(`update sync_run set status = 'RUNNING', started_at = now(), heartbeat_at = now(),
        estimated_batches = ${ESTIMATE} where id = $4 and system = $1 and stream = $2 and mode = $3 and status = 'QUEUED' returning id`,
    [ref.system, ref.stream, mode, queuedRunId]);
    if (rows.length) return Number(rows[0].id);
  }
  const { rows } = await pool.query<{ id: string }>(`insert into sync_run (system, stream, mode, started_at, heartbeat_at, status, estimated_batches)
      values ($1, $2, $3, now(), now(), 'RUNNING', ${ESTIMATE}) returning id`, [ref.system, ref.stream, mode]);
  return Number(rows[0].id);
}

/** Reconciliation never deletes more than this share of a table's live rows in one run. */
const MAX_RECONCILED_SHARE = 0.2;

/**
 * After a complete snapshot of a source that reports no deletions: soft-deletes the live rows of
 * that source the snapshot no longer contains. It runs under the stream's lock, like a batch
 * commit, and only touches rows last synced before the run started, so a row another runner
 * brought in meanwhile is never taken for vanished. An empty or implausibly small snapshot (a
 * source answering with a fraction of its data) deletes nothing and is reported instead.
 */
async function reconcile(pool: Pool, ref: StreamRef, table: string, system: string, seen: Set<string>, runStarted: Date): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select 1 from sync_stream where system = $1 and stream = $2 for update', [ref.system, ref.stream]);
    const vanished = `deleted_at is null and provenance_system = $1 and provenance_synced_at < $3 and not (provenance_record_id = any($2))`;
    const { rows } = await client.query<{ live: number; gone: number }>(`select count(*)::int as live,
        count(*) filter (where ${vanished})::int as gone
      from ${table} where deleted_at is null and provenance_system = $1`, [system, [...seen], runStarted]);
    const { live, gone } = rows[0];
    if (gone > 0 && (seen.size === 0 || gone > live * MAX_RECONCILED_SHARE)) {
      throw new ConfigurationError(`reconciliation of ${table} would delete ${gone} of ${live} rows; refusing (check the source's snapshot)`);
    }
    const result = gone === 0 ? { rowCount: 0 } : await client.query(`update ${table} set deleted_at = now() where ${vanished}`, [system, [...seen], runStarted]);
    await client.query('commit');
    return result.rowCount ?? 0;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
