import { Migration } from '@mikro-orm/migrations';

/** A bad record read again (look-back, FULL runs) is quarantined once while it stays unreleased. */
export class Migration20261129050000_quarantine_once extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table quarantined_record add column raw_hash text null');
    this.addSql('update quarantined_record set raw_hash = md5(raw::text)');
    this.addSql('alter table quarantined_record alter column raw_hash set not null');
    this.addSql(`create unique index quarantined_record_once_index on quarantined_record (system, stream, coalesce(source_id, ''), raw_hash)
      where released_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists quarantined_record_once_index');
    this.addSql('alter table quarantined_record drop column raw_hash');
  }
}
