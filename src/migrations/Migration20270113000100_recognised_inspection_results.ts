import { Migration } from '@mikro-orm/migrations';

/**
 * Mutual recognition of random-inspection results (检查结果互认, 长三角): a peer bureau's published
 * result, delivered through the cooperation inbox, kept here under the sender's id with what its
 * publication shows (enterprise, items, date, outcome) and marked recognised, as credit decisions are.
 */
export class Migration20270113000100_recognised_inspection_results extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table recognised_inspection_result (
      id text primary key,
      issuing_agency text not null,
      parties text[] not null,
      result_id text not null,
      uscc text not null,
      enterprise_name text not null,
      item_codes text[] not null,
      inspected_on date not null,
      outcome text not null,
      recognised boolean not null,
      recognised_at timestamptz(3) not null,
      provenance_system text not null,
      provenance_record_id text not null,
      provenance_source_updated_at timestamptz(3) not null,
      provenance_synced_at timestamptz(3) not null,
      provenance_content_hash text not null,
      deleted_at timestamptz(3) null)`);
    this.addSql('create index recognised_inspection_result_listed_index on recognised_inspection_result (recognised_at desc, id)');
    this.addSql('create index recognised_inspection_result_uscc_index on recognised_inspection_result (uscc, recognised_at desc, id)');
    this.addSql('grant select, insert on recognised_inspection_result to xietong_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists recognised_inspection_result');
  }
}
