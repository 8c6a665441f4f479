import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/page-args';
import { NO_STATISTICS, type TableStatistics } from '../db/table-statistics';
import { priceField } from './list-pricing';

/**
 * Limits that refuse abusive queries before any resolver runs (enforced by `enforce-limits.ts`;
 * `maxTokens` by the parser, through Apollo's `parseOptions`). Introspection (`__schema`,
 * `__type`, `__typename`) is exempt from depth and cost: GraphiQL's introspection query is
 * ~13 levels deep, and its own abuse (nested `fields { type { fields ... } }`) is already
 * refused by graphql-js's MaxIntrospectionDepthRule in `specifiedRules`.
 */
export interface QueryLimits {
  /** Nested field levels; a root field is depth 1. */
  maxDepth: number;
  /** Aliased fields per operation, counting a fragment each time it is spread. */
  maxAliases: number;
  /** Lexical tokens in the document, enforced by the parser itself. */
  maxTokens: number;
  /** Estimated objects and fields resolved, with list sizes multiplying (see estimateCost). */
  maxCost: number;
}

/**
 * A full page of enterprises with their vehicles (`enterprises(first: 500) { edges { node {
 * vehicles { plateNumber } } } }`, cost ~26,000) passes; two nested full pages (500 × 500) or a
 * full page × unpaged list × weighings (500 × 50 × 20) do not.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 2000,
  maxCost: 50_000,
});

/** Assumed length of a list that has no `first`/`last` argument (e.g. an enterprise's vehicles). */
export const DEFAULT_LIST_SIZE = 50;

type Fragments = (name: string) => FragmentDefinitionNode | undefined | null;

/** Introspection and `__typename` cost next to nothing and are bounded elsewhere. */
const isMetaField = (node: FieldNode): boolean => node.name.value.startsWith('__');

/**
 * Resolves a fragment spread with memoisation and cycle protection. Memoising matters beyond
 * speed: a document of fragments that each spread the next one twice would otherwise take time
 * exponential in its size. A spread already on the path (a cycle, which NoFragmentCycles rejects
 * anyway) or of an unknown fragment contributes `empty`.
 */
function throughFragment<T>(
  name: string,
  key: string,
  fragments: Fragments,
  memo: Map<string, T>,
  onPath: Set<string>,
  empty: T,
  measure: (fragment: FragmentDefinitionNode) => T,
): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const fragment = fragments(name);
  if (!fragment || onPath.has(name)) return empty;
  onPath.add(name);
  try {
    const value = measure(fragment);
    memo.set(key, value);
    return value;
  } finally {
    onPath.delete(name);
  }
}

function depthOf(set: SelectionSetNode, fragments: Fragments, memo = new Map<string, number>(), onPath = new Set<string>()): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (isMetaField(selection)) continue;
      depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet, fragments, memo, onPath) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments, memo, onPath);
    } else {
      const name = selection.name.value;
      depth = throughFragment(name, name, fragments, memo, onPath, 0, (f) => depthOf(f.selectionSet, fragments, memo, onPath));
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

// Aliases count inside introspection too: aliasing `__schema { a: types b: types }` repeats work.
function aliasesOf(set: SelectionSetNode, fragments: Fragments, memo = new Map<string, number>(), onPath = new Set<string>()): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) count += 1;
      if (selection.selectionSet) count += aliasesOf(selection.selectionSet, fragments, memo, onPath);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += aliasesOf(selection.selectionSet, fragments, memo, onPath);
    } else {
      const name = selection.name.value;
      count += throughFragment(name, name, fragments, memo, onPath, 0, (f) => aliasesOf(f.selectionSet, fragments, memo, onPath));
    }
  }
  return count;
}

interface CostContext {
  schema: GraphQLSchema;
  fragments: Fragments;
  variables: Readonly<Record<string, unknown>> | undefined;
  variableDefaults: ReadonlyMap<string, ValueNode>;
  memo: Map<string, number>;
  onPath: Set<string>;
  statistics: TableStatistics;
  variableValues?: Record<string, unknown>;
}

function argumentValue(node: ValueNode, ctx: CostContext): unknown {
  if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node);
  const name = node.name.value;
  const provided = ctx.variables?.[name];
  if (provided !== undefined) return provided;
  const fallback = ctx.variableDefaults.get(name);
  return fallback && valueFromASTUntyped(fallback);
}

/** A field's argument values, variables (sent, else their declared defaults) substituted at any depth. */
function argumentsOf(node: FieldNode, ctx: CostContext): Record<string, unknown> {
  ctx.variableValues ??= {
    ...Object.fromEntries([...ctx.variableDefaults].map(([name, value]) => [name, valueFromASTUntyped(value)])),
    ...ctx.variables,
  };
  const values: Record<string, unknown> = {};
  for (const argument of node.arguments ?? []) values[argument.name.value] = valueFromASTUntyped(argument.value, ctx.variableValues);
  return values;
}

