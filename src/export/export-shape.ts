import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { InvalidInputError } from '../errors';

/** One column of an export: its header (the response path, dotted) and where its value sits in a row object. */
export interface ExportColumn {
  header: string;
  path: readonly string[];
}

/**
 * What an exported query pages through: the connection at `connectionPath` of the response, its
 * rows under `edges[].node` (or `nodes[]`), the variable its `after` argument reads and the
 * columns the row selection names.
 */
export interface ExportShape {
  connectionPath: readonly string[];
  /**
   * `edges`/`nodes`: a connection, paged through its `after` variable. `cells`: an aggregate result
   * (`cells { keys { dimension value } count values { measure value } suppressed … }`), one answer,
   * its columns the group keys' dimensions, the cell's own fields and the measures, as the answer names them.
   */
  rowsUnder: 'edges' | 'nodes' | 'cells';
  afterVariable: string | null;
  /** The row selection's columns; for an aggregate, read from its answer (see `aggregateRows`). */
  columns: readonly ExportColumn[];
}

/** The fields a selection set selects, fragments spread in, in document order. */
function fieldsOf(set: SelectionSetNode | undefined, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(selection.selectionSet, fragments));
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) out.push(...fieldsOf(fragment.selectionSet, fragments));
    }
  }
  return out;
}

const keyOf = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** Columns of a row selection: leaves by their dotted response path; a nested object's fields under its key. */
function columnsOf(set: SelectionSetNode | undefined, fragments: ReadonlyMap<string, FragmentDefinitionNode>, prefix: string[] = []): ExportColumn[] {
  const seen = new Set<string>();
  const columns: ExportColumn[] = [];
  for (const field of fieldsOf(set, fragments)) {
    const key = keyOf(field);
    if (seen.has(key) || key === '__typename') continue;
    seen.add(key);
    const path = [...prefix, key];
    if (field.selectionSet) columns.push(...columnsOf(field.selectionSet, fragments, path));
    else columns.push({ header: path.join('.'), path });
  }
  return columns;
}

/**
 * Reads what an export of `document` pages through: the one connection it selects (at any depth
 * of single objects), with `pageInfo { hasNextPage endCursor }` and its `after` argument bound to
 * a variable, so that the exporter runs the caller's own operation, unchanged, page after page.
 * Anything else is refused (`InvalidInputError` on `query`) before a page runs.
 */
