import type { Pool } from 'pg';

/**
 * Blocks a statement reads as PostgreSQL plans and runs it (`explain (analyze, buffers)`): what a
 * test bounds to show a statement reads by index, not its whole table.
 */
export async function blocksRead(pool: Pick<Pool, 'query'>, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ 'QUERY PLAN': Array<{ Plan: Record<string, number> }> }>(`explain (analyze, buffers, format json) ${sql}`, params);
  const plan = rows[0]['QUERY PLAN'][0].Plan;
  return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
}
