import type { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { SyncMode } from './state';

/**
 * The sync's spans. A triggered job's trace starts at the operator's trigger, and its run and every
 * batch commit continue it (the job carries the trace context, `SyncJobData.trace`), across
 * processes. A scheduled run starts its own trace, linked to its schedule's registration
 * (`SyncJobData.scheduledBy`).
 */
export const SyncSpan = {
  /** A stream's schedule registered (`npm run sync:schedules`, a worker with `--schedule`). */
  SCHEDULE: 'sync.schedule',
  /** An operator's `triggerSync` or `retryQuarantined`: the run queued. */
  TRIGGER: 'sync.trigger',
  /** A worker running the job: one run of the stream. */
  RUN: 'sync.run',
  /** One batch and its cursor committed in one transaction; its SQL is beneath it. */
  BATCH_COMMIT: 'sync.batch.commit',
} as const;

/** What a sync span says of its job: which stream, how, and which run; never a record. */
export const syncSpanAttributes = (system: SourceSystem, stream: string, mode?: SyncMode, runId?: number) => ({
  'sync.system': system,
  'sync.stream': stream,
  ...(mode === undefined ? {} : { 'sync.mode': mode }),
  ...(runId === undefined ? {} : { 'sync.run_id': runId }),
});
