import { Migration } from '@mikro-orm/migrations';

/**
 * Verified checkpoints of the audit chain: a signed head that a verification walked up to and
 * found intact. Later verifications go on from the newest one instead of from the first event.
 * Append-only like the chain; the hub's role may read and add them, never change them.
 */
export class Migration20261203000000_audit_checkpoint extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table audit_verified_checkpoint (
      seq bigint primary key,
      hash text not null,
      head_key_id text not null,
      verified_at timestamptz not null,
      full_walk boolean not null)`);
    this.addSql(`create trigger audit_verified_checkpoint_no_update_delete before update or delete on audit_verified_checkpoint
      for each row execute function audit_append_only()`);
    this.addSql(`create trigger audit_verified_checkpoint_no_truncate before truncate on audit_verified_checkpoint
      for each statement execute function audit_append_only()`);
    this.addSql('revoke all on audit_verified_checkpoint from public');
    this.addSql('revoke all on audit_verified_checkpoint from xietong_app');
    this.addSql('grant select, insert on audit_verified_checkpoint to xietong_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists audit_verified_checkpoint');
  }
}
