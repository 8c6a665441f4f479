import { Migration } from '@mikro-orm/migrations';

/** Token ids seen, kept until their token expires: a replayed token is refused by any hub process. */
export class Migration20261129020000_token_replay extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table auth_token_use (
      issuer text not null,
      jti text not null,
      expires_at timestamptz not null,
      primary key (issuer, jti))`);
    this.addSql('create index auth_token_use_expires_at_index on auth_token_use (expires_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists auth_token_use');
  }
}
