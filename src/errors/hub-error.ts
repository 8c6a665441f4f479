/**
 * The closed set of error codes the hub reports to callers (`extensions.code`).
 * Adding one means handling it in `src/graphql/format-error.ts`, which the compiler checks.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
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
}

/** A caller sent a value the hub cannot accept; names the argument and why. */
export class InvalidInputError extends HubError {
  readonly code = ErrorCode.BAD_USER_INPUT;

  constructor(readonly argument: string, readonly reason: string) {
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
