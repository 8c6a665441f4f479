import { Migration } from '@mikro-orm/migrations';

/**
 * When a clue was first raised: what its handling time is measured from (`clueStats`). Set on
 * insert and never by the derivation's update, which re-derives a clue in place. Clues raised
 * before it start from when the derivation last wrote them or their first workflow step, whichever
 * came first (a re-derivation after a clue was closed must not make its handling time negative).
 */
export class Migration20270111000100_clue_raised_at extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table clue add column raised_at timestamptz(3) null');
    this.addSql('update clue c set raised_at = least(c.provenance_synced_at, (select min(e.at) from clue_event e where e.clue_id = c.id))');
    this.addSql('alter table clue alter column raised_at set default now(), alter column raised_at set not null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table clue drop column raised_at');
  }
}
