import { getVariableValues, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/** graphql-js's coercion of a request's variables: the values the resolvers get, or the errors refusing them. */
export type VariableCoercion = ReturnType<typeof getVariableValues>;

/**
 * The variables sent coerced by graphql-js for `operation`: sent values parsed, defaults of
 * omitted ones filled in. Bounded at 50 errors as graphql-js's `execute` bounds them, so that a
 * refusal answered from this coercion reads as `execute`'s would.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  raw: Readonly<Record<string, unknown>> | undefined,
): VariableCoercion {
  return getVariableValues(schema, operation.variableDefinitions ?? [], raw ?? {}, { maxErrors: 50 });
}

/**
 * The variables as the resolvers get them. What the access check judges and what the audit
 * records must be these, not the raw request (an omitted `$plate = "…"` is still a plate asked
 * for). Raw values where coercion fails: such a request is refused before anything runs.
 */
export function resolvedVariables(coercion: VariableCoercion, raw: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  return coercion.coerced ?? { ...raw };
}
