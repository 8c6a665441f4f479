import { readValueParser } from '../../db/read-values';
import { QueryTimeoutError, ServiceUnavailableError } from '../../errors';

type Row = Record<string, unknown>;

/**
 * The read gateway's client as the gateway passes it: the part of `SqlQueries` combining uses,
 * restated because only the gateway may import the read client (.dependency-cruiser.cjs).
 */
interface SqlQueries {
  query(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The client a statement sent now goes to, where the client chooses per statement (a replica or the primary). */
  target?(): SqlQueries;
}

/** A column a statement returns: its name and its SQL type as the table catalogue declares it. */
export interface OutputColumn {
  name: string;
  sqlType: string;
}

/** A key of the order a statement returns its rows in: one of its output columns, ascending or descending. */
export interface OrderKey {
  column: string;
  direction: 'asc' | 'desc';
}

/**
 * How a column's value crosses JSON so that it arrives as the value the driver makes of it in a
 * statement of its own: `native` where the JSON encoding parses to exactly that value (text,
 * 16/32-bit integers, booleans, json); otherwise the column is cast to text in SQL, its output
 * text being what the driver would have received, and parsed with the driver's own parser for
 * the type's OID (instants become Dates, bigints and numerics stay strings, arrays arrays,
 * bytea Buffers, NaN and ±Infinity numbers). A type not listed is not combined.
 */
const NATIVE = new Set(['text', 'varchar', 'character varying', 'smallint', 'int2', 'int', 'int4', 'integer', 'serial', 'boolean', 'bool', 'json', 'jsonb']);
const TEXT_OIDS: Record<string, number> = {
  bigint: 20,
  int8: 20,
  bigserial: 20,
  'double precision': 701,
  double: 701,
  float8: 701,
  real: 700,
  float4: 700,
  numeric: 1700,
  decimal: 1700,
  timestamptz: 1184,
  'timestamp with time zone': 1184,
  timestamp: 1114,
  'timestamp without time zone': 1114,
  date: 1082,
  bytea: 17,
  uuid: 2950,
  'text[]': 1009,
  'varchar[]': 1015,
  'character varying[]': 1015,
  'smallint[]': 1005,
  'int2[]': 1005,
  'int[]': 1007,
  'int4[]': 1007,
  'integer[]': 1007,
  'bigint[]': 1016,
  'int8[]': 1016,
};

type Decode = ((text: string) => unknown) | null;

/** `timestamptz(3)` → `timestamptz`, `numeric(12,2)[]` → `numeric[]`. */
const baseType = (sqlType: string) =>
  sqlType
    .toLowerCase()
    .replace(/\s*\([^)]*\)/g, '')
    .trim();

/** The column's value expression in the combined statement and how its JSON value is decoded (null: not combinable). */
function codecOf(column: OutputColumn, alias: string): { sql: string; decode: Decode } | null {
  if (!/^[a-z_][a-z0-9_]*$/.test(column.name)) return null;
  const type = baseType(column.sqlType);
  const ref = `${alias}."${column.name}"`;
  if (NATIVE.has(type)) return { sql: ref, decode: null };
  const oid = TEXT_OIDS[type];
  if (oid === undefined) return null;
  const parse = readValueParser(oid);
  return { sql: `${ref}::text`, decode: (text) => parse(text) };
}

/** PostgreSQL takes at most 100 arguments to a function (json_build_array's columns). */
const MAX_COLUMNS = 100;

/** One sub-statement's part of a combined statement: its select-list entry and how its rows are rebuilt. */
function partOf(
  text: string,
  paramOffset: number,
  columns: readonly OutputColumn[],
  order: readonly OrderKey[],
  index: number,
): { sql: string; rows: (value: unknown) => Row[] } | null {
  if (columns.length === 0 || columns.length > MAX_COLUMNS) return null;
  const alias = `b${index}`;
  const codecs = columns.map((c) => codecOf(c, alias));
  if (codecs.some((c) => c === null)) return null;
  const names = columns.map((c) => c.name);
  if (order.some((key) => !names.includes(key.column))) return null;
  const decoders = codecs.map((c) => c!.decode);
  // Parameters renumbered after the previous parts'. The gateway's texts carry no literals (every
  // value is a parameter), so each `$n` is a placeholder.
  const renumbered = paramOffset === 0 ? text : text.replace(/\$(\d+)\b/g, (_, n: string) => `$${Number(n) + paramOffset}`);
  // The sub-statement's order stated again to json_agg: PostgreSQL does not promise that an
  // aggregate reads a subquery's rows in the subquery's order (its documentation: "usually works").
  // Keyed on the uncast columns, so values compare as they do in the sub-statement.
  const orderBy = order.length ? ` order by ${order.map((key) => `${alias}."${key.column}" ${key.direction}`).join(', ')}` : '';
  const sql = `(select coalesce(json_agg(json_build_array(${codecs.map((c) => c!.sql).join(', ')})${orderBy}), '[]'::json) from (${renumbered}) as ${alias}) as r${index}`;
  return {
    sql,
    rows: (value) =>
      (value as unknown[][]).map((values) => {
        const row: Row = {};
        for (let i = 0; i < names.length; i += 1) {
          const v = values[i];
          const decode = decoders[i];
          row[names[i]] = v === null || decode === null ? v : decode(v as string);
        }
        return row;
      }),
  };
}

