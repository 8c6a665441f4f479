import { UnrecoverableError } from 'bullmq';
import { ConfigurationError, TransientError } from '../../connectors/contract';
import { AuditUnavailableError, QueueUnavailableError } from '../errors';
import { StaleCursorError } from './state';
import { ErrorClass, failureKindOf, FailureKind, handlingOf, Recovery } from './sync-failure';

describe('the failure map', () => {
  it('names the kind of each thrown failure', () => {
    const ref = { system: 'TRANSPORT', stream: 'licences' } as const;
    expect(failureKindOf(new TransientError('5xx'))).toBe(FailureKind.TRANSIENT);
    expect(failureKindOf(new TransientError('429', 30_000, 'RATE_LIMITED'))).toBe(FailureKind.RATE_LIMITED);
    expect(failureKindOf(new ConfigurationError('401'))).toBe(FailureKind.CONFIGURATION);
    expect(failureKindOf(new StaleCursorError(ref as never, 1, 2))).toBe(FailureKind.SUPERSEDED);
    expect(failureKindOf(new QueueUnavailableError('TRANSPORT', 'licences', 1))).toBe(FailureKind.QUEUE_REFUSED);
    expect(failureKindOf(new AuditUnavailableError())).toBe(FailureKind.AUDIT_REFUSED);
    expect(failureKindOf(new UnrecoverableError('x'))).toBe(FailureKind.INTERNAL);
    expect(failureKindOf('a string')).toBe(FailureKind.INTERNAL);
  });

  it('retries transient failures, stops on configuration ones and marks the stream, quarantines bad records', () => {
    expect(handlingOf(FailureKind.TRANSIENT)).toEqual({ recovery: Recovery.RETRY, needsAttention: false, errorClass: ErrorClass.TRANSIENT });
    expect(handlingOf(FailureKind.RATE_LIMITED)).toEqual({ recovery: Recovery.RETRY_AFTER, needsAttention: false, errorClass: ErrorClass.TRANSIENT });
    expect(handlingOf(FailureKind.CONFIGURATION)).toEqual({ recovery: Recovery.UNRECOVERABLE, needsAttention: true, errorClass: ErrorClass.CONFIGURATION });
    expect(handlingOf(FailureKind.DATA).recovery).toBe(Recovery.QUARANTINE);
    expect(handlingOf(FailureKind.SUPERSEDED)).toEqual({ recovery: Recovery.STOP, needsAttention: false, errorClass: null });
  });

  it('records every failed run under one of the four error classes', () => {
    const classes = new Set(
      Object.values(FailureKind)
        .map((kind) => handlingOf(kind).errorClass)
        .filter((c) => c !== null),
    );
    expect([...classes].sort()).toEqual(Object.values(ErrorClass).sort());
  });
});
