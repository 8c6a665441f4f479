import {
  Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { normalisePlate } from '../identifiers/plate';

/** A plate an operation asks captures of, by argument, with the response path that asks. */
export interface AskedPlate {
  path: string;
  plateNumber: string;
  plateColor: string | null;
}

/**
 * The plates whose captures the operation names in its arguments: `checkpointCaptures(filter:
 * { plateNumber })` and `vehicle(plateNumber) { captures }` at the root. They are checked against
 * the case before anything runs, so an unrelated plate is refused by name; captures reached any
 * other way (lists, federation references) are bound to the case in SQL. Each fragment is read
 * once, whatever the number of spreads.
 */
export function platesAskedFor(
  schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>,
): AskedPlate[] {
  const query = schema.getQueryType();
  if (operation.operation !== 'query' || !query) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const roots: FieldNode[] = [];
  const seenRoot = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) roots.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seenRoot.has(selection.name.value)) {
        seenRoot.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);

  const capturesIn = new Map<string, boolean>();
  const selectsCaptures = (set: SelectionSetNode, visiting: Set<string>): boolean => set.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === 'captures';
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsCaptures(selection.selectionSet, visiting);
    const name = selection.name.value;
    if (!capturesIn.has(name)) {
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) return false;
      visiting.add(name);
      capturesIn.set(name, selectsCaptures(fragment.selectionSet, visiting));
    }
    return capturesIn.get(name)!;
  });

  const asked: AskedPlate[] = [];
  for (const node of roots) {
    const name = node.name.value;
    const path = node.alias?.value ?? name;
    const field = query.getFields()[name];
    if (!field) continue;
    if (name === 'checkpointCaptures') {
      const filter = getArgumentValues(field, node, variables).filter as { plateNumber?: string | null; plateColor?: string | null } | undefined;
      if (filter?.plateNumber) asked.push({ path, plateNumber: normalisePlate(filter.plateNumber), plateColor: filter.plateColor ?? null });
    } else if (name === 'vehicle' && node.selectionSet && selectsCaptures(node.selectionSet, new Set())) {
      const args = getArgumentValues(field, node, variables) as { plateNumber?: string; plateColor?: string };
      if (args.plateNumber) asked.push({ path, plateNumber: normalisePlate(args.plateNumber), plateColor: args.plateColor ?? null });
    }
  }
  return asked;
}
