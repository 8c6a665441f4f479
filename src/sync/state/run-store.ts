import type { Pool, PoolClient } from 'pg';
import { FailureKind, handlingOf, type ErrorClass } from '../sync-failure';
import { RUN_STOPPED_BEATING, RUN_UNDER_WAY, type RunOutcome, type StreamRef, type SyncMode } from './sync-vocabulary';

/** `sync_run`: the history of runs, their progress while they run, and how they ended. */

/** What a run has done so far. */
export interface RunCounts {
  batches: number;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
}

/** A queued run that no worker took within this is given up (the job was lost, or no worker runs). */
const STALE_QUEUED = "interval '1 hour'";

/** The stream's last complete run of the same mode: how many batches this one will likely take. */
const ESTIMATE = `(select batches from sync_run where system = $1 and stream = $2 and mode = $3 and status = 'SUCCEEDED'
  order by id desc limit 1)`;

/** Counts a run carries on with when a retry takes it over. */
const COUNTS = 'batches, read, inserted, updated, unchanged, deleted, quarantined';

/**
 * Records the run as started. An operator's run (`triggerSync`) is taken over when it is queued,
 * and by the retries of its job after a failure (carrying on with its counts), so the run the
 * operator holds ends as the sync does. Otherwise a run is opened per attempt: never one that
 * may still be running, whose outcome would then be written by two runners. A run of the same
 * job left RUNNING (its worker was killed), or of the stream whose heartbeat stopped, is closed
 * as FAILED, naming the run that went on from its last batch.
 */
export async function startRun(pool: Pool, ref: StreamRef, mode: SyncMode, queuedRunId?: number, jobId?: string): Promise<RunCounts & { runId: number }> {
  type Row = { id: string } & RunCounts;
  let started: Row | undefined;
  if (queuedRunId !== undefined) {
    ({
      rows: [started],
    } = await pool.query<Row>(
      `update sync_run set status = 'RUNNING', heartbeat_at = now(), finished_at = null,
        error_class = null, error_message = null, job_id = $5,
        started_at = case when status = 'QUEUED' then now() else started_at end,
        estimated_batches = coalesce(estimated_batches, ${ESTIMATE})
      where id = $4 and system = $1 and stream = $2 and mode = $3 and status in ('QUEUED', 'FAILED') returning id, ${COUNTS}`,
      [ref.system, ref.stream, mode, queuedRunId, jobId ?? null],
    ));
  }
  if (!started) {
    ({
      rows: [started],
    } = await pool.query<Row>(
      `insert into sync_run (system, stream, mode, started_at, heartbeat_at, status, estimated_batches, job_id)
        values ($1, $2, $3, now(), now(), 'RUNNING', ${ESTIMATE}, $4) returning id, ${COUNTS}`,
      [ref.system, ref.stream, mode, jobId ?? null],
    ));
  }
  await pool.query(
    `update sync_run set status = 'FAILED', finished_at = now(), error_class = $5,
      error_message = 'stopped without finishing (its worker was killed or lost); run ' || $4 || ' went on from its last batch'
    where system = $1 and stream = $2 and status = 'RUNNING' and id <> $4::bigint
      and (job_id = $3 or ${RUN_STOPPED_BEATING})`,
    [ref.system, ref.stream, jobId ?? null, started!.id, handlingOf(FailureKind.WORKER_LOST).errorClass],
  );
  const { id, ...counts } = started!;
  return { ...counts, runId: Number(id) };
}

/** Live progress after a batch committed, and the run's heartbeat. */
export async function recordProgress(pool: Pool, runId: number, counts: RunCounts): Promise<void> {
  await pool.query(
    `update sync_run set batches = $2, read = $3, inserted = $4, updated = $5, unchanged = $6,
      deleted = $7, quarantined = $8, heartbeat_at = now() where id = $1`,
    [runId, counts.batches, counts.read, counts.inserted, counts.updated, counts.unchanged, counts.deleted, counts.quarantined],
  );
}

/** Records how the run ended, with its counts and, for a failure, its class and message. */
export async function finishRun(
  pool: Pool,
  runId: number,
  status: RunOutcome,
  counts: RunCounts,
  failure?: { errorClass: ErrorClass | null; message: string | null },
): Promise<void> {
  await pool.query(
    `update sync_run set finished_at = now(), status = $2, batches = $3,
      read = $4, inserted = $5, updated = $6, unchanged = $7, deleted = $8, quarantined = $9, error_class = $10, error_message = $11
      where id = $1`,
    [
      runId,
      status,
      counts.batches,
      counts.read,
      counts.inserted,
      counts.updated,
      counts.unchanged,
      counts.deleted,
      counts.quarantined,
      failure?.errorClass ?? null,
      failure?.message?.slice(0, 1000) ?? null,
    ],
  );
}

/**
 * Serialises operators' requests on one stream for the transaction: two triggers at once, the
 * second waits here and then finds the first one's run.
 */
export async function lockStreamRequests(client: PoolClient, ref: StreamRef): Promise<void> {
  await client.query('select pg_advisory_xact_lock(hashtext($1))', [`sync:${ref.system}:${ref.stream}`]);
}

/**
 * The run of the stream queued or under way, if any. A run queued long ago whose job never
 * started (no worker for the system, a lost job) is given up first: it must not hold the stream forever.
 */
export async function findRunUnderWay(client: PoolClient, ref: StreamRef): Promise<number | null> {
  await client.query(
    `update sync_run set status = 'FAILED', finished_at = now(), error_class = $3,
      error_message = 'queued for an hour and never started'
    where system = $1 and stream = $2 and status = 'QUEUED' and started_at < now() - ${STALE_QUEUED}`,
    [ref.system, ref.stream, handlingOf(FailureKind.QUEUE_STALE).errorClass],
  );
  const { rows } = await client.query<{ id: string }>(
    `select id from sync_run where system = $1 and stream = $2
      and ${RUN_UNDER_WAY} order by id desc limit 1`,
    [ref.system, ref.stream],
  );
  return rows.length ? Number(rows[0].id) : null;
}

/** Records an operator's run as QUEUED; returns its id. */
export async function queueRun(client: PoolClient, ref: StreamRef, mode: SyncMode, requestedBy: string): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    `insert into sync_run (system, stream, mode, started_at, status, requested_by)
      values ($1, $2, $3, now(), 'QUEUED', $4) returning id`,
    [ref.system, ref.stream, mode, requestedBy],
  );
  return Number(rows[0].id);
}

/** The queue refused the run's job: the run fails at once. */
export async function failUnqueued(pool: Pool, runId: number): Promise<void> {
  await pool.query("update sync_run set status = 'FAILED', finished_at = now(), error_class = $3, error_message = $2 where id = $1", [
    runId,
    'the run could not be queued',
    handlingOf(FailureKind.QUEUE_REFUSED).errorClass,
  ]);
}
