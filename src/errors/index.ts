export {
  AccessDeniedError,
  AuditUnavailableError,
  BadRequestError,
  ErrorCode,
  HubError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  QueueUnavailableError,
  QueryTimeoutError,
  RateLimitError,
  type EffectMade,
} from './hub-error';
export { assertNever } from './assert-never';
export { tokenLimitRefusal } from './token-limit';
