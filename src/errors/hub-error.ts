/**
 * The closed set of error codes the hub reports to callers (`extensions.code`).
 * Adding one means handling it in `src/graphql/format-error.ts`, which the compiler checks.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The request itself is malformed: variables it does not declare, values the audit cannot record. */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The request (or what its audit event would hold) is larger than the hub accepts; `limit` names which. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  NOT_FOUND = 'NOT_FOUND',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** The operation selects fields the caller's agreements do not grant; `deniedPaths` lists them. */
  FORBIDDEN = 'FORBIDDEN',
  /** No data-sharing agreement covers the caller's agency and roles. */
  NO_AGREEMENT = 'NO_AGREEMENT',
  /** Several agreements could govern the request; `candidates` lists them, name one (`extensions.agreement`). */
  AGREEMENT_AMBIGUOUS = 'AGREEMENT_AMBIGUOUS',
  /** The caller's agreement is outside its validity window. */
  AGREEMENT_EXPIRED = 'AGREEMENT_EXPIRED',
  /** Personal data was selected without a declared purpose. */
  PURPOSE_REQUIRED = 'PURPOSE_REQUIRED',
  /** The declared purpose is not one the agreement permits. */
  PURPOSE_NOT_PERMITTED = 'PURPOSE_NOT_PERMITTED',
  /** Police-restricted data was selected without an enforcement case number. */
  CASE_REQUIRED = 'CASE_REQUIRED',
  /** The case number names no open case the caller's agency holds. */
  CASE_NOT_VALID = 'CASE_NOT_VALID',
  /** Captures outside what the request's case is about (its vehicles), or a case scope the agreement does not allow. */
  CASE_SCOPE = 'CASE_SCOPE',
  /**
   * The operation exceeds a depth, alias, token or cost limit, or its agency's concurrency or
   * rate limit (HTTP 429 with `Retry-After`); `limit` names it.
   */
  QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED',
  /** A read ran past the statement timeout and was cancelled (HTTP 503); nothing was returned for it. */
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  /**
   * Not now (HTTP 503 with `Retry-After`; nothing was read or changed): `reason` `database` when the
   * database could not be reached or no connection freed within the pool's wait (PostgreSQL
   * restarting, or the hub over its capacity), `shuttingDown` when the instance is stopping.
   */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** The operation is not on the caller's allow-list of persisted operations. */
  OPERATION_NOT_ALLOWED = 'OPERATION_NOT_ALLOWED',
  /** The audit event could not be written, so no data is returned. */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  /** A sync run could not be queued (the queue's store is down or refused it); the run is recorded FAILED. */
  QUEUE_UNAVAILABLE = 'QUEUE_UNAVAILABLE',
  /** A workflow action its record's status does not allow (e.g. dismissing a linked clue); `action`, `from` say which. Nothing changed. */
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  /** A workflow action that would reach outside the record's division (e.g. assigning a clue to another district's officer). Nothing changed. */
  OUTSIDE_DIVISION = 'OUTSIDE_DIVISION',
  /** The record changed since it was read (another officer acted first, or not the version expected): read it again. Nothing changed. */
  CONFLICT = 'CONFLICT',
  /** A random-inspection draw the hub will not make (`reason`: EMPTY_ROSTER, ALREADY_DRAWN, BEACON_PENDING, TOO_FEW_INSPECTORS, PLAN_SPLIT: a city task beyond the plan's city share). Nothing changed. */
  DRAW_REFUSED = 'DRAW_REFUSED',
  /** A result recorded by someone the draw did not match to the object (谁检查、谁录入). Nothing changed. */
  NOT_ASSIGNED = 'NOT_ASSIGNED',
  /** A working day was counted in a year the holiday calendar file lacks (`year`): its State Council notice must be added first. Nothing changed. */
}

/** Base of every error the hub throws on purpose. Anything else is masked at the edge. */
export abstract class HubError extends Error {
  abstract readonly code: ErrorCode;
  /** Safe, caller-facing details, copied into `extensions`. */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  /** The error as every answer of the hub carries it: its message, and its code with its details in `extensions`. */
  answered(): { message: string; extensions: { code: ErrorCode } & Record<string, unknown> } {
    return { message: this.message, extensions: { code: this.code, ...this.details } };
  }
}

/** A caller sent a value the hub cannot accept; names the argument and why. */
export class InvalidInputError extends HubError {
  readonly code = ErrorCode.BAD_USER_INPUT;

  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`Invalid value for "${argument}": ${reason}`, { argument, reason });
  }
}

