import { getVariableValues } from 'graphql';
import type { OperationAnalysis } from './operation-analysis';

/**
 * The variables as the resolvers get them: sent values coerced, defaults of omitted ones filled
 * in. What the access check judges and what the audit records must be these, not the raw request
 * (an omitted `$plate = "…"` is still a plate asked for). Raw values where coercion fails: such a
 * request is refused by validation before anything runs.
 */
export function resolvedVariables(analysis: OperationAnalysis, raw: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const coerced = getVariableValues(analysis.schema, analysis.operation.variableDefinitions ?? [], raw ?? {});
  return 'coerced' in coerced && coerced.coerced ? coerced.coerced : { ...raw };
}
