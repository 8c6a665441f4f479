import type { Pool } from 'pg';
import type { Connector } from '../../connectors/contract';
import { ConfigurationError } from '../../connectors/contract';
import type { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { Logger } from '../logger';
import type { BatchCommitted } from './derivation-trigger';
import { runStream, type RunSummary } from './run-stream';
import type { SyncMode } from './state';
import { streamTarget } from './stream-tables';
import { SpanKind, traced, type TraceCarrier } from '../telemetry';
import { SyncSpan, syncSpanAttributes } from './sync-spans';

/** A sync job names what to sync, never the data: payloads carry no personal data. */
export interface SyncJobData {
  system: SourceSystem;
  stream: string;
  mode: SyncMode;
  /** The run an operator queued for this job (`triggerSync`), if any. */
  runId?: number;
  /**
   * The trace context of the operator's trigger that queued the job, which the run continues
   * (see `sync-spans.ts`); absent when nothing was traced.
   */
  trace?: TraceCarrier;
  /**
   * The trace context of the registration of the schedule that queued the job: each scheduled run
   * starts a trace of its own, linked to it, so a schedule's runs are not one endless trace.
   */
  scheduledBy?: TraceCarrier;
}

/** The queue of an upstream system: one per system, so a slow source delays only itself. */
export const queueNameOf = (system: SourceSystem): string => `sync-${system.toLowerCase()}`;

/**
 * The processor of a system's queue: runs the named stream with that system's connector, stopping
 * after a batch once `signal` aborts, logging to `logger` and telling `afterBatch` of each batch.
 */
export function syncJobProcessor(pool: Pool, connector: Connector, run: { signal?: AbortSignal; logger?: Logger; afterBatch?: BatchCommitted } = {}) {
  return async (job: { id?: string; data: SyncJobData }): Promise<RunSummary> => {
    const { system, stream, mode, runId, trace, scheduledBy } = job.data;
    return traced(
      SyncSpan.RUN,
      syncSpanAttributes(system, stream, mode, runId),
      async (span) => {
        const target = streamTarget(system, stream);
        if (!target || !connector.streams.includes(stream)) throw new ConfigurationError(`no stream ${system}/${stream}`);
        const summary = await runStream({ pool, connector, ref: { system, stream }, target, mode, ...run, queuedRunId: runId, jobId: job.id });
        span.setAttributes({ 'sync.run_id': summary.runId, 'sync.status': summary.status, 'sync.batches': summary.batches });
        return summary;
      },
      { kind: SpanKind.CONSUMER, continues: trace, linkedTo: scheduledBy },
    );
  };
}
