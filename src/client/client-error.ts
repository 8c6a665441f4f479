/** Why a call of the typed client failed: a closed set, so callers (the CLI's exit codes) can switch over it. */
export enum ClientErrorCode {
  /** Neither the token endpoint nor `/graphql` could be reached (refused, reset, DNS, timeout). */
  UNREACHABLE = 'UNREACHABLE',
  /** The token endpoint refused the client: `oauthError` holds the RFC 6749 §5.2 code. */
  TOKEN_REFUSED = 'TOKEN_REFUSED',
  /** The hub answered the operation with errors: `errors` holds them, `status` the HTTP status. */
  OPERATION_FAILED = 'OPERATION_FAILED',
  /** The answer was not a GraphQL response (a proxy's page, a truncated body). */
  BAD_RESPONSE = 'BAD_RESPONSE',
}

/** One error of a GraphQL response, as the hub writes it (`extensions.code`, and e.g. `argument`, `reason`). */
export interface HubGraphQLError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A failed call of the typed client; the message says what failed and what the hub answered. */
export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly details: { status?: number; errors?: readonly HubGraphQLError[]; oauthError?: string } = {},
  ) {
    super(message);
    this.name = 'ClientError';
  }
}
