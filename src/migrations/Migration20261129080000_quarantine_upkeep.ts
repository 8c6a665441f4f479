import { Migration } from '@mikro-orm/migrations';

/**
 * Quarantine upkeep: an entry is resolved when a valid version of its record later lands, and a
 * record with a source id has at most one open entry (a changed bad record replaces its entry
 * instead of adding a second). Records without a source id stay keyed by their content.
 */
export class Migration20261129080000_quarantine_upkeep extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table quarantined_record add column resolved_at timestamptz null');
    // LANDED: a valid version reached the hub; REPLACED: the source sent a different bad version.
    this.addSql(`alter table quarantined_record add column resolution text null
      constraint quarantined_record_resolution_check check (resolution in ('LANDED', 'REPLACED'))`);
    this.addSql('drop index if exists quarantined_record_once_index');
    // Older duplicates of one open source id: keep the newest open, resolve the rest.
    this.addSql(`update quarantined_record q set resolved_at = now(), resolution = 'REPLACED'
      where q.released_at is null and q.source_id is not null and exists (
        select 1 from quarantined_record n where n.system = q.system and n.stream = q.stream and n.source_id = q.source_id
          and n.released_at is null and n.id > q.id)`);
    this.addSql(`create unique index quarantined_record_open_source_index on quarantined_record (system, stream, source_id)
      where released_at is null and resolved_at is null and source_id is not null`);
    this.addSql(`create unique index quarantined_record_open_anonymous_index on quarantined_record (system, stream, raw_hash)
      where released_at is null and resolved_at is null and source_id is null`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists quarantined_record_open_anonymous_index');
    this.addSql('drop index if exists quarantined_record_open_source_index');
    this.addSql(`create unique index quarantined_record_once_index on quarantined_record (system, stream, coalesce(source_id, ''), raw_hash)
      where released_at is null`);
    this.addSql('alter table quarantined_record drop column resolution, drop column resolved_at');
  }
}
