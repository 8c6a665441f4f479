import { ConfigurationError, TransientError } from '../../connectors/contract';
import { assertNever, AuditUnavailableError, QueueUnavailableError } from '../errors';
import { StaleCursorError } from './state/stale-cursor-error';

/** Every way a sync can go wrong, named for its cause. */
export const FailureKind = {
  /** The source is unwell for now (network, 5xx, timeout). */
  TRANSIENT: 'TRANSIENT',
  /** The source asked us to slow down for a stated time (a 429 with Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The connector is set up wrong (credentials, endpoint, an implausible snapshot): a person must act. */
  CONFIGURATION: 'CONFIGURATION',
  /** One record the hub cannot accept. */
  DATA: 'DATA',
  /** Another runner moved the stream first: this one wrote nothing. */
  SUPERSEDED: 'SUPERSEDED',
  /** The queue did not take the job (down, or no answer in time). */
  QUEUE_REFUSED: 'QUEUE_REFUSED',
  /** A queued run no worker took in time (no worker for the system, a lost job). */
  QUEUE_STALE: 'QUEUE_STALE',
  /** The run's worker stopped without finishing (killed, lost): a later run goes on from its last batch. */
  WORKER_LOST: 'WORKER_LOST',
  /** The audit event of an operator's request could not be written: nothing was queued or released. */
  AUDIT_REFUSED: 'AUDIT_REFUSED',
  /** Anything else: a fault of the hub. */
  INTERNAL: 'INTERNAL',
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/** The failure's class as `sync_run.error_class` records it (and `SyncRun.errorClass` shows it). */
export const ErrorClass = { TRANSIENT: 'TRANSIENT', CONFIGURATION: 'CONFIGURATION', QUEUE: 'QUEUE', INTERNAL: 'INTERNAL' } as const;
export type ErrorClass = (typeof ErrorClass)[keyof typeof ErrorClass];

/** What happens next. */
export const Recovery = {
  /** BullMQ retries the job with its backoff, spending an attempt; the retry resumes. */
  RETRY: 'RETRY',
  /** The system's queue pauses for the stated time; the job is retried without spending an attempt. */
  RETRY_AFTER: 'RETRY_AFTER',
  /** Not retried. */
  UNRECOVERABLE: 'UNRECOVERABLE',
  /** The record is set aside with its reasons; the batch goes on. */
  QUARANTINE: 'QUARANTINE',
  /** The run ends; nothing is left to do. */
  STOP: 'STOP',
  /** The operator's request is refused; they may ask again. */
  REFUSE: 'REFUSE',
} as const;
export type Recovery = (typeof Recovery)[keyof typeof Recovery];

export interface FailureHandling {
  recovery: Recovery;
  /** The stream is marked as needing attention until a run succeeds. */
  needsAttention: boolean;
  /** The class the failed run records; null when no run fails. */
  errorClass: ErrorClass | null;
}

/** The one map from failure to handling, checked by the compiler: a new kind must be handled here. */
export function handlingOf(kind: FailureKind): FailureHandling {
  switch (kind) {
    case FailureKind.TRANSIENT:
      return { recovery: Recovery.RETRY, needsAttention: false, errorClass: ErrorClass.TRANSIENT };
    case FailureKind.RATE_LIMITED:
      return { recovery: Recovery.RETRY_AFTER, needsAttention: false, errorClass: ErrorClass.TRANSIENT };
    case FailureKind.CONFIGURATION:
      return { recovery: Recovery.UNRECOVERABLE, needsAttention: true, errorClass: ErrorClass.CONFIGURATION };
    case FailureKind.DATA:
      return { recovery: Recovery.QUARANTINE, needsAttention: false, errorClass: null };
    case FailureKind.SUPERSEDED:
      return { recovery: Recovery.STOP, needsAttention: false, errorClass: null };
    case FailureKind.QUEUE_REFUSED:
      return { recovery: Recovery.REFUSE, needsAttention: false, errorClass: ErrorClass.QUEUE };
    case FailureKind.QUEUE_STALE:
      return { recovery: Recovery.UNRECOVERABLE, needsAttention: false, errorClass: ErrorClass.QUEUE };
    case FailureKind.WORKER_LOST:
      return { recovery: Recovery.STOP, needsAttention: false, errorClass: ErrorClass.INTERNAL };
    case FailureKind.AUDIT_REFUSED:
      return { recovery: Recovery.REFUSE, needsAttention: false, errorClass: null };
    case FailureKind.INTERNAL:
      return { recovery: Recovery.RETRY, needsAttention: false, errorClass: ErrorClass.INTERNAL };
    default:
      return assertNever(kind);
  }
}

/** The kind of a thrown failure. */
export function failureKindOf(error: unknown): FailureKind {
  if (error instanceof TransientError) return error.retryAfterMs !== null ? FailureKind.RATE_LIMITED : FailureKind.TRANSIENT;
  if (error instanceof ConfigurationError) return FailureKind.CONFIGURATION;
  if (error instanceof StaleCursorError) return FailureKind.SUPERSEDED;
  if (error instanceof QueueUnavailableError) return FailureKind.QUEUE_REFUSED;
  if (error instanceof AuditUnavailableError) return FailureKind.AUDIT_REFUSED;
  return FailureKind.INTERNAL;
}
