import type { Pool } from 'pg';
import type { Connector, StreamBatch } from '../../connectors/contract';
import type { CaptureRecord } from '../canonical/records';
import { commitBatch, type BatchResult } from './commit-batch';
import { commitCaptureBatch } from './commit-capture-batch';
import {
  completeSnapshot, finishRun, markNeedsAttention, openSnapshot, recordProgress, startRun, streamState,
  type RunCounts, type RunOutcome, type StreamRef, type SyncMode,
} from './state';
import type { StreamTarget } from './stream-tables';
import { failureKindOf, FailureKind, handlingOf, type ErrorClass } from './sync-failure';

export type RunStatus = RunOutcome;

export interface RunSummary extends RunCounts {
  runId: number;
  status: RunStatus;
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
  pool: Pool, connector: Connector, ref: StreamRef, target: StreamTarget, mode: SyncMode = 'INCREMENTAL',
  signal?: AbortSignal, queuedRunId?: number,
  /** The queue job this run belongs to; its retries continue the operator's run or close the one left behind. */
  jobId?: string,
): Promise<RunSummary> {
  const summary: RunSummary = { ...await startRun(pool, ref, mode, queuedRunId, jobId), status: 'SUCCEEDED' };
  const progress = () => recordProgress(pool, summary.runId, summary);
  const finish = (status: RunStatus, failure?: { errorClass: ErrorClass | null; message: string | null }) => finishRun(pool, summary.runId, status, summary, failure);
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
    const kind = failureKindOf(error);
    if (kind === FailureKind.SUPERSEDED) {
      summary.status = 'SUPERSEDED';
      await finish('SUPERSEDED').catch(() => undefined);
      return summary;
    }
    const handling = handlingOf(kind);
    const message = error instanceof Error ? error.message : null;
    // Bookkeeping must never replace the real error: its class decides whether BullMQ retries.
    try {
      if (handling.needsAttention) await markNeedsAttention(pool, ref, message ?? String(error));
      await finish('FAILED', { errorClass: handling.errorClass, message });
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
