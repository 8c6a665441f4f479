export { AccessDeniedError, AuditUnavailableError, ErrorCode, HubError, InvalidInputError, NotFoundError, QueueUnavailableError } from './hub-error';
export { assertNever } from './assert-never';
