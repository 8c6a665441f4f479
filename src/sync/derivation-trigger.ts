import type { Queue, Worker } from 'bullmq';
import type { Pool } from 'pg';
import { repeatedWarning, type Logger } from '../logger';
import type { ClueRules } from '../supervision/clue-rules';
import { DERIVATION_QUEUE, derivationJobFor, derivationProcessor, feedsDerivation, type DerivationSummary } from '../supervision/derivation-job';
import type { BatchResult } from './commit-batch';
import type { QueueBackend } from './queue-backend';
import type { StreamRef } from './state';

/** Called after each committed batch of a sync run. */
export type BatchCommitted = (ref: StreamRef, result: BatchResult) => Promise<void>;

/** The derivation queue, its worker, and the hook the sync calls after every batch. */
export interface DerivationTrigger {
  queue: Queue;
  /** Queues a derivation run when the batch changed rows some rule reads. Never throws: the batch is committed already. */
  afterBatch: BatchCommitted;
  /** Asks for a run now (at start: catches up with what changed while no worker ran). */
  request(): Promise<void>;
  close(): Promise<void>;
}

const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: 100, removeOnFail: 1_000 };

/**
 * Starts the derivation queue and its worker. A failed enqueue is only logged: the rows it was
 * for are covered by the cursor of the next run any later batch (or the next start) asks for.
 */
export function startDerivationTrigger(
  backend: QueueBackend,
  pool: Pool,
  rules: ClueRules,
  logger: Logger,
  debounceMs?: number,
  /** Called after a run that wrote or withdrew clues (risk grades count open clues). */
  afterClues?: () => Promise<void>,
): DerivationTrigger {
  const log = logger.child({ component: 'derivation' });
  const queue = backend.createQueue(DERIVATION_QUEUE);
  const queueError = repeatedWarning(log, 'queue error');
  queue.on('error', (error) => queueError({ err: error, queue: DERIVATION_QUEUE }));
  const worker: Worker<unknown, DerivationSummary> = backend.createWorker<unknown, DerivationSummary>(DERIVATION_QUEUE, derivationProcessor(pool, rules));
  const workerError = repeatedWarning(log, 'worker error');
  worker.on('error', (error) => workerError({ err: error, queue: DERIVATION_QUEUE }));
  worker.on('failed', (_job, error) => log.warn({ err: error }, 'clue derivation failed'));
  // Rule ids and counts: the keys derived (plates among them) are not named.
  worker.on('completed', (_job, result) => {
    log.debug({ rules: result }, 'clue derivation finished');
    if (afterClues && result.some((run) => run.written + run.withdrawn > 0)) void afterClues();
  });
  const request = async () => {
    const { jobId, delay } = derivationJobFor(Date.now(), debounceMs);
    try {
      await queue.add('derive', {}, { ...JOB_OPTIONS, jobId, delay } as never);
    } catch (error) {
      log.warn({ err: error }, 'clue derivation not queued');
    }
  };
  return {
    queue,
    request,
    async afterBatch(ref, result) {
      if (result.inserted + result.updated + result.deleted > 0 && feedsDerivation(ref.system, ref.stream)) await request();
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
