import { createHash } from 'node:crypto';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  print,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { FieldSelection } from '../rows/read-scope';
import { Classification, classificationOf } from '../fields/classification';

/** One field of a selection as read on one possible object type of its parent. */
export interface FieldOnType {
  readonly type: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
  /** The field's own selection, on the object types its value can be; null for leaves and `__typename`. */
  readonly child: SelectionUnit | null;
}

export interface FieldItem {
  readonly kind: 'field';
  readonly node: FieldNode;
  readonly name: string;
  readonly responseKey: string;
  /** `__typename`, `__schema` and `__type`. */
  readonly meta: boolean;
  /** Per object type of the enclosing unit on which the field exists. */
  readonly on: readonly FieldOnType[];
}

export interface SpreadItem {
  readonly kind: 'spread';
  /** The spread or inline fragment as written (its directives included). */
  readonly node: FragmentSpreadNode | InlineFragmentNode;
  /** The named fragment spread, or null for an inline fragment. */
  readonly fragment: string | null;
  readonly unit: SelectionUnit;
}

/**
 * A selection set on a set of possible object types. Units are shared: a fragment spread many
 * times on the same types is one unit, so every walk below visits it once (a document whose
 * fragments each spread the next twice is linear here, not exponential).
 */
export interface SelectionUnit {
  readonly id: number;
  /** The named fragment whose body this is, if it is one. */
  readonly fragment: string | null;
  readonly types: readonly GraphQLObjectType[];
  readonly items: readonly (FieldItem | SpreadItem)[];
}

/**
 * Everything the hub needs to know about one operation before it runs, worked out once: shared
 * by the query limits, the access check, projections, the audit and cost. Independent of the
 * caller and of variables, so it is cached per parsed operation (Apollo reuses the parsed document
 * of a repeated query string).
 */
export interface OperationAnalysis {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly root: SelectionUnit;
  /** Every unit, each once, in the order built (parents before children). */
  readonly units: readonly SelectionUnit[];
  /** Deepest nesting: field levels, or fragment spreads within spreads, whichever is deeper. */
  readonly depth: number;
  /** Aliased fields, a fragment counted each time it is spread. */
  readonly aliases: number;
  /** Every `Type.field` selected (on object types), introspection fields included. */
  readonly fields: ReadonlySet<string>;
  /** The root fields selected, as `Query.field` (through fragments and inline fragments). */
  readonly rootFields: ReadonlySet<string>;
  /** The classifications of the fields selected. */
  readonly levels: ReadonlySet<Classification>;
  /** Whether the operation selects introspection (`__schema`, `__type`). */
  readonly introspection: boolean;
  /** The fields selected per object type, for projections and prefetching. */
  readonly selection: FieldSelection;
  /**
   * SHA-256 of the operation and the fragments it uses, printed canonically with literal values
   * blanked: the same request shape has the same signature whatever the client named it or sent.
   */
  readonly signature: string;
  /** What each response path holds, for counting the records a response returned and counted. */
  responsePaths(): ResponsePaths;
  /** Named-fragment visits while building (one per fragment and type set): linear in the document. */
  readonly fragmentVisits: number;
}

const EMPTY: ReadonlySet<string> = new Set();

/** Response paths (aliases as sent, list indexes left out) of an operation. */
export interface ResponsePaths {
  /** The named type at each path that has sub-selections; '' is the root's. */
  readonly types: ReadonlyMap<string, string>;
  /** The field name at each path (`n` → `totalCount` for `n: totalCount`). */
  readonly fields: ReadonlyMap<string, string>;
}

/** The object types a value of `type` can be: itself, or the members of a union or interface. */
export function objectTypesOf(schema: GraphQLSchema, type: GraphQLNamedType | undefined | null): readonly GraphQLObjectType[] {
  if (!type) return [];
  if (isAbstractType(type)) return schema.getPossibleTypes(type);
  return isObjectType(type) ? [type] : [];
}

const cache = new WeakMap<GraphQLSchema, Map<string, WeakMap<OperationDefinitionNode, OperationAnalysis>>>();

/**
 * The analysis of `operation` (one of `document`'s), computed once per schema, namespace and parsed
 * operation. `namespace`: the hub's federation namespace (`sz`), whose aliases `sz_<field>: <field>`
 * are not counted (its namespaced subgraph asks every renamed field under one; a selection merges
 * all of a field's selections under that key, so they repeat nothing).
 */
