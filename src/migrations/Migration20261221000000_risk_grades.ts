import { Migration } from '@mikro-orm/migrations';

/**
 * Enterprise risk grades (分类分级), the hub's own records (provenance system HUB): the current
 * grade of each operator enterprise, its monthly snapshots, the log of grade changes and the
 * grading's cursor.
 *
 * `enterprise_risk_grade_change` is the event log of grade changes, append-only (the hub's role
 * may insert and read, never update or delete), one row per change of an enterprise's grade in
 * the order the grading committed them (`id`): `old_grade` null for an enterprise graded for the
 * first time, `new_grade` null (and `score` null) for one no longer graded (it holds no operator
 * licence any more). A reader that follows it keeps the last `id` it has seen; rows are written in
 * the grading's transaction, so a reader sees a change exactly when the new grade is visible.
 */
export class Migration20261221000000_risk_grades extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table enterprise_risk_grade (
      uscc text primary key,
      division text not null,
      score integer not null,
      grade text not null,
      rule_version text not null,
      computed_at timestamptz(3) not null,
      deductions jsonb not null,
      cites text[] not null,
      provenance_system text not null,
      provenance_record_id text not null,
      provenance_source_updated_at timestamptz(3) not null,
      provenance_synced_at timestamptz(3) not null,
      provenance_content_hash text not null,
      deleted_at timestamptz(3) null)`);
    this.addSql('create index enterprise_risk_grade_division_index on enterprise_risk_grade (division text_pattern_ops)');
    // A changed record re-grades every enterprise that counted it, wherever the record went.
    this.addSql('create index enterprise_risk_grade_cites_index on enterprise_risk_grade using gin (cites)');
    this.addSql(`create table enterprise_risk_grade_month (
      uscc text not null,
      month date not null,
      division text not null,
      score integer not null,
      grade text not null,
      rule_version text not null,
      computed_at timestamptz(3) not null,
      primary key (uscc, month))`);
    this.addSql(`create table enterprise_risk_grade_change (
      id bigserial primary key,
      uscc text not null,
      division text not null,
      old_grade text null,
      new_grade text null,
      score integer null,
      rule_version text not null,
      changed_at timestamptz(3) not null)`);
    this.addSql('create index enterprise_risk_grade_change_division_index on enterprise_risk_grade_change (division text_pattern_ops, id)');
    this.addSql('revoke update, delete, truncate on enterprise_risk_grade_change from xietong_app');
    // One row: what the incremental grading has covered (the transactions its snapshot saw, for the
    // tables that record their writer, migration derivation_watermark; changes synced before
    // graded_through for the others; the calendar up to as_of), moved in the transaction that
    // writes the grades.
    this.addSql(`create table risk_grade_cursor (
      id boolean primary key default true check (id),
      graded_snapshot pg_snapshot null,
      graded_through timestamptz(3) not null,
      as_of timestamptz(3) not null,
      rule_version text not null,
      snapshot_month date not null,
      updated_at timestamptz(3) not null)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists risk_grade_cursor');
    this.addSql('drop table if exists enterprise_risk_grade_change');
    this.addSql('drop table if exists enterprise_risk_grade_month');
    this.addSql('drop table if exists enterprise_risk_grade');
  }
}
