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
  rowsUnder: 'edges' | 'nodes';
  afterVariable: string;
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
  if (found.length !== 1) {
    throw new InvalidInputError('query', `an export pages through exactly one connection (edges or nodes, with pageInfo); the query selects ${found.length}`);
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