export function analyseOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  namespace: string | null = null,
): OperationAnalysis {
  let bySchema = cache.get(schema);
  if (!bySchema) cache.set(schema, (bySchema = new Map()));
  let byNamespace = bySchema.get(namespace ?? '');
  if (!byNamespace) bySchema.set(namespace ?? '', (byNamespace = new WeakMap()));
  let analysis = byNamespace.get(operation);
  if (!analysis) byNamespace.set(operation, (analysis = build(schema, document, operation, namespace)));
  return analysis;
}

function fieldDefinition(type: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__schema') return SchemaMetaFieldDef as GraphQLField<unknown, unknown>;
  if (name === '__type') return TypeMetaFieldDef as GraphQLField<unknown, unknown>;
  return type.getFields()[name];
}

function build(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, namespace: string | null): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const units: SelectionUnit[] = [];
  // Units in the order their building finished: every unit after all the units it contains.
  const finished: SelectionUnit[] = [];
  const unitByKey = new Map<string, SelectionUnit>();
  const setIds = new WeakMap<SelectionSetNode, number>();
  const onPath = new Set<string>();
  let fragmentVisits = 0;
  let nextSetId = 0;
  const keyOf = (set: SelectionSetNode, types: readonly GraphQLObjectType[]) => {
    let id = setIds.get(set);
    if (id === undefined) setIds.set(set, (id = nextSetId += 1));
    return `${id}|${types.map((t) => t.name).join(',')}`;
  };

  const unitOf = (set: SelectionSetNode, types: readonly GraphQLObjectType[], fragment: string | null): SelectionUnit => {
    const key = keyOf(set, types);
    const known = unitByKey.get(key);
    if (known) return known;
    if (fragment) fragmentVisits += 1;
    const items: Array<FieldItem | SpreadItem> = [];
    const unit: SelectionUnit = { id: units.length, fragment, types, items };
    units.push(unit);
    unitByKey.set(key, unit);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const on: FieldOnType[] = [];
        for (const type of types) {
          const field = fieldDefinition(type, name);
          if (!field) continue;
          const child =
            selection.selectionSet && name !== '__typename' ? unitOf(selection.selectionSet, objectTypesOf(schema, getNamedType(field.type)), null) : null;
          on.push({ type, field, child });
        }
        items.push({ kind: 'field', node: selection, name, responseKey: selection.alias?.value ?? name, meta: name.startsWith('__'), on });
        continue;
      }
      let body: SelectionSetNode;
      let condition: string | undefined;
      let name: string | null = null;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        name = selection.name.value;
        const definition = fragments.get(name);
        // Unknown and cyclic spreads are refused by validation; measuring them anyway must end.
        if (!definition || onPath.has(name)) continue;
        body = definition.selectionSet;
        condition = definition.typeCondition.name.value;
      } else {
        body = selection.selectionSet;
        condition = selection.typeCondition?.name.value;
      }
      const narrowed = condition ? types.filter((t) => objectTypesOf(schema, schema.getType(condition!)).includes(t)) : types;
      if (name) onPath.add(name);
      try {
        items.push({ kind: 'spread', node: selection, fragment: name, unit: unitOf(body, narrowed, name) });
      } finally {
        if (name) onPath.delete(name);
      }
    }
    Object.freeze(items);
    finished.push(unit);
    return Object.freeze(unit);
  };

  const root = unitOf(operation.selectionSet, objectTypesOf(schema, schema.getRootType(operation.operation)), null);
  Object.freeze(units);

  const depthOf: number[] = new Array(units.length).fill(0);
  const spreadDepthOf: number[] = new Array(units.length).fill(0);
  const aliasesOf: number[] = new Array(units.length).fill(0);
  for (const { id: i, items } of finished) {
    let depth = 0;
    let spreadDepth = 0;
    let aliases = 0;
    for (const item of items) {
      if (item.kind === 'spread') {
        depth = Math.max(depth, depthOf[item.unit.id]);
        spreadDepth = Math.max(spreadDepth, spreadDepthOf[item.unit.id] + (item.fragment ? 1 : 0));
        aliases += aliasesOf[item.unit.id];
        continue;
      }
      // Aliases count inside introspection too: aliasing `__schema { a: types b: types }` repeats work.
      if (item.node.alias && item.node.alias.value !== (namespace && `${namespace}_${item.name}`)) aliases += 1;
      let childAliases = 0;
      let childDepth = 0;
      let childSpreadDepth = 0;
      for (const { child } of item.on) {
        if (!child) continue;
        childAliases = Math.max(childAliases, aliasesOf[child.id]);
        childDepth = Math.max(childDepth, depthOf[child.id]);
        childSpreadDepth = Math.max(childSpreadDepth, spreadDepthOf[child.id]);
      }
      aliases += childAliases;
      // Introspection is bounded by graphql-js's MaxIntrospectionDepthRule, not by this depth.
      if (item.meta) continue;
      depth = Math.max(depth, 1 + childDepth);
      spreadDepth = Math.max(spreadDepth, childSpreadDepth);
    }
    depthOf[i] = depth;
    spreadDepthOf[i] = spreadDepth;
    aliasesOf[i] = aliases;
  }

  const fields = new Set<string>();
  const levels = new Set<Classification>();
  const byType = new Map<string, Set<string>>();
  let introspection = false;
  for (const unit of units) {
    for (const item of unit.items) {
      if (item.kind !== 'field') continue;
      if (item.name === '__schema' || item.name === '__type') introspection = true;
      for (const { type, field } of item.on) {
        if (item.name === '__typename') continue;
        fields.add(`${type.name}.${item.name}`);
        const level = classificationOf(field);
        if (level) levels.add(level);
        let names = byType.get(type.name);
        if (!names) byType.set(type.name, (names = new Set()));
        names.add(item.name);
      }
    }
  }

  const rootFields = new Set<string>();
  const rootUnits = new Set<SelectionUnit>();
  const collectRoot = (unit: SelectionUnit): void => {
    if (rootUnits.has(unit)) return;
    rootUnits.add(unit);
    for (const item of unit.items) {
      if (item.kind === 'spread') collectRoot(item.unit);
      else for (const { type } of item.on) rootFields.add(`${type.name}.${item.name}`);
    }
  };
  collectRoot(root);

  let paths: ResponsePaths | null = null;
  const analysis: OperationAnalysis = {
    schema,
    document,
    operation,
    root,
    units,
    depth: Math.max(depthOf[root.id], spreadDepthOf[root.id]),
    aliases: aliasesOf[root.id],
    fields,
    rootFields,
    levels,
    introspection,
    selection: { fieldsOf: (typeName) => byType.get(typeName) ?? EMPTY },
    signature: signatureOf(operation, units, fragments),
    responsePaths: () => (paths ??= responsePathsOf(root)),
    fragmentVisits,
  };
  return Object.freeze(analysis);
}

