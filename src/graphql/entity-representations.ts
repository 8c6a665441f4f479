import { isUnionType, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import { InvalidInputError } from '../errors';
import type { OperationAnalysis } from '../read-kit/operation/operation-analysis';

/** Federation's union of the types this subgraph resolves by key (`@key`). */
const ENTITY_UNION = '_Entity';

/** The entity types a representation may name: the members of `_Entity`. */
function entityTypeNames(schema: GraphQLSchema): ReadonlySet<string> {
  const union = schema.getType(ENTITY_UNION);
  return new Set(union && isUnionType(union) ? union.getTypes().map((t) => t.name) : []);
}

/**
 * Refuses, before anything runs, federation `_entities` representations that name no entity type
 * of this subgraph (a type the subgraph does not have, one it resolves by no key, or no
 * `__typename` at all): `@apollo/subgraph` would otherwise fail inside execution with an
 * unexplained internal error, or hand back the representation itself as the entity. Read off the
 * request's one analysis, with the variables as the resolvers get them.
 */
export function checkEntityRepresentations(analysis: OperationAnalysis, variables: Readonly<Record<string, unknown>>): void {
  const queryType = analysis.schema.getQueryType();
  let entities: ReadonlySet<string> | null = null;
  for (const unit of analysis.units) {
    for (const item of unit.items) {
      if (item.kind !== 'field' || item.name !== '_entities' || !item.on.some(({ type }) => type === queryType)) continue;
      const argument = item.node.arguments?.find((a) => a.name.value === 'representations');
      const given: unknown = argument ? valueFromASTUntyped(argument.value, variables as Record<string, unknown>) : undefined;
      if (given === undefined || given === null) continue;
      // GraphQL coerces a single value into a one-item list: `representations: {…}` is checked as `[{…}]`.
      const value: unknown[] = Array.isArray(given) ? given : [given];
      entities ??= entityTypeNames(analysis.schema);
      value.forEach((representation: unknown, i) => {
        const where = `representations[${i}]`;
        if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
          throw new InvalidInputError(where, 'must be an object with a __typename');
        }
        const typename = (representation as { __typename?: unknown }).__typename;
        if (typeof typename !== 'string' || !entities!.has(typename)) {
          throw new InvalidInputError(`${where}.__typename`, `must name an entity type of this subgraph: ${[...entities!].sort().join(', ')}`);
        }
      });
    }
  }
}
