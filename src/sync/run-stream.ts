import type { Pool } from 'pg';
import type { Connector, StreamBatch } from '../../connectors/contract';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { silentLogger, type Logger } from '../logger';
import { commitBatch, type BatchEnvelope, type BatchResult } from './commit-batch';
import { commitCaptureBatch } from './commit-capture-batch';
import type { BatchCommitted } from './derivation-trigger';
import {
  completeSnapshot,
  finishRun,
  markNeedsAttention,
  openSnapshot,
  recordProgress,
  startRun,
  streamState,
  type RunCounts,
  type RunOutcome,
  type Snapshot,
  type StreamRef,
  type SyncMode,
} from './state';
import type { StreamTarget } from './stream-tables';
import { failureKindOf, FailureKind, handlingOf } from './sync-failure';
import { SyncSpan, syncSpanAttributes } from './sync-spans';
import { traced } from '../telemetry';

export type RunStatus = RunOutcome;

export interface RunSummary extends RunCounts {
  runId: number;
  status: RunStatus;
}

/** One run of one stream: what to read, with what, where it lands, and on whose behalf. */
export interface StreamJob {
  pool: Pool;
  connector: Connector;
  ref: StreamRef;
  target: StreamTarget;
  /** INCREMENTAL (the default) from the stream's cursor, or FULL: a whole snapshot, reconciled. */
  mode?: SyncMode;
  /** Aborted on shutdown: the run stops after its current batch (INTERRUPTED). */
  signal?: AbortSignal;
  /** The run an operator queued for this job (`triggerSync`): taken over rather than opening another. */
  queuedRunId?: number;
  /** The queue job this run belongs to; its retries continue the operator's run or close the one left behind. */
  jobId?: string;
  /** Where the run and each batch are logged (counts, never a record's values); by default nowhere. */
  logger?: Logger;
  /** Told of each committed batch (clue derivation is asked for this way). */
  afterBatch?: BatchCommitted;
}

/**
 * Syncs one stream from where it stands: reads batches after the committed state and commits
 * each with its rows (see `commitBatch`). Resumable at any point: a run that dies leaves the
 * stream at its last committed batch. A runner that finds the stream moved on by another stops
 * (SUPERSEDED) having written nothing; one whose `signal` aborts stops after its current batch
 * (INTERRUPTED). The run is recorded in `sync_run`; a failure is rethrown
 * after recording so the queue can retry it.
 */
export async function runStream(job: StreamJob): Promise<RunSummary> {
  const { pool, ref, mode = 'INCREMENTAL' } = job;
  const started = performance.now();
  const summary: RunSummary = { ...(await startRun(pool, ref, mode, job.queuedRunId, job.jobId)), status: 'SUCCEEDED' };
  const log = (job.logger ?? silentLogger()).child({ component: 'sync', system: ref.system, stream: ref.stream, runId: summary.runId, mode });
  log.debug({ jobId: job.jobId ?? null }, 'sync run started');
  try {
    summary.status = await readAndCommit(job, mode, summary, log);
    await finishRun(pool, summary.runId, summary.status, summary);
    // A scheduled run that found nothing new is routine: only runs that changed something are info.
    const changed = summary.inserted + summary.updated + summary.deleted + summary.quarantined > 0;
    const finished = { ...countsOf(summary), status: summary.status, durationMs: Math.round(performance.now() - started) };
    if (changed) log.info(finished, 'sync run finished');
    else log.debug(finished, 'sync run finished');
    return summary;
  } catch (error) {
    return recordFailure(job, summary, error, log);
  }
}

/** A run's or batch's counts as logged: how many, never which. */
function countsOf(counts: RunCounts): RunCounts {
  const { batches, read, inserted, updated, unchanged, deleted, quarantined } = counts;
  return { batches, read, inserted, updated, unchanged, deleted, quarantined };
}

/**
 * Reads the stream and commits batch after batch, then (FULL) completes the snapshot. Returns
 * INTERRUPTED when the job's signal aborted after a batch, else SUCCEEDED.
 */
