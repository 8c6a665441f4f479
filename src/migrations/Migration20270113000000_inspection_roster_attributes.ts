import { Migration } from '@mikro-orm/migrations';

const HUB_PROVENANCE = `provenance_system text not null default 'HUB' check (provenance_system = 'HUB'),
      provenance_record_id text not null,
      provenance_content_hash text not null`;

/**
 * What a random-inspection roster is stratified on beyond credit and risk: 挂牌督办 (an
 * enterprise listed for supervision by the transport bureau, hub-native: listed and delisted by
 * mutation, one open listing per enterprise, its history kept) and past findings, both frozen per
 * task at commitment beside the published roster (which keeps its hashed shape). A plan states
 * the number of objects it means to inspect, so the city's share of it can be held to the rule.
 */
export class Migration20270113000000_inspection_roster_attributes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table supervision_listing (
      id text primary key,
      uscc text not null,
      agency text not null,
      reason text not null,
      listed_at timestamptz(3) not null default now(),
      listed_by text not null,
      delisted_at timestamptz(3) null,
      delisted_by text null,
      delist_reason text null,
      ${HUB_PROVENANCE})`);
    this.addSql('create unique index supervision_listing_open_index on supervision_listing (uscc) where delisted_at is null');
    this.addSql('grant select, insert, update on supervision_listing to xietong_app');

    this.addSql(`create table inspection_roster_attributes (
      task_id text not null references inspection_task (id),
      uscc text not null,
      supervised boolean not null,
      failed_inspections integer not null,
      last_outcome text null,
      last_inspected_on date null,
      primary key (task_id, uscc))`);
    this.addSql(`create trigger inspection_roster_attributes_is_immutable before update or delete on inspection_roster_attributes
      for each row execute function inspection_record_is_immutable()`);
    this.addSql(`create trigger inspection_roster_attributes_is_not_truncated before truncate on inspection_roster_attributes
      for each statement execute function inspection_record_is_immutable()`);
    this.addSql('grant select, insert on inspection_roster_attributes to xietong_app');
    this.addSql('revoke update, delete, truncate on inspection_roster_attributes from xietong_app');
    this.addSql('create index inspection_result_uscc_index on inspection_result (uscc, inspected_on desc)');

    // Plans made before this state no number: their city tasks are refused (PLAN_SPLIT) rather than unchecked.
    this.addSql('alter table inspection_plan add column planned_objects integer null check (planned_objects > 0)');
  }

  override async down(): Promise<void> {
    this.addSql('alter table inspection_plan drop column if exists planned_objects');
    this.addSql('drop index if exists inspection_result_uscc_index');
    this.addSql('drop table if exists inspection_roster_attributes, supervision_listing');
  }
}
