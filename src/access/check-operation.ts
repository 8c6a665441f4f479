import {
  getNamedType, isAbstractType, isObjectType, Kind,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { Classification, classificationOf } from '../graphql/classification';
import type { AccessGrant } from './access-grant';
import { sortedByArguments, testedByArguments } from './argument-tests';

/** Root fields every authenticated caller may use, whatever its agreements: they describe the caller. */
export const UNCONDITIONAL_ROOT_FIELDS: ReadonlySet<string> = new Set(['Query.myAccess']);

/** Root fields that describe the schema (federation's SDL): open exactly when introspection is. */
export const INTROSPECTION_ROOT_FIELDS: ReadonlySet<string> = new Set(['Query._service']);

/** What an operation would read, found before anything runs. */
export interface OperationAccess {
  /** Response paths (aliases as sent) of fields the grant does not cover. */
  deniedPaths: string[];
  /** Every `Type.field` the operation selects, for the audit record. */
  fields: Set<string>;
  /** The highest classifications selected. */
  levels: Set<Classification>;
  introspection: boolean;
  /** The named type at each response path that selects sub-fields, to count returned records. */
  pathTypes: Map<string, string>;
  /** The case number the operation was checked against (set when it reads police-restricted data). */
  verifiedCaseNumber: string | null;
}

/**
 * Walks the operation's selections (aliases, fragments, inline fragments, abstract types) and
 * checks each against the grant. One pass, no execution: a denied field anywhere refuses the
 * whole operation, so nothing partial leaks and no per-row errors are produced.
 */
export function checkOperation(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, grant: AccessGrant,
  variables: Record<string, unknown> = {},
): OperationAccess {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const result: OperationAccess = { deniedPaths: [], fields: new Set(), levels: new Set(), introspection: false, pathTypes: new Map(), verifiedCaseNumber: null };
  const denied = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (!root) return result;

  const visit = (types: readonly GraphQLObjectType[], selectionSet: SelectionSetNode, path: string, seen: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD || selection.kind === Kind.INLINE_FRAGMENT) {
        let fragmentSet: SelectionSetNode;
        let condition: string | undefined;
        let nextSeen = seen;
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          // Unknown and cyclic fragments are refused by validation; they cannot reach here.
          if (!fragment || seen.has(fragment.name.value)) continue;
          fragmentSet = fragment.selectionSet;
          condition = fragment.typeCondition.name.value;
          nextSeen = new Set([...seen, fragment.name.value]);
        } else {
          fragmentSet = selection.selectionSet;
          condition = selection.typeCondition?.name.value;
        }
        const narrowed = condition ? types.filter((t) => typesIn(schema, schema.getType(condition!)).includes(t)) : types;
        visit(narrowed, fragmentSet, path, nextSeen);
        continue;
      }
      const name = selection.name.value;
      const key = path ? `${path}.${selection.alias?.value ?? name}` : selection.alias?.value ?? name;
      if (name === '__typename') continue;
      if (name === '__schema' || name === '__type') {
        result.introspection = true;
        result.fields.add(`${types[0]?.name ?? 'Query'}.${name}`);
        if (!grant.introspection) denied.add(key);
        continue;
      }
      for (const type of types) {
        const field = type.getFields()[name];
        if (!field) continue;
        const id = `${type.name}.${name}`;
        result.fields.add(id);
        if (UNCONDITIONAL_ROOT_FIELDS.has(id)) continue;
        if (INTROSPECTION_ROOT_FIELDS.has(id)) {
          result.introspection = true;
          if (!grant.introspection) denied.add(key);
          continue;
        }
        const level = classificationOf(field);
        if (level) result.levels.add(level);
        if (!grant.modeOf(type.name, name)) {
          denied.add(key);
          continue;
        }
        // A filter on a field reveals that field, and so does sorting by it: allowed only where
        // the field is granted.
        const revealed = [...testedByArguments(field, selection.arguments ?? [], variables), ...sortedByArguments(schema, field, selection.arguments ?? [], variables)];
        for (const [argument, tested] of revealed) {
          const [testedType, testedField] = tested.split('.');
          if (!grant.modeOf(testedType, testedField)) denied.add(`${key}(${argument})`);
        }
        if (selection.selectionSet) {
          const named = getNamedType(field.type);
          result.pathTypes.set(key, named.name);
          visit(typesIn(schema, named), selection.selectionSet, key, seen);
        }
      }
    }
  };
  visit([root], operation.selectionSet, '', new Set());
  result.deniedPaths = [...denied].sort();
  return result;
}

/** The object types a value of `type` can be: itself, or the members of a union or interface. */
function typesIn(schema: GraphQLSchema, type: GraphQLNamedType | undefined | null): readonly GraphQLObjectType[] {
  if (!type) return [];
  if (isAbstractType(type)) return schema.getPossibleTypes(type);
  return isObjectType(type) ? [type] : [];
}
