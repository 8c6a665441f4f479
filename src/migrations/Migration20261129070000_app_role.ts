import { Migration } from '@mikro-orm/migrations';

/**
 * The role the hub's own connections act as (`SET ROLE` on every pooled connection): it reads and
 * writes the data, but only reads and appends the audit trail. The role that owns the tables and
 * runs migrations is not used for requests, so no request path can edit or cut the audit chain,
 * nor switch off its triggers (only an owner can). Capture partitions are created by a function
 * that runs as its owner.
 */
export class Migration20261129070000_app_role extends Migration {
  override async up(): Promise<void> {
    // Roles are cluster-wide: databases migrated at the same time (tests) race to create it.
    this.addSql(`do $$ begin
        create role xietong_app nologin;
      exception when duplicate_object or unique_violation then null;
      end $$`);
    // The login that runs the hub must be able to act as the role (a superuser already can).
    this.addSql(`do $$ begin
        if not pg_has_role(current_user, 'xietong_app', 'MEMBER') then
          execute format('grant xietong_app to %I', current_user);
        end if;
      end $$`);
    this.addSql('grant usage on schema public to xietong_app');
    this.addSql('grant select, insert, update, delete on all tables in schema public to xietong_app');
    this.addSql('grant usage, select on all sequences in schema public to xietong_app');
    this.addSql('alter default privileges in schema public grant select, insert, update, delete on tables to xietong_app');
    this.addSql('alter default privileges in schema public grant usage, select on sequences to xietong_app');
    this.addSql('revoke all on audit_event, audit_head_signature from xietong_app');
    this.addSql('grant select, insert on audit_event, audit_head_signature to xietong_app');
    this.addSql('revoke all on mikro_orm_migrations from xietong_app');
    this.addSql('grant select on mikro_orm_migrations to xietong_app');
    this.addSql('alter function ensure_capture_partitions(date, date) security definer set search_path = public');
  }

  override async down(): Promise<void> {
    this.addSql('alter function ensure_capture_partitions(date, date) security invoker reset search_path');
    this.addSql('revoke all on all tables in schema public from xietong_app');
    this.addSql('revoke all on all sequences in schema public from xietong_app');
    this.addSql('alter default privileges in schema public revoke all on tables from xietong_app');
    this.addSql('alter default privileges in schema public revoke all on sequences from xietong_app');
    this.addSql('revoke usage on schema public from xietong_app');
  }
}
