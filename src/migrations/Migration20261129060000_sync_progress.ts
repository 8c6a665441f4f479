import { Migration } from '@mikro-orm/migrations';

/**
 * Live progress of sync runs (a heartbeat and counts after every batch, an estimate from the last
 * complete run) and runs queued by an operator before a worker takes them. At most one queued
 * run per stream: a second trigger finds the first.
 */
export class Migration20261129060000_sync_progress extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table sync_run add column heartbeat_at timestamptz null');
    this.addSql('alter table sync_run add column estimated_batches integer null');
    this.addSql('alter table sync_run add column requested_by text null');
    this.addSql("create unique index sync_run_one_queued_index on sync_run (system, stream) where status = 'QUEUED'");
    this.addSql('create index sync_run_started_index on sync_run (started_at desc, id desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists sync_run_started_index');
    this.addSql('drop index if exists sync_run_one_queued_index');
    this.addSql('alter table sync_run drop column requested_by, drop column estimated_batches, drop column heartbeat_at');
  }
}
