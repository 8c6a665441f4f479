import { toPage, type Page } from './connection';
import { decodeCursor, encodeCursor } from './cursor';
import { pageSize } from './page-args';

/** A newest-first page of a bookkeeping table (sync runs, quarantine, audit) by its bigint key. */
export interface KeyPageRequest<R, T> {
  table: string;
  /** The key column, descending; selected as text under the same name. */
  key: string;
  columns: string;
  /** Filter conditions with `$n` placeholders into `params`. */
  conditions: string[];
  params: unknown[];
  first?: number | null;
  after?: string | null;
  map: (row: R) => T;
}

/** Where a bookkeeping page is read: the request's reads of the tables the read gateway does not own. */
interface BookkeepingScope {
  sql: { query<R>(text: string, params?: readonly unknown[]): Promise<R[]> };
}

/**
 * One page ordered by a bigint key, newest first, plus a lazy count of everything the filter
 * matches: tables the ORM does not map, read on the request's counted client.
 */
export async function pageByKey<R extends object, T>(scope: BookkeepingScope, request: KeyPageRequest<R, T>): Promise<Page<T>> {
  const { table, key, columns } = request;
  const ordering = `${key.toUpperCase()}_DESC`;
  const limit = pageSize(request.first);
  const where = (c: string[]) => (c.length ? `where ${c.join(' and ')}` : '');
  const conditions = [...request.conditions];
  const params = [...request.params];
  const count = async (atMost?: number) => {
    const matching =
      atMost === undefined ? `select 1 from ${table} ${where(request.conditions)}` : `select 1 from ${table} ${where(request.conditions)} limit ${atMost}`;
    return (await scope.sql.query<{ n: number }>(`select count(*)::int as n from (${matching}) as counted`, request.params))[0].n;
  };
  if (request.after) conditions.push(`${key} < $${params.push(decodeCursor('after', request.after, ordering, ['bigint'])[0])}`);
  // Qualified: a bare name would sort by the select list's column of that name, often the key as text ('9' > '10').
  const rows = await scope.sql.query<R>(`select ${columns} from ${table} ${where(conditions)} order by ${table}.${key} desc limit ${limit + 1}`, params);
  return toPage(rows, limit, (row) => encodeCursor(ordering, [String((row as Record<string, unknown>)[key])]), count, request.map);
}
