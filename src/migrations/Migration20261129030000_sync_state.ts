import { Migration } from '@mikro-orm/migrations';

/** Sync bookkeeping: each stream's cursor (versioned), run history, and quarantined records. */
export class Migration20261129030000_sync_state extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table sync_stream (
      system text not null,
      stream text not null,
      cursor jsonb null,
      version bigint not null default 0,
      last_success_at timestamptz null,
      needs_attention text null,
      primary key (system, stream))`);
    this.addSql(`create table sync_run (
      id bigint generated always as identity primary key,
      system text not null,
      stream text not null,
      mode text not null,
      started_at timestamptz not null,
      finished_at timestamptz null,
      status text not null,
      batches integer not null default 0,
      read integer not null default 0,
      inserted integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      deleted integer not null default 0,
      quarantined integer not null default 0,
      error_class text null,
      error_message text null)`);
    this.addSql('create index sync_run_stream_started_index on sync_run (system, stream, started_at desc)');
    this.addSql(`create table quarantined_record (
      id bigint generated always as identity primary key,
      system text not null,
      stream text not null,
      source_id text null,
      raw jsonb not null,
      reasons text[] not null,
      run_id bigint null references sync_run (id),
      quarantined_at timestamptz not null,
      released_at timestamptz null)`);
    this.addSql('create index quarantined_record_stream_index on quarantined_record (system, stream, quarantined_at desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists quarantined_record');
    this.addSql('drop table if exists sync_run');
    this.addSql('drop table if exists sync_stream');
  }
}
