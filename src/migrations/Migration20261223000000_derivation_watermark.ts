import { Migration } from '@mikro-orm/migrations';

/** The tables some clue rule reads: each row carries the transaction that last wrote it. */
const SOURCE_TABLES = ['checkpoint_capture', 'checkpoint', 'weighing', 'enforcement_case', 'vehicle', 'operator_licence'];

/**
 * A commit-ordered cursor for the clue derivation. Until now a run read the rows stamped (by the
 * sync, before its commit) later than its cursor less a safety lag: a batch that committed more
 * than the lag after it stamped its rows was never read. Now every row the rules read records the
 * transaction that wrote it (`derive_xid`: the default on insert, a trigger on every update, so a
 * soft delete or FULL snapshot counts as a change whatever path writes it), and each rule's cursor
 * keeps the snapshot its last run derived through: a run derives the rows its own snapshot sees
 * and the previous one did not, which is exactly the transactions committed in between, however
 * long they were open. Existing rows get xid 0 and existing cursors no snapshot: the first run
 * after this migration is a full one.
 */
export class Migration20261223000000_derivation_watermark extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function stamp_derive_xid() returns trigger language plpgsql as $$
      begin
        new.derive_xid := pg_current_xact_id();
        return new;
      end $$`);
    for (const table of SOURCE_TABLES) {
      // A constant default first (no table rewrite), then the writer's transaction for new rows.
      this.addSql(`alter table ${table} add column derive_xid xid8 not null default '0'`);
      this.addSql(`alter table ${table} alter column derive_xid set default pg_current_xact_id()`);
      this.addSql(`create index ${table}_derive_xid_index on ${table} (derive_xid)`);
      this.addSql(`create trigger ${table}_stamps_derive_xid before update on ${table} for each row execute function stamp_derive_xid()`);
    }
    this.addSql('drop index if exists checkpoint_capture_synced_at_index');
    this.addSql('alter table clue_derivation_cursor add column derived_snapshot pg_snapshot null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table clue_derivation_cursor drop column derived_snapshot');
    this.addSql('create index checkpoint_capture_synced_at_index on checkpoint_capture (synced_at)');
    for (const table of SOURCE_TABLES) {
      this.addSql(`drop trigger if exists ${table}_stamps_derive_xid on ${table}`);
      this.addSql(`alter table ${table} drop column derive_xid`);
    }
    this.addSql('drop function if exists stamp_derive_xid()');
  }
}
