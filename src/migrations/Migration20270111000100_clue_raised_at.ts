import { Migration } from '@mikro-orm/migrations';

/**
 * When a clue was first raised: what its handling time is measured from (`clueStats`). Set on
 * insert and never by the derivation's update, which re-derives a clue in place. Clues raised
 * before it start from when the derivation last wrote them, the best the hub knows.
 */
export class Migration20270111000100_clue_raised_at extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table clue add column raised_at timestamptz(3) null');
    this.addSql('update clue set raised_at = provenance_synced_at');
    this.addSql('alter table clue alter column raised_at set default now(), alter column raised_at set not null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table clue drop column raised_at');
  }
}
