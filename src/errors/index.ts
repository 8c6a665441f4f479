export { ErrorCode, HubError, InvalidInputError, NotFoundError } from './hub-error';
export { assertNever } from './assert-never';