/** A thing the caller named explicitly (not a nullable lookup) does not exist. */
export class NotFoundError extends HubError {
  readonly code = ErrorCode.NOT_FOUND;

  constructor(what: string) {
    super(`${what} was not found`, {});
  }
}

/** The caller may not have what it asked for; the code says why, the details say what. */
export class AccessDeniedError extends HubError {
  constructor(
    readonly code:
      | ErrorCode.FORBIDDEN
      | ErrorCode.NO_AGREEMENT
      | ErrorCode.AGREEMENT_AMBIGUOUS
      | ErrorCode.AGREEMENT_EXPIRED
      | ErrorCode.PURPOSE_REQUIRED
      | ErrorCode.PURPOSE_NOT_PERMITTED
      | ErrorCode.CASE_REQUIRED
      | ErrorCode.CASE_NOT_VALID
      | ErrorCode.CASE_SCOPE
      | ErrorCode.OPERATION_NOT_ALLOWED,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** A request refused as a whole before it ran (HTTP 400): `reason` says what is wrong with it. */
export class BadRequestError extends HubError {
  readonly code = ErrorCode.BAD_REQUEST;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** A request refused before it ran because part of it, kept by its audit event, is too large (HTTP 413); `max` in bytes or characters. */
export class PayloadTooLargeError extends HubError {
  readonly code = ErrorCode.PAYLOAD_TOO_LARGE;

  constructor(
    readonly limit: string,
    max: number,
  ) {
    super(`The request's ${limit} is over its limit (${max})`, { limit, max });
  }
}

/**
 * What a refused request changed: `NONE` when nothing was (reads, and mutations whose effect
 * commits together with their audit event), `UNKNOWN` when a mutation may have run unaudited.
 */
export type EffectMade = 'NONE' | 'UNKNOWN';

/** The audit trail could not record the operation: fail closed. */
export class AuditUnavailableError extends HubError {
  readonly code = ErrorCode.AUDIT_UNAVAILABLE;

  constructor(readonly effect: EffectMade = 'NONE') {
    super(
      effect === 'NONE'
        ? 'The operation could not be audited, so it was not answered; nothing was changed'
        : 'The operation could not be audited, so it was not answered; it may have changed data',
      { effect },
    );
  }
}

/** The sync queue refused or did not take a run: it is recorded FAILED and can be triggered again. */
export class QueueUnavailableError extends HubError {
  readonly code = ErrorCode.QUEUE_UNAVAILABLE;

  constructor(system: string, stream: string, runId: number) {
    super(`The run of ${system}/${stream} could not be queued; try again once the queue is back`, { system, stream, runId: String(runId) });
  }
}

/** An agency is over its share of the hub (concurrent requests, or its agreement's request rate): try again after `retryAfterSeconds`. */
export class RateLimitError extends HubError {
  readonly code = ErrorCode.QUERY_LIMIT_EXCEEDED;

  constructor(
    readonly limit: 'agencyConcurrency' | 'rateLimit',
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message, { limit, retryAfterSeconds });
  }
}

/**
 * A read was cancelled by the statement timeout. Carries its HTTP status in `extensions`, which
 * graphql-js copies onto the located error so Apollo answers 503 even from inside a resolver.
 */
export class QueryTimeoutError extends HubError {
  readonly code = ErrorCode.QUERY_TIMEOUT;
  readonly extensions = { http: { status: 503 } };

  constructor(timeoutMs: number) {
    super(`A read took longer than ${timeoutMs} ms and was cancelled; narrow the request (window, filter, page size) or try again later`, { timeoutMs });
  }
}

/** What a 503 (database or audit unavailable, statement timeout) tells the client to wait before trying again, seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

const UNAVAILABLE_MESSAGES = {
  database: 'The database is unavailable or busy, so nothing was read; try again shortly',
  shuttingDown: 'This hub instance is shutting down; try again',
} as const;

/**
 * The hub cannot serve the request now: no database connection (PostgreSQL refused or dropped
 * it, or none freed within the pool's wait), or the instance is stopping. Answered 503 from
 * inside a resolver too (as `QueryTimeoutError`), with `Retry-After`, so a client backs off
 * instead of the hub queueing requests without bound.
 */
export class ServiceUnavailableError extends HubError {
  readonly code = ErrorCode.SERVICE_UNAVAILABLE;
  readonly extensions = { http: { status: 503 } };

  constructor(reason: keyof typeof UNAVAILABLE_MESSAGES) {
    super(UNAVAILABLE_MESSAGES[reason], { reason, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
  }
}
