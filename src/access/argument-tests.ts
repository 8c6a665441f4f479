import {
  isInputObjectType, Kind, type GraphQLField, type GraphQLInputField, type GraphQLSchema, type ValueNode,
} from 'graphql';
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

/**
 * The filter conditions an operation's field sets, as [argument.inputField, tested Type.field]:
 * from literal objects, and from variables by the values sent.
 */
export function testedByArguments(
  field: GraphQLField<unknown, unknown>, args: readonly { name: { value: string }; value: ValueNode }[], variables: Record<string, unknown>,
): Array<[string, string]> {
  const tested: Array<[string, string]> = [];
  for (const arg of args) {
    const definition = field.args.find((a) => a.name === arg.name.value);
    let type = definition?.type;
    while (type && 'ofType' in type && !isInputObjectType(type)) type = type.ofType;
    if (!type || !isInputObjectType(type)) continue;
    const inputFields = type.getFields();
    let keys: string[] = [];
    if (arg.value.kind === Kind.OBJECT) {
      keys = arg.value.fields.filter((f) => f.value.kind !== Kind.NULL).map((f) => f.name.value);
    } else if (arg.value.kind === Kind.VARIABLE) {
      const value = variables[arg.value.name.value];
      if (value && typeof value === 'object') keys = Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k]) => k);
    }
    for (const key of keys) {
      const input = inputFields[key];
      const target = input && testedFieldOf(input);
      if (target) tested.push([`${arg.name.value}.${key}`, target]);
    }
  }
  return tested;
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
