export {
  AccessDeniedError,
  AuditUnavailableError,
  BadRequestError,
  ServiceUnavailableError,
  ErrorCode,
  HubError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  QueueUnavailableError,
  QueryTimeoutError,
  RateLimitError,
  type EffectMade,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from './hub-error';
export { assertNever } from './assert-never';
export { tokenLimitRefusal } from './token-limit';
