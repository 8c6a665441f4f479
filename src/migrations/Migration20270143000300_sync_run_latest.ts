import { Migration } from '@mikro-orm/migrations';

/**
 * Each stream's newest finished run, found down an index from the newest (`LATEST_RUNS` in
 * sync-history.ts): the operators' connectors query read every run ever recorded for it, and
 * `sync_run` is never pruned.
 */
export class Migration20270143000300_sync_run_latest extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index sync_run_finished_index on sync_run (system, stream, id) where status not in ('QUEUED', 'RUNNING')`);
    // Never analysed, a table of one row per stream is planned as ten pages of rows: the query,
    // costed at 180,000, was JIT-compiled on every call (33 ms against 0.4 ms). Analysed, even
    // empty, it is planned at its size until autovacuum analyses it as streams and runs change it.
    this.addSql('analyze sync_stream_written');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists sync_run_finished_index');
  }
}
