import { Migration } from '@mikro-orm/migrations';

/**
 * The state the CLONED_PLATE rule keeps between runs, in tables the derivation transaction
 * maintains with the clues and the cursor: each plate's last capture derived so far
 * (`cloned_plate_last`), and the consecutive captures of a plate at most the rule's reach apart
 * (`cloned_plate_pair`, one row per later capture). A run adds the pairs its new captures make,
 * from the plate's last capture when they come in order, and judges the pairs, not the captures.
 * Filled by the first run after this migration (the cursor has no snapshot yet: a full run).
 */
export class Migration20261224010000_cloned_plate_state extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table cloned_plate_last (
      plate_number text not null,
      plate_color text not null,
      source_serial bigint not null,
      captured_at timestamptz(3) not null,
      checkpoint_code text not null,
      primary key (plate_number, plate_color))`);
    this.addSql(`create table cloned_plate_pair (
      plate_number text not null,
      plate_color text not null,
      to_at timestamptz(3) not null,
      to_serial bigint not null,
      to_code text not null,
      from_at timestamptz(3) not null,
      from_serial bigint not null,
      from_code text not null,
      primary key (plate_number, plate_color, to_at, to_serial))`);
    // Which cursor is the rule's is in the rule file, not here: every rule's next run is a full one.
    this.addSql('update clue_derivation_cursor set derived_snapshot = null');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists cloned_plate_pair');
    this.addSql('drop table if exists cloned_plate_last');
  }
}