async function readAndCommit(job: StreamJob, mode: SyncMode, summary: RunSummary, log: Logger): Promise<'SUCCEEDED' | 'INTERRUPTED'> {
  const { pool, connector, ref, target } = job;
  const state = await streamState(pool, ref);
  // A FULL run reads a whole snapshot from the beginning, continuing an unfinished one where it
  // stopped; for a source without deletions it is what reconciliation compares the hub against.
  const snapshot = mode === 'FULL' ? await openSnapshot(pool, ref) : null;
  // The version the batches check: the stream's, or for a FULL read its snapshot's.
  let version = snapshot ? snapshot.version : state.version;
  let snapshotCursor: unknown | undefined;
  const batches = connector.read(ref.stream, snapshot ? snapshot.cursor : state.cursor);
  // The next batch is fetched while this one commits: reading the source and writing the hub
  // overlap. A prefetched batch whose predecessor failed is simply dropped.
  let pending = batches.next();
  pending.catch(() => undefined);
  try {
    for (;;) {
      const step = await pending;
      if (step.done) break;
      const batch = step.value;
      pending = batches.next();
      pending.catch(() => undefined);
      const result = await traced(
        SyncSpan.BATCH_COMMIT,
        {
          ...syncSpanAttributes(ref.system, ref.stream, mode, summary.runId),
          'sync.batch.records': batch.records.length,
          'sync.batch.deleted': batch.deleted.length,
          'sync.batch.quarantined': batch.quarantine.length,
        },
        () => commitStreamBatch(job, batch, { version, snapshot, runId: summary.runId }),
      );
      version = result.version;
      snapshotCursor = batch.state;
      addBatch(summary, batch, result);
      log.debug(
        {
          batch: summary.batches,
          records: batch.records.length,
          deletions: batch.deleted.length,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          deleted: result.deleted,
          quarantined: result.quarantined,
        },
        'sync batch committed',
      );
      await job.afterBatch?.(ref, result);
      // Live progress for operators; the batch itself is already committed.
      await recordProgress(pool, summary.runId, summary);
      // Shutting down: stop after the batch just committed; the next run resumes from it (a FULL
      // run from its snapshot, which is not reconciled until it is whole).
      if (job.signal?.aborted) return 'INTERRUPTED';
    }
    if (snapshot) {
      const reconciliation = !connector.reportsDeletions && target.kind === 'records' ? { table: target.spec.table, system: target.spec.system } : null;
      summary.deleted += await completeSnapshot(pool, ref, snapshot, version, { version: state.version, cursor: snapshotCursor }, reconciliation);
    }
    return 'SUCCEEDED';
  } finally {
    // A prefetched read may still be under way: let it settle, then close the source's stream.
    await pending.catch(() => undefined);
    await batches.return(undefined).catch(() => undefined);
  }
}

/** Commits one batch where the job's target wants it: captures by the bulk path, records by upsert. */
function commitStreamBatch(
  { pool, ref, target }: StreamJob,
  batch: StreamBatch<object>,
  at: { version: number; snapshot: Snapshot | null; runId: number },
): Promise<BatchResult> {
  // During a FULL read the stream's own cursor stays put (incremental runs go on from it);
  // the snapshot's position and the records it saw commit with the batch instead.
  const seen =
    at.snapshot && target.kind === 'records'
      ? [
          ...(batch.records as Array<{ updatedAt: string }>).map((r) => target.spec.recordId(r)),
          ...batch.quarantine.flatMap((q) => (q.sourceId ? [q.sourceId] : [])),
        ]
      : [];
  const envelope: BatchEnvelope = {
    quarantine: batch.quarantine,
    cursor: batch.state,
    expectedVersion: at.version,
    runId: at.runId,
    snapshot: at.snapshot ? { seen, restart: batch.restart } : undefined,
  };
  if (target.kind === 'captures') return commitCaptureBatch(pool, ref, { ...envelope, captures: batch.records as CaptureRecord[] });
  return commitBatch(pool, ref, { ...envelope, spec: target.spec, records: batch.records as Array<{ updatedAt: string }>, deleted: batch.deleted });
}

function addBatch(summary: RunSummary, batch: StreamBatch<object>, result: BatchResult): void {
  summary.batches += 1;
  summary.read += batch.records.length + batch.deleted.length + batch.quarantine.length;
  summary.inserted += result.inserted;
  summary.updated += result.updated;
  summary.unchanged += result.unchanged;
  summary.deleted += result.deleted;
  summary.quarantined += result.quarantined;
}

/**
 * A run superseded by another runner ends quietly; any other failure is recorded as the failure
 * map says (class, needs attention) and rethrown, its kind deciding whether the queue retries.
 */
async function recordFailure({ pool, ref }: StreamJob, summary: RunSummary, error: unknown, log: Logger): Promise<RunSummary> {
  const kind = failureKindOf(error);
  if (kind === FailureKind.SUPERSEDED) {
    summary.status = 'SUPERSEDED';
    await finishRun(pool, summary.runId, 'SUPERSEDED', summary).catch(() => undefined);
    log.debug({ ...countsOf(summary) }, 'sync run superseded by another runner');
    return summary;
  }
  const handling = handlingOf(kind);
  log.warn({ ...countsOf(summary), err: error, failure: kind, errorClass: handling.errorClass, needsAttention: handling.needsAttention }, 'sync run failed');
  const message = error instanceof Error ? error.message : null;
  // Bookkeeping must never replace the real error: its class decides whether BullMQ retries.
  try {
    if (handling.needsAttention) await markNeedsAttention(pool, ref, message ?? String(error));
    await finishRun(pool, summary.runId, 'FAILED', summary, { errorClass: handling.errorClass, message });
  } catch {
    // The run stays RUNNING in the history; the error below is what matters.
  }
  throw error;
}