/**
 * Response paths are only asked for once the operation passed its limits, whose cost bounds how
 * many distinct paths there are; each (unit, path) pair is still expanded once.
 */
function responsePathsOf(root: SelectionUnit): ResponsePaths {
  const types = new Map<string, string>();
  const fields = new Map<string, string>();
  const seen = new Set<string>();
  const walk = (unit: SelectionUnit, path: string): void => {
    const key = `${unit.id}@${path}`;
    if (seen.has(key)) return;
    seen.add(key);
    for (const item of unit.items) {
      if (item.kind === 'spread') {
        walk(item.unit, path);
        continue;
      }
      if (item.meta) continue;
      const at = path ? `${path}.${item.responseKey}` : item.responseKey;
      fields.set(at, item.name);
      for (const { field, child } of item.on) {
        if (!child) continue;
        types.set(at, getNamedType(field.type).name);
        walk(child, at);
      }
    }
  };
  const rootType = root.types[0];
  if (rootType) types.set('', rootType.name);
  walk(root, '');
  return { types, fields };
}

/**
 * Literal values blanked as Apollo's usage signatures do (strings "", numbers 0, lists []; enum
 * values and the keys of input objects kept) and the operation's name left out: the shape of a
 * request, not its values or what the client called it, which the audit records separately.
 * Aliases are kept: they are part of what the caller asked.
 */
function signatureOf(operation: OperationDefinitionNode, units: readonly SelectionUnit[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): string {
  const used = [...new Set(units.map((u) => u.fragment).filter((name): name is string => name !== null))].sort();
  const blank = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    print(
      visit(node, {
        // The client's name for it is recorded next to the signature, not in it.
        OperationDefinition: (definition) => ({ ...definition, name: undefined }),
        StringValue: () => ({ kind: Kind.STRING, value: '' }),
        IntValue: () => ({ kind: Kind.INT, value: '0' }),
        FloatValue: () => ({ kind: Kind.FLOAT, value: '0' }),
        ListValue: () => ({ kind: Kind.LIST, values: [] }),
      }),
    );
  const text = [blank(operation), ...used.map((name) => blank(fragments.get(name)!))].join('\n');
  return createHash('sha256').update(text).digest('hex');
}