/**
 * The page size a field asks for through `first`/`last`, as its resolver will see it (absent
 * argument → schema default, null → DEFAULT_PAGE_SIZE, beyond MAX_PAGE_SIZE → refused by
 * `pageSize`, so never costs more than MAX_PAGE_SIZE). Undefined when the field is not paged.
 */
function requestedPageSize(node: FieldNode, field: GraphQLField<unknown, unknown> | undefined, ctx: CostContext): number | undefined {
  let size: number | undefined;
  for (const name of ['first', 'last']) {
    const argNode = node.arguments?.find((a) => a.name.value === name);
    const argDef = field?.args.find((a) => a.name === name);
    if (!argNode && !argDef) continue;
    let value = argNode ? argumentValue(argNode.value, ctx) : undefined;
    if (value === undefined) value = argDef?.defaultValue;
    const n = typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    size = Math.max(size ?? 0, n);
  }
  // Federation `_entities`: one entity per representation sent, however many that is.
  const representations = node.arguments?.find((a) => a.name.value === 'representations');
  if (representations) {
    const value = argumentValue(representations.value, ctx);
    if (Array.isArray(value)) size = value.length;
  }
  return size;
}

/** An entity looked up by key costs at least this, whatever little is selected of it. */
const MIN_ENTITY_COST = 5;

/**
 * `pageSize` is the `first`/`last` of the enclosing field when that field is not itself a list:
 * on a Relay connection it sizes the `edges` (or `nodes`) list directly beneath. It is carried
 * one level only, so it cannot leak into unrelated lists further down.
 */
function costOf(set: SelectionSetNode, parent: GraphQLNamedType | undefined, pageSize: number | undefined, ctx: CostContext, matches?: number): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isMetaField(selection)) continue;
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      const own = requestedPageSize(selection, field, ctx);
      const isList = field !== undefined && isListType(getNullableType(field.type));
      const multiplier = isList ? own ?? pageSize ?? DEFAULT_LIST_SIZE : 1;
      // Counts and scans cost what they read (list-pricing.ts); `matches` reaches one level down, like `pageSize`.
      const price = priceField({ typeName: parent?.name ?? '', fieldName: selection.name.value, args: () => argumentsOf(selection, ctx) }, ctx.statistics, matches);
      let below = selection.selectionSet
        ? costOf(selection.selectionSet, field && getNamedType(field.type), isList ? undefined : own, ctx, price.matches)
        : 0;
      if (selection.name.value === '_entities') below = Math.max(below, MIN_ENTITY_COST);
      cost += (price.cost ?? 1) + multiplier * below;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? ctx.schema.getType(selection.typeCondition.name.value) : parent;
      cost += costOf(selection.selectionSet, type ?? undefined, pageSize, ctx, matches);
    } else {
      const name = selection.name.value;
      cost += throughFragment(name, `${name}@${pageSize ?? ''}@${matches ?? ''}`, ctx.fragments, ctx.memo, ctx.onPath, 0, (f) =>
        costOf(f.selectionSet, ctx.schema.getType(f.typeCondition.name.value) ?? undefined, pageSize, ctx, matches));
    }
  }
  return cost;
}

function operationCost(
  schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Fragments, variables: Readonly<Record<string, unknown>> | undefined, statistics: TableStatistics,
): number {
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const ctx: CostContext = { schema, fragments, variables, variableDefaults, memo: new Map(), onPath: new Set(), statistics };
  return costOf(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, undefined, ctx);
}

function fragmentsOf(document: DocumentNode): Fragments {
  const byName = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) byName.set(definition.name.value, definition);
  }
  return (name) => byName.get(name);
}

function operationOf(document: DocumentNode, operationName?: string): OperationDefinitionNode {
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error(operationName ? `No operation named ${operationName}` : 'Document must hold exactly one operation, or name one');
  return operation;
}

/** Deepest field nesting of one operation (introspection fields excluded). */
export function measureDepth(document: DocumentNode, operationName?: string): number {
  return depthOf(operationOf(document, operationName).selectionSet, fragmentsOf(document));
}

/** Aliased fields in one operation, a fragment counted each time it is spread. */
export function countAliases(document: DocumentNode, operationName?: string): number {
  return aliasesOf(operationOf(document, operationName).selectionSet, fragmentsOf(document));
}

/**
 * Estimated objects and fields one operation resolves: a field costs 1 plus its selection's cost
 * times the list size when it returns a list (its `first`/`last`, else the enclosing connection's,
 * else DEFAULT_LIST_SIZE). Variables, when given, are the request's; without them a `$first`
 * falls back to its declared default, then the schema default, then DEFAULT_PAGE_SIZE.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string,
  variables?: Readonly<Record<string, unknown>>,
  statistics: TableStatistics = NO_STATISTICS,
): number {
  return operationCost(schema, operationOf(document, operationName), fragmentsOf(document), variables, statistics);
}
