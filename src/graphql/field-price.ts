import { getNullableType, isListType, type GraphQLField } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/page-args';

/** Assumed length of a list that has no `first`/`last` argument (e.g. an enterprise's vehicles). */
export const DEFAULT_LIST_SIZE = 50;

/** An entity looked up by key costs at least this, whatever little is selected of it. */
const MIN_ENTITY_COST = 5;

/** One field of the operation as the cost estimate sees it. */
export interface PricedField {
  readonly field: GraphQLField<unknown, unknown>;
  /**
   * An argument's value as the resolver will get it: the literal, or the request's variable (its
   * declared default when not sent); undefined when neither the request nor a default sets it.
   */
  argument(name: string): unknown;
  /** Whether the request sets the argument at all (literal or variable). */
  hasArgument(name: string): boolean;
  /** The `first`/`last` of the enclosing connection, for the `edges`/`nodes` list beneath it. */
  readonly enclosingPageSize: number | undefined;
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
 * The price of one field: 1, plus its selection's cost times the list size when it returns a list
 * (its `first`/`last`, else the enclosing connection's, else DEFAULT_LIST_SIZE). A field that is
 * not itself a list passes its page size one level down (a connection sizes its `edges`).
 * `selectionCost(pageSize)` prices the field's own selection once per item.
 *
 * This is the one place a field is priced: what a field reads (rows counted, windows scanned)
 * belongs here, as a function of the field and its argument values.
 */
export function priceField(f: PricedField, selectionCost: (pageSizeBelow: number | undefined) => number): number {
  const own = requestedPageSize(f);
  const isList = isListType(getNullableType(f.field.type));
  const multiplier = isList ? own ?? f.enclosingPageSize ?? DEFAULT_LIST_SIZE : 1;
  let below = selectionCost(isList ? undefined : own);
  if (f.field.name === '_entities') below = Math.max(below, MIN_ENTITY_COST);
  return 1 + times(multiplier, below);
}
