import type { Pool } from 'pg';

/**
 * How big the hub's tables are, as PostgreSQL's own statistics say: what list pricing
 * (`src/graphql/list-pricing.ts`) reads per request, without a query per request.
 */
export interface TableStatistics {
  /** Estimated live rows of a table (a partitioned one: all its partitions), 0 when unknown. */
  rowsOf(table: string): number;
  /** Estimated captures per capture-day partition (mean over the partitions that hold rows), 0 when unknown. */
  readonly captureRowsPerDay: number;
}

/** Statistics that know nothing: every estimate is 0 (lists then cost what they return). */
export const NO_STATISTICS: TableStatistics = Object.freeze({ rowsOf: () => 0, captureRowsPerDay: 0 });

/** Fixed numbers (tests, or a deployment that wants to price by a known volume). */
export function fixedStatistics(rows: Readonly<Record<string, number>>, captureRowsPerDay: number): TableStatistics {
  return { rowsOf: (table) => rows[table] ?? 0, captureRowsPerDay };
}

const CAPTURE_TABLE = 'checkpoint_capture';

/**
 * Reads the estimates once: `pg_class.reltuples` where the table was analysed, else the
 * statistics collector's live-row count (autovacuum has not analysed a freshly loaded table yet).
 * Catalog reads only: no table is scanned.
 */
export async function readTableStatistics(pool: Pool): Promise<TableStatistics> {
  const { rows } = await pool.query<{ name: string; parent: string | null; rows: number }>(`
    select c.relname as name, p.relname as parent,
      greatest(case when c.reltuples >= 0 then c.reltuples else coalesce(s.n_live_tup, 0) end, 0)::float8 as rows
    from pg_class c
    left join pg_stat_user_tables s on s.relid = c.oid
    left join pg_inherits i on i.inhrelid = c.oid
    left join pg_class p on p.oid = i.inhparent
    where c.relkind = 'r' and c.relnamespace = current_schema()::regnamespace`);
  const byTable = new Map<string, number>();
  let captureRows = 0;
  let captureDays = 0;
  for (const row of rows) {
    const table = row.parent ?? row.name;
    byTable.set(table, (byTable.get(table) ?? 0) + row.rows);
    // Empty partitions are the days ahead the workers keep ready: not a day's volume.
    if (row.parent === CAPTURE_TABLE && row.rows > 0) {
      captureRows += row.rows;
      captureDays += 1;
    }
  }
  const captureRowsPerDay = captureDays ? captureRows / captureDays : 0;
  return { rowsOf: (table) => byTable.get(table) ?? 0, captureRowsPerDay };
}

/**
 * The current statistics, refreshed in the background every `intervalMs`: requests read the last
 * snapshot. A failed refresh keeps the previous one (and is reported).
 */
export class StatisticsCache {
  private snapshot: TableStatistics = NO_STATISTICS;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  get current(): TableStatistics {
    return this.snapshot;
  }

  async refresh(): Promise<TableStatistics> {
    try {
      this.snapshot = await readTableStatistics(this.pool);
    } catch (error) {
      this.onError(error);
    }
    return this.snapshot;
  }

  /** Reads now, then every `intervalMs` (the timer does not keep the process alive). */
  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
