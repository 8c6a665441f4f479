import {
  getNamedType, isInputObjectType, Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';
import { testedFieldOf } from '../access/argument-tests';
import { Classification, classificationOf } from '../graphql/classification';

/**
 * Values that identify a person. Police-restricted fields (capture times and places) are not in
 * themselves personal: the windows and plates a case officer asked for stay readable to auditors.
 */
const PERSONAL = new Set<Classification | null>([Classification.PERSONAL, Classification.SENSITIVE_PERSONAL]);

/** Which variables, or which keys of input-object variables, carry personal values. */
export interface RedactionPlan {
  /** Nothing could be read of the document (it did not parse): every value is digested. */
  all: boolean;
  whole: Set<string>;
  keys: Map<string, Set<string>>;
}

/**
 * Where the classification says a variable's value is personal: an argument of a field classified
 * personal or sensitive personal (`practitioner(idNumber: $id)`), or a filter field testing such a field
 * (`practitioners(filter: { status: $s })`, or `filter: $f` with that key). The audit keeps
 * a keyed digest of those values instead.
 */
export function personalVariablesOf(schema: GraphQLSchema, document: DocumentNode | undefined): RedactionPlan {
  const plan: RedactionPlan = { all: !document, whole: new Set(), keys: new Map() };
  if (!document) return plan;
  const isPersonalTest = (input: GraphQLInputObjectType, name: string) => {
    const tested = input.getFields()[name] && testedFieldOf(input.getFields()[name]);
    if (!tested) return false;
    const [typeName, fieldName] = tested.split('.');
    const type = schema.getType(typeName);
    const field = type && 'getFields' in type ? (type.getFields() as Record<string, Parameters<typeof classificationOf>[0]>)[fieldName] : undefined;
    return field ? PERSONAL.has(classificationOf(field)) : false;
  };
  const typeInfo = new TypeInfo(schema);
  visit(document, visitWithTypeInfo(typeInfo, {
    Argument(node) {
      if (node.value.kind !== Kind.VARIABLE) return;
      const variable = node.value.name.value;
      const field = typeInfo.getFieldDef();
      if (field && PERSONAL.has(classificationOf(field))) plan.whole.add(variable);
      const type = typeInfo.getArgument()?.type;
      const named = type ? getNamedType(type) : null;
      if (named && isInputObjectType(named)) {
        const keys = Object.keys(named.getFields()).filter((name) => isPersonalTest(named, name));
        if (keys.length) plan.keys.set(variable, new Set(keys));
      }
    },
    ObjectField(node) {
      if (node.value.kind !== Kind.VARIABLE) return;
      const parent = typeInfo.getParentInputType();
      const named = parent ? getNamedType(parent) : null;
      if (named && isInputObjectType(named) && isPersonalTest(named, node.name.value)) plan.whole.add(node.value.name.value);
    },
  }));
  return plan;
}
