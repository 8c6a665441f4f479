import { Pool, types as pgTypes } from 'pg';
import type { QueryCounter } from './query-counter';

/**
 * The read path's connection to PostgreSQL: plain `pg`, counted. Repositories build their SQL
 * (some with MikroORM's query builder) and run it here; per-request reads skip the ORM's
 * connection layer, whose per-statement overhead exceeded the statements themselves.
 */
export class SqlClient {
  constructor(private readonly pool: Pool, private readonly counter: QueryCounter) {}

  async query<R = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    this.counter.record(text);
    const result = await this.pool.query(text, params as unknown[]);
    return result.rows as R[];
  }
}

const DATE_OID = 1082;

/**
 * A pool whose `date` columns stay `YYYY-MM-DD` text (pg would make them local-midnight Dates).
 * An idle connection that dies (server restart, terminated backend) is reported, not thrown:
 * unhandled, pg's 'error' event would end the hub.
 */
/** The role the hub's pooled connections act as (see the app_role migration). */
export const APP_ROLE = 'xietong_app';

export function createPool(url: string, max: number, onIdleError: (error: Error) => void): Pool {
  const pool = new Pool({
    connectionString: url,
    // Every request and sync write runs as the application role, which may not update or delete
    // audit rows (set at connection start-up, before any statement).
    options: `-c role=${APP_ROLE}`,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === DATE_OID
        ? (value: string) => value
        : pgTypes.getTypeParser(oid, format ?? 'text'))) as typeof pgTypes.getTypeParser,
    },
  });
  pool.on('error', onIdleError);
  return pool;
}
