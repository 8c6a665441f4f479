import type { Pool } from 'pg';
import type { Connector } from '../../connectors/contract';
import { ConfigurationError } from '../../connectors/contract';
import type { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { Logger } from '../logger';
import type { BatchCommitted } from './derivation-trigger';
import { runStream, type RunSummary } from './run-stream';
import type { SyncMode } from './state';
import { streamTarget } from './stream-tables';

/** A sync job names what to sync, never the data: payloads carry no personal data. */
export interface SyncJobData {
  system: SourceSystem;
  stream: string;
  mode: SyncMode;
  /** The run an operator queued for this job (`triggerSync`), if any. */
  runId?: number;
}

/** The queue of an upstream system: one per system, so a slow source delays only itself. */
export const queueNameOf = (system: SourceSystem): string => `sync-${system.toLowerCase()}`;

/**
 * The processor of a system's queue: runs the named stream with that system's connector, stopping
 * after a batch once `signal` aborts, logging to `logger` and telling `afterBatch` of each batch.
 */
export function syncJobProcessor(pool: Pool, connector: Connector, run: { signal?: AbortSignal; logger?: Logger; afterBatch?: BatchCommitted } = {}) {
  return async (job: { id?: string; data: SyncJobData }): Promise<RunSummary> => {
    const target = streamTarget(job.data.system, job.data.stream);
    if (!target || !connector.streams.includes(job.data.stream)) {
      throw new ConfigurationError(`no stream ${job.data.system}/${job.data.stream}`);
    }
    return runStream({
      pool,
      connector,
      ref: { system: job.data.system, stream: job.data.stream },
      target,
      mode: job.data.mode,
      ...run,
      queuedRunId: job.data.runId,
      jobId: job.id,
    });
  };
}
