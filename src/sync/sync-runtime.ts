import type { Queue, Worker } from 'bullmq';
import type { Connector } from '../../connectors/contract';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { HubConfig } from '../config';
import type { Database } from '../db/database';
import { createPartitionsAhead } from '../ingest/insert-captures';
import { repeatedWarning, type Logger } from '../logger';
import { loadClueRules } from '../supervision/clue-rules';
import { loadRiskGradeRules } from '../supervision/risk-grade-rules';
import { connectorsFromConfig } from './connector-registry';
import { startDerivationTrigger, type DerivationTrigger } from './derivation-trigger';
import { startGradingTrigger, type GradingTrigger } from './grading-trigger';
import { queueBackend, type QueueBackend } from './queue-backend';
import { queueNameOf, type SyncJobData } from './sync-job';
import { JOB_OPTIONS } from './job-options';
import { streamTarget } from './stream-tables';
import { createSyncWorker } from './sync-worker';
import { SyncSpan, syncSpanAttributes } from './sync-spans';
import { SpanKind, traceCarrier, traced } from '../telemetry';
import { withSessionLock } from '../db/session-lock';
import { AdvisoryLock } from '../db/advisory-locks';

/** When sources without a deletion signal are reconciled: nightly, in the bureau's time zone. */
export const RECONCILE_SCHEDULE = { pattern: '0 3 * * *', tz: 'Asia/Shanghai' };

/**
 * The one place schedules are declared: one job scheduler per stream of each configured system,
 * every `syncIntervalSeconds` (INCREMENTAL), plus a nightly FULL run of each record stream of a
 * source that reports no deletions, whose reconciliation finds what vanished. The schedulers of
 * every other stream in `queues` are removed. Run by a deployment step (`npm run sync:schedules`),
 * not by every worker at boot; idempotent. Every run of a schedule starts a trace of its own,
 * linked to its registration's (`sync.schedule`) span. Instances registering at once take turns
 * (a lock in the hub's database): on the PostgreSQL queues an upsert is not atomic, and two at once
 * each left a next job of the same scheduler.
 */
export function registerSchedules(
  databaseUrl: string,
  queues: Map<SourceSystem, Queue<SyncJobData>>,
  connectors: Map<SourceSystem, Connector>,
  everySeconds: number,
): Promise<{ incremental: number; reconciliations: number }> {
  return withSessionLock(databaseUrl, AdvisoryLock.SCHEDULES, () => upsertSchedules(queues, connectors, everySeconds));
}

async function upsertSchedules(
  queues: Map<SourceSystem, Queue<SyncJobData>>,
  connectors: Map<SourceSystem, Connector>,
  everySeconds: number,
): Promise<{ incremental: number; reconciliations: number }> {
  const registered = { incremental: 0, reconciliations: 0 };
  for (const [system, queue] of queues) {
    const connector = connectors.get(system);
    const streams = connector?.streams ?? [];
    const reconciled = connector && !connector.reportsDeletions ? streams.filter((stream) => streamTarget(system, stream)?.kind === 'records') : [];
    const wanted = new Set([...streams.map((stream) => `${system}:${stream}`), ...reconciled.map((stream) => `${system}:${stream}:reconcile`)]);
    for (const scheduler of await queue.getJobSchedulers()) {
      if (!wanted.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key);
    }
    for (const stream of streams) {
      await upsertSchedule(queue, `${system}:${stream}`, { every: everySeconds * 1000 }, { system, stream, mode: 'INCREMENTAL' });
      registered.incremental += 1;
    }
    for (const stream of reconciled) {
      await upsertSchedule(queue, `${system}:${stream}:reconcile`, RECONCILE_SCHEDULE, { system, stream, mode: 'FULL' });
      registered.reconciliations += 1;
    }
  }
  return registered;
}

/** One job scheduler; its jobs carry the trace context of its registration, which their runs link to. */
function upsertSchedule(
  queue: Queue<SyncJobData>,
  key: string,
  repeat: Parameters<Queue['upsertJobScheduler']>[1],
  job: Omit<SyncJobData, 'trace' | 'scheduledBy'>,
) {
  return traced(
    SyncSpan.SCHEDULE,
    syncSpanAttributes(job.system, job.stream, job.mode),
    () => queue.upsertJobScheduler(key, repeat, { name: 'sync', data: { ...job, scheduledBy: traceCarrier() }, opts: JOB_OPTIONS as never }),
    { kind: SpanKind.PRODUCER },
  );
}

