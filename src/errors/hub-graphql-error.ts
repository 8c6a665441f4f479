import { GraphQLError } from 'graphql';
import { ErrorCode, type HubError } from './index';

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NO_AGREEMENT]: 403,
  [ErrorCode.AGREEMENT_AMBIGUOUS]: 403,
  [ErrorCode.AGREEMENT_EXPIRED]: 403,
  [ErrorCode.PURPOSE_REQUIRED]: 403,
  [ErrorCode.PURPOSE_NOT_PERMITTED]: 403,
  [ErrorCode.CASE_REQUIRED]: 403,
  [ErrorCode.CASE_NOT_VALID]: 403,
  [ErrorCode.CASE_SCOPE]: 403,
  [ErrorCode.OPERATION_NOT_ALLOWED]: 403,
  [ErrorCode.QUERY_LIMIT_EXCEEDED]: 400,
  [ErrorCode.AUDIT_UNAVAILABLE]: 503,
  [ErrorCode.QUERY_TIMEOUT]: 503,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** The HTTP status a hub error refusing a whole request is answered with (200 when it has none). */
export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 200;
}

/**
 * A hub error raised before execution (limits, access), as Apollo expects it from a plugin: the
 * request is refused as a whole with a matching HTTP status; the formatter keeps code and details.
 */
export function requestError(error: HubError): GraphQLError {
  const status = STATUS[error.code];
  return new GraphQLError(error.message, { originalError: error, extensions: status ? { http: { status } } : {} });
}
