import { getNamedType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { FieldSelection } from '../db/read-scope';

const EMPTY: ReadonlySet<string> = new Set();
const cache = new WeakMap<DocumentNode, FieldSelection>();

/**
 * Every field a document selects, per type: through aliases, fragments and inline fragments
 * (a fragment's fields count even where it is spread conditionally, so this errs towards more).
 * Apollo reuses the parsed document of a repeated operation, so this runs once per distinct one.
 */
export function fieldSelectionOf(schema: GraphQLSchema, document: DocumentNode): FieldSelection {
  let selection = cache.get(document);
  if (!selection) {
    const byType = new Map<string, Set<string>>();
    const typeInfo = new TypeInfo(schema);
    visit(document, visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        const name = getNamedType(parent).name;
        let fields = byType.get(name);
        if (!fields) byType.set(name, (fields = new Set()));
        fields.add(node.name.value);
      },
    }));
    selection = { fieldsOf: (typeName) => byType.get(typeName) ?? EMPTY };
    cache.set(document, selection);
  }
  return selection;
}