/** Running sync workers and their queues. */
export interface SyncRuntime {
  backend: QueueBackend;
  queues: Map<SourceSystem, Queue<SyncJobData>>;
  /** The clue derivation the committed batches ask for. */
  derivation: DerivationTrigger;
  /** The risk grading the committed batches and the derivation ask for. */
  grading: GradingTrigger;
  /** Lets running batches finish, then closes workers, queues and connectors. */
  close(): Promise<void>;
}

/**
 * Starts a worker (and its queue) for every configured upstream system, and the clue derivation
 * worker their committed batches ask for runs (`src/supervision/derivation-job.ts`). `schedule`
 * also registers the schedules (the single-process demo does; deployed workers leave it to
 * `npm run sync:schedules`).
 */
export async function startSyncRuntime(config: HubConfig, db: Database, logger: Logger, options: { schedule: boolean }): Promise<SyncRuntime> {
  const log = logger.child({ component: 'sync' });
  const backend = queueBackend(config, db.url);
  const connectors = connectorsFromConfig(config);
  const grading = startGradingTrigger(backend, db.pool, loadRiskGradeRules(config.riskGradeRulesFile), logger);
  const derivation = startDerivationTrigger(
    backend,
    db.pool,
    loadClueRules(config.clueRulesFile, config.crimeCatalogueFile),
    logger,
    undefined,
    grading.request,
  );
  const afterBatch: typeof derivation.afterBatch = async (ref, result) => {
    await derivation.afterBatch(ref, result);
    await grading.afterBatch(ref, result);
  };
  const queues = new Map<SourceSystem, Queue<SyncJobData>>();
  const workers: Worker[] = [];
  const shutdown = new AbortController();
  for (const [system, connector] of connectors) {
    const queue = backend.createQueue<SyncJobData>(queueNameOf(system));
    // Unlistened 'error' events would end the process on a passing Redis or PostgreSQL failure.
    const queueError = repeatedWarning(log, 'queue error');
    queue.on('error', (error) => queueError({ err: error, queue: queueNameOf(system) }));
    queues.set(system, queue);
    // Each run logs itself (run-stream.ts); the queue says what it does with a failed job.
    const worker = createSyncWorker(backend, system, db.pool, connector, { signal: shutdown.signal, logger, afterBatch });
    const workerError = repeatedWarning(log, 'worker error');
    worker.on('error', (error) => workerError({ err: error, queue: queueNameOf(system) }));
    worker.on('failed', (job, error) =>
      log.warn(
        { err: error, system: job?.data.system, stream: job?.data.stream, jobId: job?.id ?? null, attempts: job?.attemptsMade ?? null },
        'sync job failed',
      ),
    );
    workers.push(worker as unknown as Worker);
  }
  if (options.schedule) await registerSchedules(db.url, queues, connectors, config.syncIntervalSeconds);
  // Capture partitions for the days ahead, at start and every six hours: a worker running for days
  // keeps a week ready. Any worker may do it (creating one is idempotent and serialised).
  let partitions: NodeJS.Timeout | null = null;
  if (connectors.has(SourceSystem.CHECKPOINT_EXCHANGE)) {
    const createAhead = () => createPartitionsAhead(db.pool).catch((error: Error) => log.warn({ err: error }, 'capture partitions ahead not created'));
    await createAhead();
    partitions = setInterval(createAhead, 6 * 3_600_000);
    partitions.unref();
  }
  // What changed while no worker ran (or what a world loaded directly holds) is derived at once.
  await derivation.request();
  await grading.request();
  log.info({ systems: [...connectors.keys()], queues: backend.kind }, 'sync workers started');
  return {
    backend,
    queues,
    derivation,
    grading,
    async close() {
      // Running jobs stop after their current batch; close() then waits only for that.
      if (partitions) clearInterval(partitions);
      shutdown.abort();
      await Promise.all(workers.map((w) => w.close()));
      await derivation.close();
      await grading.close();
      await Promise.all([...queues.values()].map((q) => q.close()));
      for (const connector of connectors.values()) await connector.close();
    },
  };
}
