import { createHash } from 'node:crypto';
import { Pool, types as pgTypes } from 'pg';
import { QueryTimeoutError, ServiceUnavailableError } from '../errors';
import type { QueryCounter } from './query-counter';
import { DATE_OID } from './read-values';
import { isUnavailable } from './unavailable';

/** Runs a statement when a slot is free (an agency's share of the read pool). */
export interface StatementGate {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** PostgreSQL's query_canceled: what `statement_timeout` raises. */
const QUERY_CANCELED = '57014';

/** Most statement shapes named per process: each connection keeps at most this many prepared. */
const MAX_PREPARED_SHAPES = 512;

/**
 * Names for statement texts: a text's name is its digest, so each pooled connection parses and
 * plans a shape once (PostgreSQL then reuses its plan, generic where that is no dearer) instead
 * of on every request; planning a statement over many partitions cost more than running it. The
 * texts carry no values (every value is a parameter), so shapes are few; past the cap a text
 * runs unnamed, so a stream of new shapes cannot grow every connection's statement cache.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly cap = MAX_PREPARED_SHAPES) {}

  of(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.cap) {
      name = `xt_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
      this.names.set(text, name);
    }
    return name;
  }
}

/**
 * How a statement is planned. `shape` (the default): once per connection and text, as a named
 * statement (see `StatementNames`). `values`: for the values it is sent with, every time (an
 * unnamed statement), where the best plan turns on them (the read gateway's `aggregate` says why).
 */
export type PlanFor = 'shape' | 'values';

/** What a reader needs of a client: statements in, rows out. */
export interface SqlQueries {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], planFor?: PlanFor): Promise<R[]>;
  /** The client a statement sent now goes to, where this one chooses per statement (a replica or the primary). */
  target?(): SqlQueries;
}

/**
 * The read path's connection to PostgreSQL: plain `pg`, counted, held by the read gateway alone
 * (`src/read-kit/rows/read-gateway.ts`), which writes every request read. Reads skip the ORM's
 * connection layer, whose per-statement overhead exceeded the statements themselves.
 */
export class SqlClient implements SqlQueries {
  constructor(
    private readonly pool: Pool,
    private readonly counter: QueryCounter,
    /** The pool's statement timeout (ms), to say it in the error; null when there is none. */
    private readonly timeoutMs: number | null = null,
    private readonly gate: StatementGate | null = null,
    private readonly names = new StatementNames(),
  ) {}

  /** The same client, its statements queued behind `gate` (one request's agency share). */
  gated(gate: StatementGate): SqlClient {
    return new SqlClient(this.pool, this.counter, this.timeoutMs, gate, this.names);
  }

  async query<R = Record<string, unknown>>(text: string, params: readonly unknown[] = [], planFor: PlanFor = 'shape'): Promise<R[]> {
    const name = planFor === 'shape' ? this.names.of(text) : undefined;
    this.counter.record(text, params, name);
    const run = async () => {
      // Not `pool.query`: pg-pool's callback for a connection it opens for a query keeps that
      // query's promise, so every pooled connection held the rows of the statement that opened it
      // (a page, a report's cells) for as long as it lived. Released with the error, as
      // `pool.query` does: a connection a statement failed on is not reused.
      const client = await this.pool.connect();
      // A connection lost mid-statement fails the statement and is also emitted as 'error', which
      // unheard would end the process (pg-pool listens only while the connection is idle); the
      // statement's rejection carries it.
      const heard = () => undefined;
      client.on('error', heard);
      let failure: Error | undefined;
      try {
        return await client.query({ name, text, values: params as unknown[] });
      } catch (error) {
        failure = error as Error;
        throw error;
      } finally {
        client.removeListener('error', heard);
        client.release(failure);
      }
    };
    try {
      const result = await (this.gate ? this.gate.run(run) : run());
      return result.rows as R[];
    } catch (error) {
      // The statement's text stays in the log: the caller learns only that it took too long.
      if (this.timeoutMs !== null && (error as { code?: unknown }).code === QUERY_CANCELED) throw new QueryTimeoutError(this.timeoutMs);
      if (isUnavailable(error)) throw new ServiceUnavailableError('database');
      throw error;
    }
  }
}

/**
 * How long a statement waits for a pooled connection before it is refused (ms). Bounded, so that
 * under more load than the pool serves (or while PostgreSQL restarts) requests are shed with a
 * 503 early instead of queueing without end behind the pool.
 */
export const POOL_WAIT_MS = 3000;

/**
 * A pool whose `date` columns stay `YYYY-MM-DD` text (pg would make them local-midnight Dates).
 * An idle connection that dies (server restart, terminated backend) is reported, not thrown:
 * unhandled, pg's 'error' event would end the hub.
 */
/** The role the hub's pooled connections act as (see the app_role migration). */
export const APP_ROLE = 'xietong_app';

export function createPool(url: string, max: number, onIdleError: (error: Error) => void, statementTimeoutMs?: number): Pool {
  const pool = new Pool({
    connectionString: url,
    // Every request and sync write runs as the application role, which may not update or delete
    // audit rows (set at connection start-up, before any statement). A read pool also bounds
    // every statement, so no request holds a connection (and the CPU behind it) for long.
    options: `-c role=${APP_ROLE}${statementTimeoutMs ? ` -c statement_timeout=${statementTimeoutMs}` : ''}`,
    max,
    connectionTimeoutMillis: POOL_WAIT_MS,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? (value: string) => value : pgTypes.getTypeParser(oid, format ?? 'text')) as typeof pgTypes.getTypeParser,
    },
  });
  pool.on('error', onIdleError);
  // A connection the server ends while it is checked out but between statements (a restart during
  // a batch's upstream read) emits 'error' on the client, where pg-pool listens only while it is
  // idle: unheard, it would end the process. Its next statement fails, and pg-pool discards it.
  pool.on('connect', (client) => client.on('error', onIdleError));
  return pool;
}
