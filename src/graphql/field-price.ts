import { getNullableType, isListType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import type { TableStatistics } from '../db/table-statistics';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../read-kit/pagination/page-args';
import { priceList } from './list-pricing';
import { MAX_GROUP_BY, MAX_MEASURES } from '../read-kit/aggregate/aggregate-args';

/** Assumed length of a list that has no `first`/`last` argument (e.g. an enterprise's vehicles). */
export const DEFAULT_LIST_SIZE = 50;

/**
 * Lists whose length is bounded by the arguments' own limits, not a page: a cell's keys (one per
 * group-by) and values (one per measure).
 */
const BOUNDED_LISTS: Readonly<Record<string, number>> = { 'AggregateCell.keys': MAX_GROUP_BY, 'AggregateCell.values': MAX_MEASURES };

/** An entity looked up by key costs at least this, whatever little is selected of it. */
const MIN_ENTITY_COST = 5;

/** One field of the operation as the cost estimate sees it. */
export interface PricedField {
  /** The object type the field is selected on. */
  readonly type: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
  /**
   * An argument's value as the resolver will get it: the literal, or the request's variable (its
   * declared default when not sent); undefined when neither the request nor a default sets it.
   */
  argument(name: string): unknown;
  /** Whether the request sets the argument at all (literal or variable). */
  hasArgument(name: string): boolean;
  /** Every argument the request sets, by name, values as the resolver will get them. */
  arguments(): Readonly<Record<string, unknown>>;
  /** The `first`/`last` of the enclosing connection, for the `edges`/`nodes` list beneath it. */
  readonly enclosingPageSize: number | undefined;
  /** Rows the enclosing connection's filter matches (`list-pricing.ts`), which a count beneath it reads. */
  readonly enclosingMatches: number | undefined;
}

/**
 * The page size a field asks for through `first`/`last`, as its resolver will see it (absent
 * argument → schema default, null → DEFAULT_PAGE_SIZE, beyond MAX_PAGE_SIZE → refused by
 * `pageSize`, so never costs more than MAX_PAGE_SIZE). Undefined when the field is not paged.
 */
function requestedPageSize(f: PricedField): number | undefined {
  let size: number | undefined;
  for (const name of ['first', 'last']) {
    const definition = f.field.args.find((a) => a.name === name);
    if (!f.hasArgument(name) && !definition) continue;
    let value = f.argument(name);
    if (value === undefined) value = definition?.defaultValue;
    const n = typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    size = Math.max(size ?? 0, n);
  }
  // Federation `_entities`: one entity per representation sent, however many that is.
  if (f.hasArgument('representations')) {
    const value = f.argument('representations');
    if (Array.isArray(value)) size = value.length;
  }
  return size;
}

/** `a × b` where a zero side means nothing is read, even when the other is unbounded. */
export const times = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a * b);

/**
 * The price of one field: 1 (or, for a count or a scan, what it reads: `list-pricing.ts`), plus
 * its selection's cost times the list size when it returns a list (its `first`/`last`, else the
 * enclosing connection's, else DEFAULT_LIST_SIZE). A field that is not itself a list passes its
 * page size, and a connection the rows its filter matches, one level down (to its `edges` and
 * `totalCount`). `selectionCost(pageSize, matches)` prices the field's own selection once per item.
 *
 * This is the one place a field is priced: what a field reads (rows counted, windows scanned)
 * belongs here or in `list-pricing.ts`, as a function of the field and its argument values.
 */
export function priceField(
  f: PricedField,
  statistics: TableStatistics,
  selectionCost: (pageSizeBelow: number | undefined, matchesBelow: number | undefined) => number,
): number {
  const own = requestedPageSize(f);
  const isList = isListType(getNullableType(f.field.type));
  const multiplier = isList ? (own ?? BOUNDED_LISTS[`${f.type.name}.${f.field.name}`] ?? f.enclosingPageSize ?? DEFAULT_LIST_SIZE) : 1;
  const read = priceList({ typeName: f.type.name, fieldName: f.field.name, args: f.arguments }, statistics, f.enclosingMatches);
  let below = selectionCost(isList ? undefined : own, read.matches);
  if (f.field.name === '_entities') below = Math.max(below, MIN_ENTITY_COST);
  return (read.cost ?? 1) + times(multiplier, below);
}
