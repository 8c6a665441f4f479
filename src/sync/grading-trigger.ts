import type { Queue, Worker } from 'bullmq';
import type { Pool } from 'pg';
import { repeatedWarning, type Logger } from '../logger';
import { GRADING_QUEUE, feedsGrading, gradingJobFor, gradingProcessor, type GradingSummary } from '../supervision/grading-job';
import type { RiskGradeRules } from '../supervision/risk-grade-rules';
import type { BatchCommitted } from './derivation-trigger';
import type { QueueBackend } from './queue-backend';

/** The grading queue, its worker, and the hooks that ask for runs. */
export interface GradingTrigger {
  queue: Queue;
  /** Queues a grading run when the batch changed rows a factor reads. Never throws: the batch is committed already. */
  afterBatch: BatchCommitted;
  /** Asks for a run now (after a derivation changed clues; at start). */
  request(): Promise<void>;
  close(): Promise<void>;
}

const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: 100, removeOnFail: 1_000 };

/** Asks `queue` for a grading run (one per debounce interval); a failed enqueue is only logged. */
function requester(queue: Queue, log: Logger, debounceMs?: number): () => Promise<void> {
  return async () => {
    const { jobId, delay } = gradingJobFor(Date.now(), debounceMs);
    try {
      await queue.add('grade', {}, { ...JOB_OPTIONS, jobId, delay } as never);
    } catch (error) {
      log.warn({ err: error }, 'risk grading not queued');
    }
  };
}

/** What the hub process holds to ask for grading runs (a clue workflow change) without running them: the queue, opened on first use. */
export interface GradingRequests {
  request(): Promise<void>;
  close(): Promise<void>;
}

/** Grading requests from a process that runs no grading worker (the hub: the sync workers run them). */
export function gradingRequests(backend: QueueBackend, logger: Logger): GradingRequests {
  const log = logger.child({ component: 'grading' });
  let queue: Queue | null = null;
  let ask: (() => Promise<void>) | null = null;
  return {
    request() {
      if (!queue) {
        queue = backend.createQueue(GRADING_QUEUE);
        const queueError = repeatedWarning(log, 'queue error');
        queue.on('error', (error) => queueError({ err: error, queue: GRADING_QUEUE }));
        ask = requester(queue, log);
      }
      return ask!();
    },
    async close() {
      await queue?.close();
    },
  };
}

/**
 * Starts the grading queue (`grade-enterprises`) and its worker, on the sync's backend (Redis or
 * PostgreSQL). A failed enqueue is only logged: its changes are covered by the cursor of the next run.
 */
export function startGradingTrigger(backend: QueueBackend, pool: Pool, rules: RiskGradeRules, logger: Logger, debounceMs?: number): GradingTrigger {
  const log = logger.child({ component: 'grading' });
  const queue = backend.createQueue(GRADING_QUEUE);
  const queueError = repeatedWarning(log, 'queue error');
  queue.on('error', (error) => queueError({ err: error, queue: GRADING_QUEUE }));
  const workerError = repeatedWarning(log, 'worker error');
  const worker: Worker<unknown, GradingSummary> = backend.createWorker<unknown, GradingSummary>(GRADING_QUEUE, gradingProcessor(pool, rules));
  worker.on('error', (error) => workerError({ err: error, queue: GRADING_QUEUE }));
  worker.on('failed', (_job, error) => log.warn({ err: error }, 'risk grading failed'));
  worker.on('completed', (_job, result) => log.debug({ grading: result }, 'risk grading finished'));
  const request = requester(queue, log, debounceMs);
  return {
    queue,
    request,
    async afterBatch(ref, result) {
      if (result.inserted + result.updated + result.deleted > 0 && feedsGrading(ref.system, ref.stream)) await request();
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
