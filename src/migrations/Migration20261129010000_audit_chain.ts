import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail: an append-only, hash-chained event table and signed chain heads. Triggers
 * refuse UPDATE, DELETE and TRUNCATE for every role that does not own the table; the chain and
 * the signed heads make any change made around them (by an owner or superuser) detectable.
 */
export class Migration20261129010000_audit_chain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table audit_event (
      seq bigint primary key,
      occurred_at timestamptz not null,
      content jsonb not null,
      prev_hash text not null,
      hash text not null)`);
    this.addSql(`create table audit_head_signature (
      seq bigint primary key,
      hash text not null,
      signed_at timestamptz not null,
      key_id text not null,
      signature text not null)`);
    this.addSql(`create function audit_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit records are append-only (% on %)', tg_op, tg_table_name using errcode = '42501';
      end $$`);
    for (const table of ['audit_event', 'audit_head_signature']) {
      this.addSql(`create trigger ${table}_no_update_delete before update or delete on ${table} for each row execute function audit_append_only()`);
      this.addSql(`create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function audit_append_only()`);
      this.addSql(`revoke update, delete, truncate on ${table} from public`);
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists audit_head_signature');
    this.addSql('drop table if exists audit_event');
    this.addSql('drop function if exists audit_append_only()');
  }
}
