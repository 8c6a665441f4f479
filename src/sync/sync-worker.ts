import { UnrecoverableError, Worker as BullWorker, type Worker } from 'bullmq';
import type { Pool } from 'pg';
import { ConfigurationError, TransientError, type Connector } from '../../connectors/contract';
import type { SourceSystem } from '../canonical/codes';
import type { QueueBackend } from './queue-backend';
import type { RunSummary } from './run-stream';
import { queueNameOf, syncJobProcessor, type SyncJobData } from './sync-job';

/**
 * The worker of one upstream system's queue. Failures are handled by their class:
 * - transient with a Retry-After (429): the queue pauses for that long and the job is retried
 *   without spending one of its attempts;
 * - other transient failures: BullMQ retries with the job's backoff, resuming after the last
 *   committed batch;
 * - configuration failures: not retried (the stream is marked as needing attention).
 * When `signal` aborts (shutdown), running jobs stop after their current batch.
 */
export function createSyncWorker(
  backend: QueueBackend, system: SourceSystem, pool: Pool, connector: Connector, concurrency = 1, signal?: AbortSignal,
): Worker<SyncJobData, RunSummary> {
  const process = syncJobProcessor(pool, connector, signal);
  const worker: Worker<SyncJobData, RunSummary> = backend.createWorker<SyncJobData, RunSummary>(queueNameOf(system), async (job) => {
    try {
      return await process(job);
    } catch (error) {
      if (error instanceof TransientError && error.retryAfterMs !== null) {
        await worker.rateLimit(error.retryAfterMs);
        throw BullWorker.RateLimitError();
      }
      if (error instanceof ConfigurationError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }, concurrency);
  return worker;
}
