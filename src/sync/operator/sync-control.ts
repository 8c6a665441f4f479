import { inTransaction } from '../../db/transaction';
import type { Queue } from 'bullmq';
import type { Pool, PoolClient } from 'pg';
import type { EffectAudit } from '../../audit/effect-audit';
import type { SourceSystem } from '../../../connectors/contract/canonical/codes';
import { InvalidInputError, QueueUnavailableError } from '../../errors';
import type { Logger } from '../../logger';
import type { QueueBackend } from '../queue-backend';
import { JOB_OPTIONS } from '../job-options';
import { queueNameOf, type SyncJobData } from '../sync-job';
import { rereadHookOf } from '../connector-registry';
import { SyncSpan, syncSpanAttributes } from '../sync-spans';
import { SpanKind, traceCarrier, traced } from '../../telemetry';
import { knownStreams, streamTarget } from '../stream-tables';
import {
  discardSnapshot,
  failUnqueued,
  findRunUnderWay,
  lockStreamRequests,
  queueRun,
  releaseQuarantined,
  rewriteCursor,
  unrelease,
  type SyncMode,
} from '../state';

/**
 * How long a call to a queue may take before it counts as refused: a Redis that is down holds
 * commands until it is back (workers need that) instead of failing them.
 */
const QUEUE_TIMEOUT_MS = 10_000;

/** The states of a queue's jobs that operators watch. */
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
type JobState = (typeof JOB_STATES)[number];

/**
 * Operators' control of the sync: queue a run of a stream now, release quarantined records for
 * another try. The hub only enqueues; workers (in-process in the demo, `npm run worker`
 * otherwise) run the jobs.
 */
export class SyncControl {
  private readonly queues = new Map<SourceSystem, Queue<SyncJobData>>();

  private readonly queueTimeoutMs: number;
  private readonly logger: Logger | null;

