import { Client } from 'pg';

/**
 * The sequential and index scans of `table` that the statements `run` sends make, counted in one
 * transaction on a connection of its own (a backend's counts not yet reported include its earlier
 * transactions'): what a test bounds to show statements find rows by index, not by reading the table.
 */
export async function scansMade(url: string, table: string, run: (client: Client) => Promise<void>): Promise<{ seq: number; idx: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await run(client);
    const { rows } = await client.query<{ seq_scan: string; idx_scan: string | null }>(
      'select seq_scan::text, idx_scan::text from pg_stat_xact_user_tables where relname = $1',
      [table],
    );
    return { seq: Number(rows[0].seq_scan), idx: Number(rows[0].idx_scan ?? 0) };
  } finally {
    await client.end();
  }
}
