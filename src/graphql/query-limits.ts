import { getOperationAST, Kind, valueFromASTUntyped, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type ValueNode } from 'graphql';
import { NO_STATISTICS, type TableStatistics } from '../db/table-statistics';
import { priceField } from './field-price';
import { analyseOperation, type FieldItem, type OperationAnalysis, type SelectionUnit } from '../read-kit/operation/operation-analysis';

export { DEFAULT_LIST_SIZE } from './field-price';

/**
 * Limits that refuse abusive queries before any resolver runs (enforced by `enforce-limits.ts`;
 * `maxTokens` by the parser, through Apollo's `parseOptions`). Introspection (`__schema`,
 * `__type`) is exempt from depth and cost: GraphiQL's introspection query is ~13 levels deep, and
 * its own abuse (nested `fields { type { fields ... } }`) is already refused by graphql-js's
 * MaxIntrospectionDepthRule in `specifiedRules`.
 */
export interface QueryLimits {
  /** Nested field levels (a root field is depth 1), or nested fragment spreads if deeper. */
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

/**
 * The cost of an analysed operation for the request's variables: each unit priced once per page
 * size it is reached with, a fragment spread n times counting n times (by multiplication, not by
 * walking it n times). `__typename` costs 1 like any field, so a chain of fragments that each
 * spread the next twice costs what it would resolve were it not merged: 2^levels.
 */
export function operationCost(analysis: OperationAnalysis, variables?: Readonly<Record<string, unknown>>, statistics: TableStatistics = NO_STATISTICS): number {
  let memo = costMemos.get(analysis);
  if (memo?.statistics !== statistics) costMemos.set(analysis, (memo = { statistics, known: [] }));
  const known = memo.known.find((entry) => entry.reads.every(([name, value]) => valueKey(variables?.[name]) === value));
  if (known) return known.cost;
  // The variables the estimate reads, recorded with their values: the same values give the same cost.
  const reads = new Map<string, string | undefined>();
  // Absent variables read as an empty set of them, so that what was absent is recorded too.
  const tracked = new Proxy(variables ?? {}, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof name === 'string') reads.set(name, valueKey(value));
      return value;
    },
  });
  const cost = computeCost(analysis, tracked, statistics);
  const entry = { reads: [...reads], cost };
  if (entry.reads.every(([, value]) => value === undefined || value.length <= MAX_MEMO_KEY)) {
    if (memo.known.length >= MAX_MEMO_ENTRIES) memo.known.shift();
    memo.known.push(entry);
  }
  return cost;
}

/**
 * Costs already worked out per analysed operation (itself cached per parsed document) and table
 * statistics, each with the variables it read and their values: a repeated request whose costed
 * variables (page sizes, windows, filters) are the same is not priced again. Bounded per operation.
 */
const costMemos = new WeakMap<OperationAnalysis, { statistics: TableStatistics; known: Array<{ reads: Array<[string, string | undefined]>; cost: number }> }>();
const MAX_MEMO_ENTRIES = 16;
/** Longest variable value (as JSON) a memo keeps: a large input is priced each time rather than held. */
const MAX_MEMO_KEY = 512;
const valueKey = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

function computeCost(analysis: OperationAnalysis, variables: Readonly<Record<string, unknown>> | undefined, statistics: TableStatistics): number {
  const defaults = new Map<string, ValueNode>();
  for (const definition of analysis.operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const valueOf = (node: ValueNode): unknown => {
    if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node, variables as Record<string, unknown> | undefined);
    const provided = variables?.[node.name.value];
    if (provided !== undefined) return provided;
    const fallback = defaults.get(node.name.value);
    return fallback && valueFromASTUntyped(fallback);
  };
  const memo = new Map<string, number>();
  const costOf = (unit: SelectionUnit, pageSize: number | undefined, matches: number | undefined): number => {
    const key = `${unit.id}@${pageSize ?? ''}@${matches ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let cost = 0;
    for (const item of unit.items) {
      cost += item.kind === 'spread' ? costOf(item.unit, pageSize, matches) : fieldCost(item, pageSize, matches);
    }
    memo.set(key, cost);
    return cost;
  };
  const fieldCost = (item: FieldItem, pageSize: number | undefined, matches: number | undefined): number => {
    if (item.name === '__typename') return 1;
    if (item.meta) return 0;
    const argument = (name: string) => item.node.arguments?.find((a) => a.name.value === name);
    let values: Record<string, unknown> | undefined;
    const argumentValues = () => (values ??= Object.fromEntries((item.node.arguments ?? []).map((a) => [a.name.value, valueOf(a.value)])));
    let price = item.on.length ? 0 : 1;
    for (const { type, field, child } of item.on) {
      price = Math.max(
        price,
        priceField(
          {
            type,
            field,
            argument: (name) => {
              const node = argument(name);
              return node ? valueOf(node.value) : undefined;
            },
            hasArgument: (name) => argument(name) !== undefined,
            arguments: argumentValues,
            enclosingPageSize: pageSize,
            enclosingMatches: matches,
          },
          statistics,
          (below, matchesBelow) => (child ? costOf(child, below, matchesBelow) : 0),
        ),
      );
    }
    return price;
  };
  return costOf(analysis.root, undefined, undefined);
}

function operationOf(document: DocumentNode, operationName?: string): OperationDefinitionNode {
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error(operationName ? `No operation named ${operationName}` : 'Document must hold exactly one operation, or name one');
  return operation;
}

/** The analysis of the operation `operationName` names (or the only one) in `document`. */
export function analysisOf(schema: GraphQLSchema, document: DocumentNode, operationName?: string): OperationAnalysis {
  return analyseOperation(schema, document, operationOf(document, operationName));
}

/** Deepest nesting of one operation (introspection fields excluded). */
export function measureDepth(schema: GraphQLSchema, document: DocumentNode, operationName?: string): number {
  return analysisOf(schema, document, operationName).depth;
}

/** Aliased fields in one operation, a fragment counted each time it is spread. */
export function countAliases(schema: GraphQLSchema, document: DocumentNode, operationName?: string): number {
  return analysisOf(schema, document, operationName).aliases;
}

/**
 * Estimated objects and fields one operation resolves: a field costs 1 plus its selection's cost
 * times the list size when it returns a list (see `priceField`). Variables, when given, are the
 * request's; without them a `$first` falls back to its declared default, then the schema
 * default, then DEFAULT_PAGE_SIZE.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string,
  variables?: Readonly<Record<string, unknown>>,
  statistics: TableStatistics = NO_STATISTICS,
): number {
  return operationCost(analysisOf(schema, document, operationName), variables, statistics);
}
