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

/** A scan of one day partition in a plan's text. */
const PARTITION_SCAN = / on checkpoint_capture_p\d{8} /;

/** A plan's lines with each run of partition scans shown once: the first, then how many more and which days. */
function condensed(lines: readonly string[]): string[] {
  const out: string[] = [];
  let run: { indent: number; first: string; last: string; count: number } | null = null;
  const close = () => {
    if (run && run.count > 1) out.push(`${' '.repeat(run.indent)}… and ${run.count - 1} more like it, to ${run.last}`);
    run = null;
  };
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const scan = PARTITION_SCAN.exec(line);
    if (scan) {
      const day = /checkpoint_capture_p\d{8}/.exec(line)![0];
      if (run && run.indent === indent) {
        run.count += 1;
        run.last = day;
        continue;
      }
      close();
      run = { indent, first: day, last: day, count: 1 };
      out.push(`   ${line}`);
      continue;
    }
    // The details of a partition scan after the run's first are left out.
    if (run && indent > run.indent && run.count > 1) continue;
    if (run && indent <= run.indent) close();
    out.push(`   ${line}`);
  }
  close();
  return out;
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
    for (const [k, s] of statements.entries()) {
      await client.query(`prepare bench_explain_${k} as ${s.text}`);
      const args = s.params.map((p) => literal(p)).join(', ');
      const explain = async (mode: string) => {
        await client.query(`set plan_cache_mode = ${mode}`);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, costs off, summary on) execute bench_explain_${k}${s.params.length ? `(${args})` : ''}`,
        );
        return rows.map((r) => r['QUERY PLAN']);
      };
      console.log(`-- ${s.name ? `prepared as ${s.name}: ` : ''}${s.text.replace(/\s+/g, ' ')}`);
      console.log(`   generic plan:\n${condensed(await explain('force_generic_plan')).join('\n')}`);
      // Planned for its values every time, as PostgreSQL does while the generic plan's estimate is dearer.
      const custom = await explain('force_custom_plan');
      console.log(
        `   custom plan: ${custom
          .filter((l) => /Planning Time|Execution Time|Subplans Removed/.test(l))
          .map((l) => l.trim())
          .join(', ')}`,
      );
      console.log(`   custom plan, partitions scanned: ${custom.filter((l) => PARTITION_SCAN.test(l)).length}`);
    }
  } finally {
    await client.query('deallocate all');
    client.release();
  }
}
