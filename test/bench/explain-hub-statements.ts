import type { Pool } from 'pg';
import type { Database } from '../../src/db/database';

// The driver's own rendering of a parameter (arrays as array literals, dates in ISO), untyped in @types/pg.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => string | null };

/** A parameter as a literal for `execute name(...)`: what the driver would send, quoted. */
function literal(value: unknown): string {
  const prepared = prepareValue(value);
  return prepared === null ? 'null' : `'${String(prepared).replace(/'/g, "''")}'`;
}

/**
 * Prints the plan (EXPLAIN ANALYZE) of each statement on `checkpoint_capture` that `request`
 * makes the in-process hub send, with its own parameters. Planned generic (`force_generic_plan`),
 * as a prepared statement is once its plan is cached: partitions must then be pruned at execution
 * ("Subplans Removed"), not at planning.
 */
export async function explainHubStatements(owner: Pool, db: Database, label: string, request: () => Promise<unknown>): Promise<void> {
  const { sent } = await db.counter.capture(request);
  const statements = sent.filter((s) => /checkpoint_capture/.test(s.text));
  console.log(`\n${label}: ${sent.length} statements through the read client, ${statements.length} on checkpoint_capture`);
  const client = await owner.connect();
  try {
    await client.query('set plan_cache_mode = force_generic_plan');
    for (const [k, s] of statements.entries()) {
      await client.query(`prepare bench_explain_${k} as ${s.text}`);
      const args = s.params.map((p) => literal(p)).join(', ');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, costs off, summary on) execute bench_explain_${k}${s.params.length ? `(${args})` : ''}`,
      );
      console.log(`-- ${s.name ? `prepared as ${s.name}: ` : ''}${s.text.replace(/\s+/g, ' ')}`);
      console.log(rows.map((r) => `   ${r['QUERY PLAN']}`).join('\n'));
    }
  } finally {
    await client.query('deallocate all');
    client.release();
  }
  // Which plans the hub's own connections settled on, after enough runs for PostgreSQL to choose.
  for (let i = 0; i < 20; i++) await request();
  const names = new Set(statements.flatMap((s) => (s.name ? [s.name] : [])));
  const held = await Promise.all(Array.from({ length: READ_POOL_SIZE }, () => db.pool.connect()));
  try {
    for (const [k, c] of held.entries()) {
      const { rows } = await c.query<{ name: string; generic_plans: string; custom_plans: string }>(
        'select name, generic_plans, custom_plans from pg_prepared_statements where name = any($1)',
        [[...names]],
      );
      for (const r of rows) console.log(`   read connection ${k + 1}, ${r.name}: ${r.generic_plans} generic, ${r.custom_plans} custom plans`);
    }
  } finally {
    for (const c of held) c.release();
  }
}

/** Connections of the hub's read pool (`openDatabase`). */
const READ_POOL_SIZE = 4;
