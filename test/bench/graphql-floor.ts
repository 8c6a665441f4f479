import 'reflect-metadata';
import http from 'node:http';
import { buildSchema, parse, type GraphQLFieldResolver } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { Pool } from 'pg';
import { analystKs, HAND_WRITTEN, type ReportName } from './report-queries';

/**
 * The stack's floor for `bench:reports`: the report queries answered by the least a GraphQL
 * server on this stack can do — Node's http, graphql-jit and pg running each report's
 * hand-written statement, mapping its rows to the hub's cell shape — and nothing of the hub (no
 * token, agreement, suppression of its own, audit, Apollo or limits) but the analyst's k, read at
 * start from the agreements file as the hub reads it. What it costs over the SQL
 * is what serving the cells as GraphQL over HTTP costs; what the hub costs over it is the hub's.
 * Run as a child process (`spawnHub` with this entry) over DATABASE_URL; prints its URL.
 */
const schema = buildSchema(`
  scalar DateTime
  input Window { from: DateTime!, to: DateTime! }
  enum Group { MONTH DIVISION VIOLATION_CODE HOUR CHECKPOINT STATION }
  enum Measure { COUNT OVERLOADED OVERLOAD_RATE MAX_RATIO }
  type Key { value: String! }
  type Value { measure: Measure! value: Float }
  type Cell { keys: [Key!]! count: Int values: [Value!]! }
  type Result { source: String! truncated: Boolean! cells: [Cell!]! }
  type Query {
    caseStats(filter: Window!, groupBy: [Group!]!, measures: [Measure!]!, first: Int!): Result
    captureStats(window: Window!, groupBy: [Group!]!, measures: [Measure!]!, first: Int!): Result
    weighingStats(filter: Window!, groupBy: [Group!]!, measures: [Measure!]!, first: Int!): Result
  }`);

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

type Row = Record<string, string | number | null>;
const num = (v: string | number | null) => (v === null ? null : Number(v));
const MEASURE_COLUMNS: Readonly<Record<string, string>> = { COUNT: 'n', OVERLOADED: 'overloaded', OVERLOAD_RATE: 'rate', MAX_RATIO: 'max_ratio' };

function stats(name: ReportName, k: number): GraphQLFieldResolver<unknown, unknown> {
  return async (_source, args: { filter?: { from: string; to: string }; window?: { from: string; to: string }; measures: string[]; first: number }) => {
    const window = args.filter ?? args.window!;
    // Checked out and released as the hub's SqlClient does (pool.query would keep a result per connection).
    const client = await pool.connect();
    let rows: Row[];
    try {
      rows = (await client.query<Row>(HAND_WRITTEN[name].sql, [window.from, window.to, k])).rows;
    } finally {
      client.release();
    }
    // The statement's key columns (k0, k1…) are the cell's keys, in order.
    const keyColumns = rows.length ? Object.keys(rows[0]).filter((column) => /^k\d+$/.test(column)) : [];
    return {
      source: 'ROLLUP',
      truncated: rows.length > args.first,
      cells: rows.slice(0, args.first).map((r) => ({
        keys: keyColumns.map((column) => ({ value: r[column] })),
        count: num(r.n),
        values: args.measures.map((measure) => ({ measure, value: num(r[MEASURE_COLUMNS[measure]]) })),
      })),
    };
  };
}

const compiled = new Map<string, CompiledQuery>();
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
      let run = compiled.get(query);
      if (!run) {
        const made = compileQuery(schema, parse(query));
        if (!isCompiledQuery(made)) throw new Error(JSON.stringify(made.errors));
        compiled.set(query, (run = made));
      }
      const result = await run.query(undefined, {}, variables);
      res.setHeader('content-type', 'application/json');
      res.end(Buffer.from(`${JSON.stringify(result)}\n`));
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
});
void analystKs().then((k) => {
  const fields = schema.getQueryType()!.getFields();
  fields.caseStats.resolve = stats('cases', k.cases);
  fields.captureStats.resolve = stats('flow', k.flow);
  fields.weighingStats.resolve = stats('weighings', k.weighings);
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.stdout.write(`stack floor ready: GraphQL at http://127.0.0.1:${address.port}/graphql\n`);
  });
});
process.once('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
