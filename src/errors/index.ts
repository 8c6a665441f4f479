export { AccessDeniedError, AuditUnavailableError, ErrorCode, HubError, InvalidInputError, NotFoundError, QueueUnavailableError, QueryTimeoutError, RateLimitError } from './hub-error';
export { assertNever } from './assert-never';