interface Pending {
  text: string;
  params: readonly unknown[];
  columns: readonly OutputColumn[] | null;
  order: readonly OrderKey[];
  resolve(rows: Row[]): void;
  reject(error: unknown): void;
}

/** Errors that another try of the same statements would only repeat (or make slower). */
const final = (error: unknown) => error instanceof QueryTimeoutError || error instanceof ServiceUnavailableError;

/**
 * One request's read statements, sent together: the statements the gateway writes in one turn
 * of the event loop (the loaders of one level of a selection dispatch in the same turn: an
 * enterprise's vehicles, licences, credit ratings and cases, and with a lookup by key the row
 * itself) go to PostgreSQL as one statement when more than one is pending for the same
 * connection pool, each a subquery aggregated to JSON, and are split back to their loads with
 * every value as the driver would have made it. Every sub-statement is the gateway's own text,
 * unchanged: the same projection, live-row filter, row scope and parameters. Each socket write
 * and round trip a statement costs the hub is paid once per level instead of once per relation.
 *
 * A statement alone runs as written. If a combined statement fails for any reason but a timeout
 * or the database being unavailable, its statements run again one by one, so each load gets
 * its own answer or error as it would have alone.
 */
export class CombinedReads {
  private readonly pending = new Map<SqlQueries, Pending[]>();
  private scheduled = false;

  constructor(private readonly combine: boolean) {}

  /**
   * Runs `text` on `client` (or, with a routing client, on the pool it routes to now), combined
   * with the statements that join it before the event loop turns. `columns`: what it returns,
   * or null for a statement that runs alone. `order`: the order its rows come in, by its output
   * columns (none where it promises none); a statement ordered by a column it does not return runs alone.
   */
  query(
    client: SqlQueries,
    text: string,
    params: readonly unknown[],
    columns: readonly OutputColumn[] | null,
    /** The order its rows come in (its `order by`), stated to json_agg when combined: required, so none is forgotten. */
    order: readonly OrderKey[],
  ): Promise<Row[]> {
    if (!this.combine || columns === null) return client.query(text, params);
    // The pool is chosen per statement as before (a replica or the primary): only statements
    // bound for the same one are combined.
    const target = client.target?.() ?? client;
    return new Promise<Row[]>((resolve, reject) => {
      const list = this.pending.get(target);
      const entry = { text, params, columns, order, resolve, reject };
      if (list) list.push(entry);
      else this.pending.set(target, [entry]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After every microtask and tick queued now: the loaders' dispatches and the fetches they start.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.pending];
    this.pending.clear();
    for (const [client, statements] of groups) void this.send(client, statements);
  }

  private async send(client: SqlQueries, statements: Pending[]): Promise<void> {
    const parts: Array<{ statement: Pending; rows: (value: unknown) => Row[]; sql: string }> = [];
    const params: unknown[] = [];
    const alone: Pending[] = [];
    if (statements.length > 1) {
      for (const statement of statements) {
        const part = partOf(statement.text, params.length, statement.columns!, statement.order, parts.length);
        if (part === null) alone.push(statement);
        else {
          parts.push({ statement, ...part });
          params.push(...statement.params);
        }
      }
    } else alone.push(...statements);
    if (parts.length === 1) alone.push(parts.pop()!.statement);
    for (const statement of alone) client.query(statement.text, statement.params).then(statement.resolve, statement.reject);
    if (parts.length === 0) return;
    let row: Row;
    try {
      [row] = await client.query(`select ${parts.map((p) => p.sql).join(', ')}`, params);
    } catch (error) {
      for (const { statement } of parts) {
        if (final(error)) statement.reject(error);
        else client.query(statement.text, statement.params).then(statement.resolve, statement.reject);
      }
      return;
    }
    parts.forEach((part, i) => {
      try {
        part.statement.resolve(part.rows(row[`r${i}`]));
      } catch (error) {
        part.statement.reject(error);
      }
    });
  }
}
