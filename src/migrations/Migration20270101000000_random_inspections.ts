import { Migration } from '@mikro-orm/migrations';

const HUB_PROVENANCE = `provenance_system text not null default 'HUB' check (provenance_system = 'HUB'),
      provenance_record_id text not null,
      provenance_content_hash text not null`;

/**
 * Random inspections (双随机、一公开), hub-native: inspectors and their declared conflicts, annual
 * plans, tasks, each task's frozen commitment and secret seed, its draw and matched inspectors,
 * and results. What makes the draw verifiable is kept immutable twice over: the application role
 * may not update or delete the commitment, seed, draw, assignment and result rows, and a trigger
 * refuses it for anyone (the owner too), so a task is drawn once (primary key) and never redrawn.
 * A task's changes (created, drawn, a result recorded) are announced live through the outbox.
 */
export class Migration20270101000000_random_inspections extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table inspector (
      id text primary key,
      agency text not null,
      subject text not null,
      name text not null,
      unit text not null,
      post text not null,
      certificate_number text not null unique,
      phone text not null,
      division text not null,
      created_at timestamptz(3) not null default now(),
      ${HUB_PROVENANCE},
      unique (agency, subject))`);
    this.addSql(`create table inspector_conflict (
      inspector_id text not null references inspector (id),
      uscc text not null,
      relation text not null,
      declared_at timestamptz(3) not null default now(),
      primary key (inspector_id, uscc))`);
    this.addSql(`create table inspection_plan (
      id text primary key,
      year smallint not null,
      unit text not null,
      division text not null,
      title text not null,
      rule_version text not null,
      created_at timestamptz(3) not null default now(),
      created_by text not null,
      ${HUB_PROVENANCE},
      unique (unit, division, year))`);
    this.addSql(`create table inspection_task (
      id text primary key,
      plan_id text not null references inspection_plan (id),
      item_code text not null,
      joint_item_codes text[] not null,
      level text not null check (level in ('DISTRICT', 'CITY')),
      division text not null,
      roster_filter jsonb not null,
      status text not null check (status in ('COMMITTED', 'DRAWN')),
      objects_drawn integer not null default 0,
      results_recorded integer not null default 0,
      created_at timestamptz(3) not null default now(),
      created_by text not null,
      drawn_at timestamptz(3) null,
      ${HUB_PROVENANCE})`);
    this.addSql('create index inspection_task_plan_index on inspection_task (plan_id, id)');
    this.addSql(`create table inspection_task_commitment (
      task_id text primary key references inspection_task (id),
      commitment jsonb not null,
      roster jsonb not null,
      pool jsonb not null,
      rule_version text not null,
      committed_at timestamptz(3) not null default now())`);
    this.addSql(`create table inspection_task_seed (
      task_id text primary key references inspection_task (id),
      seed text not null)`);
    this.addSql(`create table inspection_draw (
      task_id text primary key references inspection_task (id),
      reveal jsonb not null,
      result jsonb not null,
      result_hash text not null,
      key_id text not null,
      public_key text not null,
      signature text not null,
      drawn_at timestamptz(3) not null default now())`);
    this.addSql(`create table inspection_assignment (
      task_id text not null references inspection_draw (task_id),
      uscc text not null,
      inspector_id text not null references inspector (id),
      drawn_at timestamptz(3) not null,
      primary key (task_id, uscc, inspector_id))`);
    this.addSql('create index inspection_assignment_uscc_index on inspection_assignment (uscc, drawn_at)');
    this.addSql(`create table inspection_result (
      task_id text not null references inspection_task (id),
      uscc text not null,
      enterprise_name text not null,
      item_codes text[] not null,
      inspected_on date not null,
      outcome text not null,
      findings jsonb not null,
      attachments jsonb not null,
      recorded_by text not null references inspector (id),
      recorded_at timestamptz(3) not null default now(),
      publication_due date not null,
      ${HUB_PROVENANCE},
      primary key (task_id, uscc))`);
    this.addSql('create index inspection_result_recorded_index on inspection_result (recorded_at desc, task_id, uscc)');

    this.addSql(`create function inspection_record_is_immutable() returns trigger language plpgsql as $$
      begin
        raise exception '% rows are immutable (random inspections: a draw is never redone, only a new task drawn)', tg_table_name
          using errcode = 'integrity_constraint_violation';
      end $$`);
    for (const table of ['inspection_task_commitment', 'inspection_task_seed', 'inspection_draw', 'inspection_assignment', 'inspection_result']) {
      this.addSql(`create trigger ${table}_is_immutable before update or delete on ${table}
        for each row execute function inspection_record_is_immutable()`);
      this.addSql(`create trigger ${table}_is_not_truncated before truncate on ${table}
        for each statement execute function inspection_record_is_immutable()`);
      this.addSql(`revoke update, delete, truncate on ${table} from xietong_app`);
    }

    this.addSql(`create function inspection_task_event() returns trigger language plpgsql as $$
      begin
        insert into hub_event (kind, division, payload)
        values ('INSPECTION_TASK', new.division, jsonb_build_object('taskId', new.id, 'planId', new.plan_id, 'status', new.status,
          'objectsDrawn', new.objects_drawn, 'resultsRecorded', new.results_recorded));
        return null;
      end $$`);
    this.addSql(`create trigger inspection_task_raises_event after insert or update on inspection_task
      for each row execute function inspection_task_event()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists inspection_result, inspection_assignment, inspection_draw, inspection_task_seed, inspection_task_commitment cascade');
    this.addSql('drop table if exists inspection_task, inspection_plan, inspector_conflict, inspector cascade');
    this.addSql('drop function if exists inspection_task_event()');
    this.addSql('drop function if exists inspection_record_is_immutable()');
  }
}
