export {
  AccessDeniedError, AuditUnavailableError, BadRequestError, ErrorCode, HubError, InvalidInputError, NotFoundError, PayloadTooLargeError, QueueUnavailableError,
  type EffectMade,
} from './hub-error';
export { assertNever } from './assert-never';
