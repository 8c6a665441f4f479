import { Migration } from '@mikro-orm/migrations';

/**
 * What a list of clues is ordered by "last seen": the latest evidence's time, except for the kinds
 * whose evidence is checkpoint captures (`CAPTURE_DERIVED_KINDS`, src/domains/clue/clue-codes.ts),
 * for which it is the start of that Beijing day. Captures are police data read only under a case;
 * ordered by the exact time, a clue of those kinds would sort between clues whose times the caller
 * sees, and give its capture time away. Stored (a generated column), so the derivation that writes
 * clues keeps it right without knowing it, and indexed for the keyset pages.
 */
export class Migration20261220000000_clue_listed_order extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table clue add column listed_at timestamptz generated always as (
      case when kind in ('EXPIRED_OR_REVOKED_BUT_ACTIVE', 'ILLEGAL_OPERATION', 'CLONED_PLATE')
        then timezone('Asia/Shanghai', date_trunc('day', timezone('Asia/Shanghai', last_seen)))
        else last_seen end) stored`);
    this.addSql('create index clue_listed_at_id_index on clue (listed_at, id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists clue_listed_at_id_index');
    this.addSql('alter table clue drop column listed_at');
  }
}
