import type { TableStatistics } from '../db/table-statistics';
import { ErrorCode, HubError } from '../errors';
import type { OperationAnalysis } from '../read-kit/operation/operation-analysis';
import { operationCost, type QueryLimits } from './query-limits';

/** An operation over one of the endpoint's limits; names the limit, its maximum and the value. */
export class QueryLimitError extends HubError {
  readonly code = ErrorCode.QUERY_LIMIT_EXCEEDED;

  constructor(limit: keyof QueryLimits, max: number, actual: number, what: string) {
    super(`${what} ${actual} exceeds the limit of ${max} (${limit})`, { limit, max, actual });
  }
}

/**
 * Depth, alias and cost limits, checked once the operation is known and before anything runs.
 * Cost uses the request's own variables: a `first: $n` is costed at the `n` sent; counts and
 * scans are priced from `statistics` (what they read, see `list-pricing.ts`).
 */
export function enforceQueryLimits(
  analysis: OperationAnalysis,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: QueryLimits,
  statistics?: TableStatistics,
): void {
  if (analysis.depth > limits.maxDepth) throw new QueryLimitError('maxDepth', limits.maxDepth, analysis.depth, 'Query depth');
  if (analysis.aliases > limits.maxAliases) throw new QueryLimitError('maxAliases', limits.maxAliases, analysis.aliases, 'Alias count');
  const cost = operationCost(analysis, variables, statistics);
  if (cost > limits.maxCost) throw new QueryLimitError('maxCost', limits.maxCost, cost, 'Estimated cost');
}
