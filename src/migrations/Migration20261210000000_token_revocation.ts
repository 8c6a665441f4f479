import { Migration } from '@mikro-orm/migrations';

/**
 * Revoked access tokens, by `jti` or by agency (every token of the agency issued up to
 * `revoked_at`). Every hub instance reads rows past the last `id` it has seen; revokers take an
 * advisory lock before inserting, so ids become visible in order and none is skipped.
 */
export class Migration20261210000000_token_revocation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table auth_token_revocation (
      id bigserial primary key,
      jti text,
      agency text,
      revoked_at timestamptz not null default now(),
      revoked_by text not null,
      check ((jti is null) <> (agency is null)))`);
    this.addSql('create index auth_token_revocation_revoked_at_index on auth_token_revocation (revoked_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists auth_token_revocation');
  }
}
