import { Migration } from '@mikro-orm/migrations';

/**
 * The queue job a run belongs to: when the job is retried (its worker was killed, or a transient
 * failure), the run it left RUNNING is closed rather than shown as under way forever.
 */
export class Migration20261129100000_sync_run_job extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table sync_run add column job_id text null');
    this.addSql(`create index sync_run_running_job_index on sync_run (job_id) where status = 'RUNNING'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists sync_run_running_job_index');
    this.addSql('alter table sync_run drop column job_id');
  }
}
