import { UnrecoverableError, Worker as BullWorker, type Worker } from 'bullmq';
import type { Pool } from 'pg';
import { TransientError, type Connector } from '../../connectors/contract';
import type { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { Logger } from '../logger';
import type { BatchCommitted } from './derivation-trigger';
import type { QueueBackend } from './queue-backend';
import type { RunSummary } from './run-stream';
import { queueNameOf, syncJobProcessor, type SyncJobData } from './sync-job';
import { failureKindOf, handlingOf, Recovery } from './sync-failure';

/**
 * The worker of one upstream system's queue. Failures are handled as the failure map says
 * (`sync-failure.ts`): RETRY_AFTER (a 429 with Retry-After) pauses the queue for that long and
 * retries without spending an attempt; RETRY leaves it to BullMQ's backoff, resuming after the
 * last committed batch; UNRECOVERABLE (configuration) is not retried.
 * When `signal` aborts (shutdown), running jobs stop after their current batch. Runs and batches
 * are logged to `logger` when one is given; `afterBatch` is told of every committed batch.
 */
export function createSyncWorker(
  backend: QueueBackend,
  system: SourceSystem,
  pool: Pool,
  connector: Connector,
  options: { concurrency?: number; signal?: AbortSignal; logger?: Logger; afterBatch?: BatchCommitted } = {},
): Worker<SyncJobData, RunSummary> {
  const { concurrency = 1, ...run } = options;
  const process = syncJobProcessor(pool, connector, run);
  const worker: Worker<SyncJobData, RunSummary> = backend.createWorker<SyncJobData, RunSummary>(
    queueNameOf(system),
    async (job) => {
      try {
        return await process(job);
      } catch (error) {
        const { recovery } = handlingOf(failureKindOf(error));
        if (recovery === Recovery.RETRY_AFTER && error instanceof TransientError && error.retryAfterMs !== null) {
          await worker.rateLimit(error.retryAfterMs);
          throw BullWorker.RateLimitError();
        }
        if (recovery === Recovery.UNRECOVERABLE) throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
    concurrency,
  );
  return worker;
}