export function exportShapeOf(document: DocumentNode, operationName: string | null): ExportShape {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation)
    throw new InvalidInputError('operationName', operationName ? `no operation named ${operationName}` : 'the document holds several operations: name one');
  if (operation.operation !== 'query') throw new InvalidInputError('query', 'only a query can be exported');
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d] as const),
  );
  const found: Array<{ path: string[]; field: FieldNode }> = [];
  const visit = (set: SelectionSetNode | undefined, path: string[]) => {
    for (const field of fieldsOf(set, fragments)) {
      if (!field.selectionSet) continue;
      const children = fieldsOf(field.selectionSet, fragments).map((f) => f.name.value);
      if (children.includes('pageInfo') && (children.includes('edges') || children.includes('nodes'))) found.push({ path: [...path, keyOf(field)], field });
      else visit(field.selectionSet, [...path, keyOf(field)]);
    }
  };
  visit(operation.selectionSet, []);
  if (found.length === 0) {
    const aggregates: string[][] = [];
    const visitAggregates = (set: SelectionSetNode | undefined, path: string[]) => {
      for (const field of fieldsOf(set, fragments)) {
        if (!field.selectionSet) continue;
        const cells = fieldsOf(field.selectionSet, fragments).find((f) => f.name.value === 'cells' && !f.alias);
        if (cells && fieldsOf(cells.selectionSet, fragments).some((f) => f.name.value === 'keys' && !f.alias)) aggregates.push([...path, keyOf(field)]);
        else visitAggregates(field.selectionSet, [...path, keyOf(field)]);
      }
    };
    visitAggregates(operation.selectionSet, []);
    if (aggregates.length === 1) return { connectionPath: aggregates[0], rowsUnder: 'cells', afterVariable: null, columns: [] };
  }
  if (found.length !== 1) {
    throw new InvalidInputError(
      'query',
      `an export pages through exactly one connection (edges or nodes, with pageInfo) or reads one aggregate's cells (cells { keys { dimension value } … }); the query selects ${found.length} connections`,
    );
  }
  const [{ path, field }] = found;
  const after = field.arguments?.find((a) => a.name.value === 'after');
  if (!after || after.value.kind !== Kind.VARIABLE) {
    throw new InvalidInputError('query', `the connection ${path.join('.')} must take its cursor from a variable (after: $after) for the export to page`);
  }
  const children = fieldsOf(field.selectionSet, fragments);
  const pageInfo = fieldsOf(children.find((f) => f.name.value === 'pageInfo')?.selectionSet, fragments).map((f) => f.name.value);
  if (!pageInfo.includes('hasNextPage') || !pageInfo.includes('endCursor')) {
    throw new InvalidInputError('query', `the connection ${path.join('.')} must select pageInfo { hasNextPage endCursor }`);
  }
  for (const f of children) {
    if (keyOf(f) !== f.name.value) throw new InvalidInputError('query', `the connection's own fields cannot be aliased (${keyOf(f)})`);
  }
  const edges = children.find((f) => f.name.value === 'edges');
  const rowSet = edges
    ? fieldsOf(edges.selectionSet, fragments).find((f) => f.name.value === 'node' && !f.alias)?.selectionSet
    : children.find((f) => f.name.value === 'nodes')?.selectionSet;
  const columns = columnsOf(rowSet, fragments);
  if (!columns.length) throw new InvalidInputError('query', `the connection ${path.join('.')} selects no row fields (edges { node { … } } or nodes { … })`);
  return { connectionPath: path, rowsUnder: edges ? 'edges' : 'nodes', afterVariable: after.value.name.value, columns };
}

/** A value of a row as a cell's text: lists and objects below the columns as JSON, null as empty. */
export function cellOf(row: unknown, path: readonly string[]): string | number | boolean | null {
  let value: unknown = row;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

type AggregateCellData = { keys?: Array<{ dimension: string; value: string }>; values?: Array<{ measure: string; value: number | null }> } & Record<
  string,
  unknown
>;

/**
 * An aggregate's cells as rows: a column per group-key dimension (in the order the cells give
 * them), per other field of the cell (count, suppressed, complete…) and per measure. A suppressed
 * cell's values are the null the answer holds: the export shows exactly what the query returned.
 */
export function aggregateRows(cells: readonly AggregateCellData[]): { columns: ExportColumn[]; rows: Array<Array<string | number | boolean | null>> } {
  const dimensions: string[] = [];
  const measures: string[] = [];
  const own: string[] = [];
  for (const cell of cells) {
    for (const key of cell.keys ?? []) if (!dimensions.includes(key.dimension)) dimensions.push(key.dimension);
    for (const value of cell.values ?? []) if (!measures.includes(value.measure)) measures.push(value.measure);
    for (const field of Object.keys(cell)) if (field !== 'keys' && field !== 'values' && field !== '__typename' && !own.includes(field)) own.push(field);
  }
  const columns = [
    ...dimensions.map((d) => ({ header: d, path: ['keys', d] })),
    ...own.map((f) => ({ header: f, path: [f] })),
    ...measures.map((m) => ({ header: m, path: ['values', m] })),
  ];
  const rows = cells.map((cell) => [
    ...dimensions.map((d) => cell.keys?.find((k) => k.dimension === d)?.value ?? null),
    ...own.map((f) => cellOf(cell, [f])),
    ...measures.map((m) => cell.values?.find((v) => v.measure === m)?.value ?? null),
  ]);
  return { columns, rows };
}
