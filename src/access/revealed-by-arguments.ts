import { getNamedType, isEnumType, isInputObjectType, Kind, type GraphQLEnumType, type GraphQLField, type ValueNode } from 'graphql';
import { testedFieldOf } from '../read-kit/fields/argument-tests';
import type { AggregateDeclaration } from '../read-kit/aggregate/aggregate-spec';

/**
 * The filter conditions an operation's field sets, as [argument.inputField, tested Type.field]:
 * from literal objects, and from variables by the values sent.
 */
export function testedByArguments(
  field: GraphQLField<unknown, unknown>,
  args: readonly { name: { value: string }; value: ValueNode }[],
  variables: Record<string, unknown>,
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
      if (value && typeof value === 'object')
        keys = Object.entries(value)
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k]) => k);
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
  field: GraphQLField<unknown, unknown>,
  args: readonly { name: { value: string }; value: ValueNode }[],
  variables: Record<string, unknown>,
): Array<[string, string]> {
  const sorted: Array<[string, string]> = [];
  for (const definition of field.args) {
    const type = getNamedType(definition.type);
    if (!isEnumType(type)) continue;
    const node = args.find((a) => a.name.value === definition.name)?.value;
    let value: unknown = definition.defaultValue;
    if (node?.kind === Kind.ENUM) value = node.value;
    else if (node?.kind === Kind.VARIABLE) value = variables[node.name.value] ?? definition.defaultValue;
    if (typeof value !== 'string') continue;
    // Enum values arrive as their internal values; this schema's are their names.
    for (const target of sortsBy(type, value)) {
      sorted.push([`${definition.name}:${value}`, target]);
    }
  }
  return sorted;
}

/** The `Type.field`s an ordering enum value sorts by, as the schema build wrote them (`sortsBy`); none for other enums. */
function sortsBy(type: GraphQLEnumType, value: string): readonly string[] {
  const fields = type.getValue(value)?.extensions?.sortsBy;
  return Array.isArray(fields) ? (fields as string[]) : [];
}

/**
 * The fields an aggregate's group-by and measure arguments read, as [argument:VALUE, Type.field]:
 * each enum value sent (a literal list or a variable's), else the argument's default, through
 * the field's aggregate declaration.
 */
export function aggregatedByArguments(
  field: GraphQLField<unknown, unknown>,
  declaration: AggregateDeclaration,
  args: readonly { name: { value: string }; value: ValueNode }[],
  variables: Record<string, unknown>,
): Array<[string, string]> {
  const read: Array<[string, string]> = [];
  for (const [argument, byValue] of Object.entries(declaration.reads)) {
    const definition = field.args.find((a) => a.name === argument);
    const node = args.find((a) => a.name.value === argument)?.value;
    let value: unknown = definition?.defaultValue;
    if (node?.kind === Kind.LIST) value = node.values.map((v) => (v.kind === Kind.ENUM ? v.value : v.kind === Kind.VARIABLE ? variables[v.name.value] : null));
    else if (node?.kind === Kind.ENUM) value = [node.value];
    else if (node?.kind === Kind.VARIABLE) value = variables[node.name.value] ?? definition?.defaultValue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') continue;
      for (const target of byValue[v] ?? []) read.push([`${argument}:${v}`, `${declaration.of}.${target}`]);
    }
  }
  return read;
}
