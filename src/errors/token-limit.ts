import { ErrorCode } from './hub-error';

/** graphql-js's words for a document over `maxTokens` (it spells "than" "that" in some versions). */
const TOKEN_LIMIT = /Document contains more tha[tn] \d+ tokens/;

/**
 * The refusal of a document over the token limit, as every transport names it: graphql-js raises
 * it as a syntax error, but it is a query limit the caller met (a 4xx to fix by sending less).
 * Null for any other parse error.
 */
export function tokenLimitRefusal(parseMessage: string): { message: string; extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED; limit: 'maxTokens' } } | null {
  if (!TOKEN_LIMIT.test(parseMessage)) return null;
  return { message: parseMessage.replace(/^Syntax Error: /, ''), extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit: 'maxTokens' } };
}
