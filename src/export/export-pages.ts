import { ErrorCode, HubError } from '../errors';
import { aggregateRows, cellOf, type ExportColumn, type ExportShape } from './export-shape';
import type { Cell } from './row-sink';

/** The wrapped operation as the exporter sends it, page after page (the cursor variable aside). */
export interface ExportQuery {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown>;
  /** The reason the export declared (purpose, caseNumber, agreement, caseScope): each page declares it again. */
  extensions: Record<string, unknown>;
}

export interface PageResult {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

/**
 * Runs one page of the wrapped operation through the hub's request pipeline (access check,
 * masking, row scopes, pricing, the audit) as the export's caller; `page` numbers it for the audit.
 */
export type ExecutePage = (query: ExportQuery, page: number) => Promise<PageResult>;

/** A page the pipeline refused or failed: its first error's code, message and details, as the caller would have got them. */
export class ExportPageError extends HubError {
  readonly code: ErrorCode;

  constructor(code: string, message: string, details: Record<string, unknown>) {
    super(message, details);
    this.code = (Object.values(ErrorCode) as string[]).includes(code) ? (code as ErrorCode) : ErrorCode.INTERNAL_SERVER_ERROR;
  }
}

export interface ExportPage {
  /** The file's columns (the same on every page). */
  columns: readonly ExportColumn[];
  rows: Cell[][];
  /** The connection's `totalCount` when the query selects it. */
  totalCount: number | null;
  hasNextPage: boolean;
  number: number;
}

const objectAt = (value: unknown, key: string) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);

/**
 * The export's pages, each run when the consumer asks for it (so a slow file or client slows the
 * reads, and one page of rows is all that is held), from `after` (null: the start). Throws
 * `ExportPageError` for a page that came back with errors: an export is whole or refused.
 */
export async function* exportPages(shape: ExportShape, query: ExportQuery, execute: ExecutePage, after: string | null = null): AsyncGenerator<ExportPage> {
  let cursor = after;
  for (let number = 1; ; number += 1) {
    const variables = shape.afterVariable === null ? query.variables : { ...query.variables, [shape.afterVariable]: cursor };
    const result = await execute({ ...query, variables }, number);
    const error = result.errors?.[0];
    if (error || !result.data) {
      const { code, ...details } = error?.extensions ?? {};
      throw new ExportPageError(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', error?.message ?? 'The page returned no data', details);
    }
    let connection: unknown = result.data;
    for (const key of shape.connectionPath) connection = objectAt(connection, key);
    if (shape.rowsUnder === 'cells') {
      const cells = objectAt(connection, 'cells');
      const { columns, rows } = aggregateRows(Array.isArray(cells) ? cells : []);
      yield { columns, rows, totalCount: rows.length, hasNextPage: false, number };
      return;
    }
    const items = objectAt(connection, shape.rowsUnder);
    const nodes = Array.isArray(items) ? (shape.rowsUnder === 'edges' ? items.map((e) => objectAt(e, 'node')) : items) : [];
    const total = objectAt(connection, 'totalCount');
    const pageInfo = objectAt(connection, 'pageInfo');
    const endCursor = objectAt(pageInfo, 'endCursor');
    const hasNextPage = objectAt(pageInfo, 'hasNextPage') === true && typeof endCursor === 'string' && nodes.length > 0;
    const rows = nodes.map((node) => shape.columns.map((c) => cellOf(node, c.path)));
    yield { columns: shape.columns, rows, totalCount: typeof total === 'number' ? total : null, hasNextPage, number };
    if (!hasNextPage) return;
    cursor = endCursor;
  }
}
