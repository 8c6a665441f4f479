import { Migration } from '@mikro-orm/migrations';

/**
 * FULL reads that resume: where an unfinished snapshot of a stream stands (its own cursor, apart
 * from the stream's incremental one) and which records it has seen so far, so a FULL run that
 * fails or is stopped continues where it stopped, and reconciliation still judges a whole snapshot.
 */
export class Migration20261129090000_sync_snapshot extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table sync_snapshot (
      system text not null,
      stream text not null,
      started_at timestamptz not null,
      cursor jsonb null,
      primary key (system, stream))`);
    this.addSql(`create table sync_snapshot_seen (
      system text not null,
      stream text not null,
      record_id text not null,
      primary key (system, stream, record_id))`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists sync_snapshot_seen');
    this.addSql('drop table if exists sync_snapshot');
  }
}
