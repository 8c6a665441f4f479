import type { SourceSystem } from '../../../connectors/contract/canonical/codes';

/** A stream of one upstream system, e.g. TRANSPORT / vehicles. */
export interface StreamRef {
  system: SourceSystem;
  stream: string;
}

/** How a run reads its stream: INCREMENTAL from the stream's cursor; FULL a whole snapshot, reconciled. */
export const SyncMode = { INCREMENTAL: 'INCREMENTAL', FULL: 'FULL' } as const;
export type SyncMode = (typeof SyncMode)[keyof typeof SyncMode];

/** Where a run stands, as `sync_run.status` records it (in the order the GraphQL enum lists them). */
export const SyncRunStatus = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  INTERRUPTED: 'INTERRUPTED',
  SUPERSEDED: 'SUPERSEDED',
} as const;
export type SyncRunStatus = (typeof SyncRunStatus)[keyof typeof SyncRunStatus];

/** How a run that a worker took ends. */
export type RunOutcome = Exclude<SyncRunStatus, 'QUEUED' | 'RUNNING'>;

/** How a quarantine entry stopped needing anyone. */
export const QuarantineResolution = { LANDED: 'LANDED', REPLACED: 'REPLACED' } as const;
export type QuarantineResolution = (typeof QuarantineResolution)[keyof typeof QuarantineResolution];

/**
 * The heartbeat rule: a RUNNING run beats after every batch, far more often than this; one silent
 * for longer has lost its worker (killed, lost) and no longer counts as under way.
 */
export const HEARTBEAT_TIMEOUT = "interval '5 minutes'";

/** SQL: the run (a `sync_run` row) is queued, or running with a recent heartbeat. */
export const RUN_UNDER_WAY = `(status = 'QUEUED' or (status = 'RUNNING' and coalesce(heartbeat_at, started_at) > now() - ${HEARTBEAT_TIMEOUT}))`;

/** SQL: the quarantine entry is open, neither released for another try nor resolved: the predicate of the open-entry indexes. */
export const QUARANTINE_OPEN = 'released_at is null and resolved_at is null';

/** SQL: the run is RUNNING but its heartbeat stopped: its worker is gone. */
export const RUN_STOPPED_BEATING = `coalesce(heartbeat_at, started_at) < now() - ${HEARTBEAT_TIMEOUT}`;

/**
 * How far the hub trails a stream's source: the hub holds every change the source had committed
 * when the stream's last complete (SUCCEEDED) run began, `caughtUpAt`; the lag is the time since.
 */
export function lagSecondsSince(caughtUpAt: Date, now: number): number {
  return Math.max(0, Math.round((now - caughtUpAt.getTime()) / 1000));
}
