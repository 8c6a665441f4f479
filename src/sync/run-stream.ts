import type { Pool } from 'pg';
import { ConfigurationError, TransientError, type Connector, type StreamBatch } from '../../connectors/contract';
import type { CaptureRecord } from '../canonical/records';
import { commitBatch, StaleCursorError, streamState, type BatchResult, type StreamRef } from './commit-batch';
import { commitCaptureBatch } from './commit-capture-batch';
import type { StreamTarget } from './stream-tables';
import { completeSnapshot, openSnapshot } from './sync-snapshot';

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
  /** The queue job this run belongs to; its retries continue the operator's run or close the one left behind. */
  jobId?: string,
): Promise<RunSummary> {
  const summary: RunSummary = { ...await startRun(pool, ref, mode, queuedRunId, jobId), status: 'SUCCEEDED' };
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
    const state = await streamState(pool, ref);
    // A FULL run reads a whole snapshot from the beginning, continuing an unfinished one where it
    // stopped; for a source without deletions it is what reconciliation compares the hub against.
    const snapshot = mode === 'FULL' ? await openSnapshot(pool, ref) : null;
    // The version the batches check: the stream's, or for a FULL read its snapshot's.
    let version = snapshot ? snapshot.version : state.version;
    let snapshotCursor: unknown | undefined;
    batches = connector.read(ref.stream, snapshot ? snapshot.cursor : state.cursor);
    // The next batch is fetched while this one commits: reading the source and writing the hub
    // overlap. A prefetched batch whose predecessor failed is simply dropped.
    pending = batches.next();
    pending.catch(() => undefined);
    for (;;) {
      const step = await pending;
      if (step.done) break;
      const batch = step.value;
      pending = batches.next();
      pending.catch(() => undefined);
      // During a FULL read the stream's own cursor stays put (incremental runs go on from it);
      // the snapshot's position and the records it saw commit with the batch instead.
      const seen = snapshot && target.kind === 'records'
        ? [...(batch.records as Array<{ updatedAt: string }>).map((r) => target.spec.recordId(r)), ...batch.quarantine.flatMap((q) => (q.sourceId ? [q.sourceId] : []))]
        : [];
      const envelope = {
        quarantine: batch.quarantine, cursor: batch.state, expectedVersion: version, runId: summary.runId,
        snapshot: snapshot ? { seen, restart: batch.restart } : undefined,
      };
      snapshotCursor = batch.state;
      let result: BatchResult;
      if (target.kind === 'captures') {
        result = await commitCaptureBatch(pool, ref, { ...envelope, captures: batch.records as CaptureRecord[] });
      } else {
        result = await commitBatch(pool, ref, { ...envelope, spec: target.spec, records: batch.records as Array<{ updatedAt: string }>, deleted: batch.deleted });
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
      // Shutting down: stop after the batch just committed; the next run resumes from it (a FULL
      // run from its snapshot, which is not reconciled until it is whole).
      if (signal?.aborted) {
        summary.status = 'INTERRUPTED';
        await finish('INTERRUPTED');
        return summary;
      }
    }
    if (snapshot) {
      const reconciliation = !connector.reportsDeletions && target.kind === 'records' ? { table: target.spec.table, system: target.spec.system } : null;
      summary.deleted += await completeSnapshot(pool, ref, snapshot, version, { version: state.version, cursor: snapshotCursor }, reconciliation);
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

/** Counts a run carries on with when a retry takes it over. */
const COUNTS = 'batches, read, inserted, updated, unchanged, deleted, quarantined';

/** A heartbeat older than this means the run's worker is gone (killed, lost): batches beat far more often. */
const STOPPED_HEARTBEAT = "interval '5 minutes'";

/**
 * Records the run as started. An operator's run (`triggerSync`) is taken over when it is queued,
 * and by the retries of its job after a failure (carrying on with its counts), so the run the
 * operator holds ends as the sync does. Otherwise a run is opened per attempt: never one that
 * may still be running, whose outcome would then be written by two runners. A run of the same
 * job left RUNNING (its worker was killed), or of the stream without a heartbeat for 5 minutes,
 * is closed as FAILED, naming the run that went on from its last batch.
 */
async function startRun(pool: Pool, ref: StreamRef, mode: string, queuedRunId?: number, jobId?: string): Promise<Omit<RunSummary, 'status'>> {
  type Row = { id: string } & Record<'batches' | 'read' | 'inserted' | 'updated' | 'unchanged' | 'deleted' | 'quarantined', number>;
  const summaryOf = ({ id, ...counts }: Row) => ({ ...counts, runId: Number(id) });
  let started: Row | undefined;
  if (queuedRunId !== undefined) {
    ({ rows: [started] } = await pool.query<Row>(`update sync_run set status = 'RUNNING', heartbeat_at = now(), finished_at = null,
        error_class = null, error_message = null, job_id = $5,
        started_at = case when status = 'QUEUED' then now() else started_at end,
        estimated_batches = coalesce(estimated_batches, ${ESTIMATE})
      where id = $4 and system = $1 and stream = $2 and mode = $3 and status in ('QUEUED', 'FAILED') returning id, ${COUNTS}`,
    [ref.system, ref.stream, mode, queuedRunId, jobId ?? null]));
  }
  if (!started) {
    ({ rows: [started] } = await pool.query<Row>(`insert into sync_run (system, stream, mode, started_at, heartbeat_at, status, estimated_batches, job_id)
        values ($1, $2, $3, now(), now(), 'RUNNING', ${ESTIMATE}, $4) returning id, ${COUNTS}`, [ref.system, ref.stream, mode, jobId ?? null]));
  }
  await pool.query(`update sync_run set status = 'FAILED', finished_at = now(), error_class = 'INTERNAL',
      error_message = 'stopped without finishing (its worker was killed or lost); run ' || $4 || ' went on from its last batch'
    where system = $1 and stream = $2 and status = 'RUNNING' and id <> $4::bigint
      and (job_id = $3 or coalesce(heartbeat_at, started_at) < now() - ${STOPPED_HEARTBEAT})`, [ref.system, ref.stream, jobId ?? null, started!.id]);
  return summaryOf(started!);
}
