import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { assertNever, ErrorCode, HubError, ServiceUnavailableError, tokenLimitRefusal } from '../errors';
import { isUnavailable } from '../db/unavailable';
import type { Logger } from '../logger';

/** Codes Apollo and graphql-js assign to malformed requests: their messages are safe to show. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_REQUEST',
]);

/** The message a masked error gets: nothing about what failed inside. */
const INTERNAL_MESSAGE = 'Internal server error';

function fromHubError(error: HubError, formatted: GraphQLFormattedError): GraphQLFormattedError {
  const base = { message: error.message, locations: formatted.locations, path: formatted.path };
  switch (error.code) {
    case ErrorCode.BAD_USER_INPUT:
    case ErrorCode.BAD_REQUEST:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.NO_AGREEMENT:
    case ErrorCode.AGREEMENT_AMBIGUOUS:
    case ErrorCode.AGREEMENT_EXPIRED:
    case ErrorCode.PURPOSE_REQUIRED:
    case ErrorCode.PURPOSE_NOT_PERMITTED:
    case ErrorCode.CASE_REQUIRED:
    case ErrorCode.CASE_NOT_VALID:
    case ErrorCode.CASE_SCOPE:
    case ErrorCode.QUERY_LIMIT_EXCEEDED:
    case ErrorCode.OPERATION_NOT_ALLOWED:
    case ErrorCode.AUDIT_UNAVAILABLE:
    case ErrorCode.QUEUE_UNAVAILABLE:
    case ErrorCode.QUERY_TIMEOUT:
    case ErrorCode.SERVICE_UNAVAILABLE:
    case ErrorCode.ILLEGAL_TRANSITION:
    case ErrorCode.OUTSIDE_DIVISION:
    case ErrorCode.CONFLICT:
    case ErrorCode.DRAW_REFUSED:
    case ErrorCode.NOT_ASSIGNED:
      return { ...base, extensions: { code: error.code, ...error.details } };
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return { ...base, message: INTERNAL_MESSAGE, extensions: { code: error.code } };
    default:
      return assertNever(error.code);
  }
}

/**
 * The one place errors are translated for callers. Hub errors keep their code and safe details;
 * request errors keep their message; anything else (driver, SQL, bug) is masked and logged.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof HubError) return fromHubError(original, formatted);
    // Refusals raised by plugins before execution arrive wrapped, without a path.
    if (original instanceof GraphQLError && original.originalError instanceof HubError) return fromHubError(original.originalError, formatted);
    const code = formatted.extensions?.code;
    const overTokens = code === 'GRAPHQL_PARSE_FAILED' ? tokenLimitRefusal(formatted.message) : null;
    if (overTokens) return overTokens;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      // graphql-js appends "Did you mean …?" to variable coercion errors too; suggestions map
      // the schema for whoever probes it.
      const message = formatted.message.replace(/\s*Did you mean [^]*$/, '');
      return { message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    // A write that found the database down (a read says so itself, see SqlClient): not a fault of the hub's, and worth retrying.
    if (isUnavailable(original)) {
      logger.warn({ err: original, path: formatted.path?.join('.') ?? null }, 'database unavailable');
      return fromHubError(new ServiceUnavailableError('database'), formatted);
    }
    logger.error({ err: original, path: formatted.path?.join('.') ?? null }, 'internal error');
    return { message: INTERNAL_MESSAGE, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
