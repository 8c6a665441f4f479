import { isInputObjectType, type GraphQLInputField, type GraphQLSchema } from 'graphql';
import { Extensions } from 'type-graphql';

/**
 * Declares, next to a filter's input field, the field of the result type it tests: filtering on a
 * value reveals it (a count of cases for a plate says that plate has cases), so a filter is only
 * allowed where the tested field is granted.
 */
export function Tests(typeAndField: `${string}.${string}`) {
  return Extensions({ tests: typeAndField });
}

/** The `Type.field` an input field tests, if declared. */
export function testedFieldOf(field: GraphQLInputField): string | null {
  const tests = field.extensions?.tests;
  return typeof tests === 'string' ? tests : null;
}

/** Copies the `tests` declarations onto the subgraph schema, which is rebuilt from SDL without them. */
export function carryArgumentTests(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const type of Object.values(from.getTypeMap())) {
    if (!isInputObjectType(type)) continue;
    const target = to.getType(type.name);
    if (!isInputObjectType(target)) continue;
    for (const field of Object.values(type.getFields())) {
      const tests = testedFieldOf(field);
      const copy = target.getFields()[field.name];
      if (tests && copy) (copy.extensions as Record<string, unknown>).tests = tests;
    }
  }
}
