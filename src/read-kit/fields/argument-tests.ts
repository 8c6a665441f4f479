import {
  getNamedType, isEnumType, isInputObjectType, Kind, type GraphQLField, type GraphQLInputField, type GraphQLSchema, type ValueNode,
} from 'graphql';
import { fieldsSortedBy, ORDERING_ENUMS } from '../../access/ordering-fields';
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

/**
 * The fields an operation's field sorts by, as [argument, tested Type.field]: the ordering enum's
 * value as sent (literal or variable), else the argument's default.
 */
export function sortedByArguments(
  schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, args: readonly { name: { value: string }; value: ValueNode }[],
  variables: Record<string, unknown>,
): Array<[string, string]> {
  const fieldExists = (typeName: string, fieldName: string) => {
    const type = schema.getType(typeName);
    return Boolean(type && 'getFields' in type && (type.getFields() as Record<string, unknown>)[fieldName]);
  };
  const sorted: Array<[string, string]> = [];
  for (const definition of field.args) {
    const type = getNamedType(definition.type);
    if (!isEnumType(type) || !ORDERING_ENUMS.includes(type.name)) continue;
    const node = args.find((a) => a.name.value === definition.name)?.value;
    let value: unknown = definition.defaultValue;
    if (node?.kind === Kind.ENUM) value = node.value;
    else if (node?.kind === Kind.VARIABLE) value = variables[node.name.value] ?? definition.defaultValue;
    if (typeof value !== 'string') continue;
    // Enum values arrive as their internal values; this schema's are their names.
    for (const target of fieldsSortedBy(type.name, value, fieldExists)) {
      sorted.push([`${definition.name}:${value}`, target]);
    }
  }
  return sorted;
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
