export { AccessDeniedError, AuditUnavailableError, ErrorCode, HubError, InvalidInputError, NotFoundError } from './hub-error';
export { assertNever } from './assert-never';
