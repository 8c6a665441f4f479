import { Migration } from '@mikro-orm/migrations';

/**
 * A FULL read's snapshot carries its own version: its batches are checked against it, not the
 * stream's, so incremental runs going on meanwhile no longer supersede the FULL run (nor it them).
 */
export class Migration20261129110000_snapshot_version extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table sync_snapshot add column version bigint not null default 0');
  }

  override async down(): Promise<void> {
    this.addSql('alter table sync_snapshot drop column version');
  }
}
