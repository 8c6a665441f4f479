import { Migration } from '@mikro-orm/migrations';

/**
 * The agreements' rate-limit buckets, one row per agreement, shared by every hub instance: each
 * instance keeping its own would let N instances grant N times the agreed rate.
 */
export class Migration20270107000000_shared_rate_limit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table rate_limit_bucket (
      agreement text primary key,
      tokens double precision not null,
      updated_at timestamptz not null)`);
    this.addSql('grant select, insert, update on rate_limit_bucket to xietong_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists rate_limit_bucket');
  }
}
