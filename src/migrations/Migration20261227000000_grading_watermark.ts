import { Migration } from '@mikro-orm/migrations';

/** The tables risk grading reads that did not record their writer yet (the clue rules' ones do, migration derivation_watermark). */
const GRADED_TABLES = ['enterprise', 'credit_rating', 'credit_list_entry', 'abnormal_operation', 'clue'];

/**
 * A commit-ordered change detection for risk grading on every table it reads. Until now the
 * enterprises, credit ratings and list entries, abnormal-operation listings and clues were read by
 * when their writer stamped them, again for a minute: a batch that committed more than a minute
 * after it stamped its rows was not graded until a full run. Now they record the transaction that
 * last wrote each row (`derive_xid`, with the same default and trigger as the clue rules' tables;
 * a clue's workflow step bumps its version, so its event needs no column of its own), and the
 * grading's snapshot cursor reads them as it reads the others. The index serves the xid range an
 * incremental run reads, and the calendar's: without them each run scanned those tables whole.
 * Existing rows get xid 0, which no span contains: the cursor loses its snapshot, so the first run
 * after this migration is a full one and grades what the old detection had not read yet.
 */
export class Migration20261227000000_grading_watermark extends Migration {
  override async up(): Promise<void> {
    for (const table of GRADED_TABLES) {
      // A constant default first (no table rewrite), then the writer's transaction for new rows.
      this.addSql(`alter table ${table} add column derive_xid xid8 not null default '0'`);
      this.addSql(`alter table ${table} alter column derive_xid set default pg_current_xact_id()`);
      this.addSql(`create index ${table}_derive_xid_index on ${table} (derive_xid)`);
      this.addSql(`create trigger ${table}_stamps_derive_xid before update on ${table} for each row execute function stamp_derive_xid()`);
    }
    // The calendar's side of a run: listings that began or ended, licences and certificates that ran out since the last run.
    for (const table of ['credit_list_entry', 'abnormal_operation']) {
      this.addSql(`create index ${table}_listed_on_index on ${table} (listed_on)`);
      this.addSql(`create index ${table}_removed_on_index on ${table} (removed_on) where removed_on is not null`);
    }
    this.addSql('create index operator_licence_valid_to_index on operator_licence (valid_to)');
    this.addSql('create index vehicle_certificate_valid_to_index on vehicle (transport_certificate_valid_to)');
    // A run's open-clue deduction looks up the clues about its few operators, their vehicles and cases: without these it read every clue.
    this.addSql('create index clue_subject_index on clue (subject_type, subject_key)');
    this.addSql(`create index clue_vehicle_index on clue (plate_number, plate_color) where subject_type = 'VEHICLE'`);
    this.addSql('update risk_grade_cursor set graded_snapshot = null');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists clue_vehicle_index');
    this.addSql('drop index if exists clue_subject_index');
    this.addSql('drop index if exists vehicle_certificate_valid_to_index');
    this.addSql('drop index if exists operator_licence_valid_to_index');
    for (const table of ['credit_list_entry', 'abnormal_operation']) {
      this.addSql(`drop index if exists ${table}_removed_on_index`);
      this.addSql(`drop index if exists ${table}_listed_on_index`);
    }
    for (const table of GRADED_TABLES) {
      this.addSql(`drop trigger if exists ${table}_stamps_derive_xid on ${table}`);
      this.addSql(`alter table ${table} drop column derive_xid`);
    }
  }
}