  constructor(
    private readonly pool: Pool,
    private readonly backend: QueueBackend,
    options: { queueTimeoutMs?: number; logger?: Logger } = {},
  ) {
    this.queueTimeoutMs = options.queueTimeoutMs ?? QUEUE_TIMEOUT_MS;
    this.logger = options.logger ?? null;
  }

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
   * Runs a call to the system's queue within the timeout. A queue whose call fails or times out
   * is dropped and closed (which also abandons a command still waiting for Redis, so no job can
   * appear later): BullMQ keeps a failed first connection for good, and the next call starts anew.
   */
  private async withQueue<T>(system: SourceSystem, call: (queue: Queue<SyncJobData>) => Promise<T>): Promise<T> {
    const queue = this.queueOf(system);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call(queue),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the ${queueNameOf(system)} queue did not answer within ${this.queueTimeoutMs} ms`)), this.queueTimeoutMs);
        }),
      ]);
    } catch (error) {
      if (this.queues.get(system) === queue) {
        this.queues.delete(system);
        void queue.close().catch(() => undefined);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Queues a run of the stream and returns it; when one is already queued or running, returns
   * that one instead: a stream never syncs twice in parallel on an operator's request.
   * With `audit`, the request's audit event is the transaction's first write: no run is
   * recorded, or released, without it (an event that cannot be written rolls everything back).
   */
  trigger(
    system: SourceSystem,
    stream: string,
    mode: SyncMode,
    requestedBy: string,
    /** Runs in the same transaction as queueing the run, and only if a new run is queued. */
    alsoWhenQueued?: (client: PoolClient) => Promise<void>,
    audit?: EffectAudit,
  ): Promise<{ runId: number; alreadyRunning: boolean }> {
    // The queued job carries this span's trace: the run and its batch commits continue it.
    return traced(
      SyncSpan.TRIGGER,
      syncSpanAttributes(system, stream, mode),
      async (span) => {
        const triggered = await this.queueRunOf(system, stream, mode, requestedBy, alsoWhenQueued, audit);
        span.setAttributes({ 'sync.run_id': triggered.runId, 'sync.already_running': triggered.alreadyRunning });
        return triggered;
      },
      { kind: SpanKind.PRODUCER },
    );
  }

  /** `trigger`'s work, in its span. */
  private async queueRunOf(
    ...[system, stream, mode, requestedBy, alsoWhenQueued, audit]: Parameters<SyncControl['trigger']>
  ): Promise<{ runId: number; alreadyRunning: boolean }> {
    if (!streamTarget(system, stream)) throw new InvalidInputError('stream', `${system} has no stream "${stream}"`);
    const queued = await inTransaction(this.pool, async (client) => {
      await lockStreamRequests(client, { system, stream });
      // After the stream's lock, so that a trigger waiting for it does not hold up every audit append.
      await audit?.appendWithin(client);
      const busy = await findRunUnderWay(client, { system, stream });
      if (busy !== null) return { runId: busy, alreadyRunning: true };
      const runId = await queueRun(client, { system, stream }, mode, requestedBy);
      await alsoWhenQueued?.(client);
      return { runId, alreadyRunning: false };
    });
    audit?.committed();
    if (queued.alreadyRunning) return queued;
    const { runId } = queued;
    try {
      await this.withQueue(system, (queue) =>
        queue.add('sync', { system, stream, mode, runId, trace: traceCarrier() }, { ...JOB_OPTIONS, jobId: `run-${runId}` } as never),
      );
    } catch (error) {
      await failUnqueued(this.pool, runId);
      this.logger?.error({ err: error, system, stream, runId }, 'sync run could not be queued');
      throw new QueueUnavailableError(system, stream, runId);
    }
    return { runId, alreadyRunning: false };
  }

  /**
   * Releases the stream's quarantined records and queues a run that reads them again from the
   * source: fixed records land, records still bad are quarantined anew with their reasons. A
   * stream whose connector has a re-read-quarantined hook (captures, by serial) gets an incremental
   * run over the cursor the hook rewrote; any other a FULL run from the beginning.
   * While a run of the stream is queued or under way, nothing is released (`released: 0`).
   */
  async retryQuarantined(
    system: SourceSystem,
    stream: string,
    requestedBy: string,
    audit?: EffectAudit,
  ): Promise<{ runId: number; released: number; alreadyRunning: boolean }> {
    // An unknown stream is refused by `trigger`, before anything is released.
    const reread = rereadHookOf(system, stream);
    let released: string[] = [];
    // Released only together with queueing the run that reads them again: with a run already
    // under way nothing is released, so no record can end up neither in quarantine nor in the hub.
    let run: { runId: number; alreadyRunning: boolean };
    try {
      run = await this.trigger(
        system,
        stream,
        reread ? 'INCREMENTAL' : 'FULL',
        requestedBy,
        async (client) => {
          const entries = await releaseQuarantined(client, { system, stream });
          released = entries.map((r) => r.id);
          if (reread) {
            const sourceIds = entries.flatMap((r) => (r.sourceId === null ? [] : [r.sourceId]));
            await rewriteCursor(client, { system, stream }, (cursor) => reread(cursor, sourceIds, Date.now()));
          } else {
            // The released records must be read again: the FULL run starts a snapshot from the beginning.
            await discardSnapshot(client, { system, stream });
          }
        },
        audit,
      );
    } catch (error) {
      // The run that was to read them again was never queued: back into quarantine, unless the
      // record was quarantined anew meanwhile.
      if (error instanceof QueueUnavailableError && released.length) {
        await unrelease(this.pool, released);
      }
      throw error;
    }
    return { ...run, released: released.length };
  }

  /** When each of the system's streams is next scheduled (incremental schedules), in one call to its queue. */
  async nextRunsOf(system: SourceSystem): Promise<Map<string, Date>> {
    const schedulers = await this.withQueue(system, (queue) => queue.getJobSchedulers()).catch(() => []);
    const next = new Map<string, Date>();
    for (const scheduler of schedulers) {
      const [, stream, kind] = scheduler.key.split(':');
      if (!kind && scheduler.next) next.set(stream, new Date(scheduler.next));
    }
    return next;
  }

  /** Each system's queue and its jobs by state, one call to each queue; fails if any queue does not answer. */
  async jobCounts(): Promise<Array<{ queue: string; counts: Record<JobState, number> }>> {
    return Promise.all(
      knownStreams().map(async ({ system }) => {
        const counts = await this.withQueue(system, (queue) => queue.getJobCounts(...JOB_STATES));
        return { queue: queueNameOf(system), counts: Object.fromEntries(JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Record<JobState, number> };
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
