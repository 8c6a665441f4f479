import { Migration } from '@mikro-orm/migrations';

/**
 * Supervision clues, the hub's own records (provenance system HUB): the clue, the records it rests
 * on, and the derivation's cursor. One clue per subject, kind and window (`clue_dedup_key`): the
 * derivation upserts on it, so running it twice changes nothing and new evidence extends a clue.
 */
export class Migration20261215000000_clues extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table clue (
      id text primary key,
      kind text not null,
      subject_type text not null,
      subject_key text not null,
      plate_number text null,
      plate_color text null,
      division text not null,
      severity text not null,
      severity_rank smallint not null,
      status text not null,
      rule_id text not null,
      rule_version text not null,
      window_start date not null,
      first_seen timestamptz(3) not null,
      last_seen timestamptz(3) not null,
      evidence_count integer not null,
      provenance_system text not null,
      provenance_record_id text not null,
      provenance_source_updated_at timestamptz(3) not null,
      provenance_synced_at timestamptz(3) not null,
      provenance_content_hash text not null,
      deleted_at timestamptz(3) null,
      constraint clue_dedup_key unique (kind, subject_type, subject_key, window_start))`);
    this.addSql('create index clue_last_seen_id_index on clue (last_seen desc, id)');
    this.addSql('create index clue_division_last_seen_index on clue (division text_pattern_ops, last_seen desc)');
    this.addSql(`create table clue_evidence (
      clue_id text not null references clue (id) on delete cascade,
      kind text not null,
      ref text not null,
      observed_at timestamptz(3) not null,
      recorded_state text null,
      weighing_source_id text null,
      capture_serial bigint null,
      captured_at timestamptz(3) null,
      case_number text null,
      plate_number text null,
      plate_color text null,
      licence_number text null,
      primary key (clue_id, kind, ref))`);
    this.addSql('create index clue_evidence_observed_index on clue_evidence (clue_id, observed_at desc, kind, ref)');
    // The incremental derivation reads the captures synced since its cursor.
    this.addSql('create index checkpoint_capture_synced_at_index on checkpoint_capture (synced_at)');
    // One row per rule: what the incremental derivation has covered, moved with the clues it wrote.
    this.addSql(`create table clue_derivation_cursor (
      rule_id text primary key,
      derived_through timestamptz(3) not null,
      rule_version text not null,
      updated_at timestamptz(3) not null)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists clue_derivation_cursor');
    this.addSql('drop index if exists checkpoint_capture_synced_at_index');
    this.addSql('drop table if exists clue_evidence');
    this.addSql('drop table if exists clue');
  }
}
