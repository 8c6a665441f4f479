import type { Queue } from 'bullmq';
import type { Pool, PoolClient } from 'pg';
import type { SourceSystem } from '../canonical/codes';
import { InvalidInputError } from '../errors';
import type { QueueBackend } from './queue-backend';
import { JOB_OPTIONS } from './job-options';
import { queueNameOf, type SyncJobData } from './sync-job';
import { streamTarget } from './stream-tables';

/** A run counts as under way while it beats at least this often (a batch commits within it). */
const RUNNING_HEARTBEAT = "interval '5 minutes'";
/** A queued run that no worker took within this is given up (the job was lost, or no worker runs). */
const STALE_QUEUED = "interval '1 hour'";

export type SyncMode = 'INCREMENTAL' | 'FULL';

/**
 * Operators' control of the sync: queue a run of a stream now, release quarantined records for
 * another try. The hub only enqueues; workers (in-process in the demo, `npm run worker`
 * otherwise) run the jobs.
 */
export class SyncControl {
  private readonly queues = new Map<SourceSystem, Queue<SyncJobData>>();

  constructor(private readonly pool: Pool, private readonly backend: QueueBackend) {}

  private queueOf(system: SourceSystem): Queue<SyncJobData> {
    let queue = this.queues.get(system);
    if (!queue) {
      queue = this.backend.createQueue<SyncJobData>(queueNameOf(system));
      queue.on('error', () => undefined);
      this.queues.set(system, queue);
    }
    return queue;
  }

  /**
   * Queues a run of the stream and returns it; when one is already queued or running, returns
   * that one instead: a stream never syncs twice in parallel on an operator's request.
   */
  async trigger(
    system: SourceSystem, stream: string, mode: SyncMode, requestedBy: string,
    /** Runs in the same transaction as queueing the run, and only if a new run is queued. */
    alsoWhenQueued?: (client: PoolClient) => Promise<void>,
  ): Promise<{ runId: number; alreadyRunning: boolean }> {
    if (!streamTarget(system, stream)) throw new InvalidInputError('stream', `${system} has no stream "${stream}"`);
    const client = await this.pool.connect();
    let runId: number;
    try {
      await client.query('begin');
      // Two triggers at once: the second waits here and then finds the first one's run.
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`sync:${system}:${stream}`]);
      // A run queued long ago whose job never started (no worker for the system, a lost job) must
      // not hold the stream forever.
      await client.query(`update sync_run set status = 'FAILED', finished_at = now(), error_class = 'QUEUE',
          error_message = 'queued for an hour and never started'
        where system = $1 and stream = $2 and status = 'QUEUED' and started_at < now() - ${STALE_QUEUED}`, [system, stream]);
      const { rows: busy } = await client.query<{ id: string }>(`select id from sync_run where system = $1 and stream = $2
          and (status = 'QUEUED' or (status = 'RUNNING' and coalesce(heartbeat_at, started_at) > now() - ${RUNNING_HEARTBEAT}))
        order by id desc limit 1`, [system, stream]);
      if (busy.length) {
        await client.query('commit');
        return { runId: Number(busy[0].id), alreadyRunning: true };
      }
      const { rows } = await client.query<{ id: string }>(`insert into sync_run (system, stream, mode, started_at, status, requested_by)
          values ($1, $2, $3, now(), 'QUEUED', $4) returning id`, [system, stream, mode, requestedBy]);
      runId = Number(rows[0].id);
      await alsoWhenQueued?.(client);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    try {
      await this.queueOf(system).add('sync', { system, stream, mode, runId }, { ...JOB_OPTIONS, jobId: `run-${runId}` } as never);
    } catch (error) {
      throw error;
    }
    return { runId, alreadyRunning: false };
  }

  /**
   * Releases the stream's quarantined records and queues a FULL run, which reads them again from
   * the source: fixed records land, records still bad are quarantined anew with their reasons.
   * While a run of the stream is queued or under way, nothing is released (`released: 0`).
   */
  async retryQuarantined(system: SourceSystem, stream: string, requestedBy: string): Promise<{ runId: number; released: number; alreadyRunning: boolean }> {
    if (!streamTarget(system, stream)) throw new InvalidInputError('stream', `${system} has no stream "${stream}"`);
    let released = 0;
    // Released only together with queueing the FULL run that reads them again: with a run already
    // under way nothing is released, so no record can end up neither in quarantine nor in the hub.
    const run = await this.trigger(system, stream, 'FULL', requestedBy, async (client) => {
      const { rowCount } = await client.query(`update quarantined_record set released_at = now()
        where system = $1 and stream = $2 and released_at is null and resolved_at is null`, [system, stream]);
      released = rowCount ?? 0;
    });
    return { ...run, released };
  }

  /** When each of the system's streams is next scheduled (incremental schedules), in one call to its queue. */
  async nextRunsOf(system: SourceSystem): Promise<Map<string, Date>> {
    const schedulers = await this.queueOf(system).getJobSchedulers().catch(() => []);
    const next = new Map<string, Date>();
    for (const scheduler of schedulers) {
      const [, stream, kind] = scheduler.key.split(':');
      if (!kind && scheduler.next) next.set(stream, new Date(scheduler.next));
    }
    return next;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
