import { Migration } from '@mikro-orm/migrations';

const DAY_START = (column: string) => `date_trunc('day', ${column} at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'`;
const HOUR_START = (column: string) => `date_trunc('hour', ${column} at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'`;

/**
 * What each rollup holds, computed from scratch from the live base rows: the migration fills the
 * rollups from these, and `test/sync/rollups.test.ts` compares the maintained rollups with them.
 */
const FRESH = {
  case_rollup: `select ${DAY_START('occurred_at')} as day_start, division_code, violation_code, transferred_to_police,
      count(*)::integer as cases, coalesce(sum(penalty_amount_yuan), 0)::double precision as fines_yuan
    from enforcement_case where deleted_at is null group by 1, 2, 3, 4`,
  weighing_rollup: `select ${DAY_START('measured_at')} as day_start, station_code, station_division_code, axle_count,
      count(*)::integer as weighings, (count(*) filter (where overload_kg > 0))::integer as overloaded, max(overload_ratio) as max_ratio
    from weighing where deleted_at is null group by 1, 2, 3, 4`,
  capture_rollup: `select ${HOUR_START('captured_at')} as hour_start, checkpoint_code, direction, left(plate_number, 1) as plate_province, plate_color,
      count(*)::integer as captures
    from checkpoint_capture group by 1, 2, 3, 4, 5`,
} as const;

/**
 * Rollups of captures (checkpoint × hour × direction × plate province × plate colour), weighings
 * (station × day × axles) and cases (division × day × violation code × transferred), kept by
 * statement triggers in the transaction that writes the base rows: whatever writes them (a sync
 * batch, a FULL snapshot's soft deletes, the demo loader), the rollup commits with the batch or
 * rolls back with it, so it counts every committed row exactly once. Captures are append-only and
 * are added as deltas; weighings and cases are upserted (their day, division, code or overload can
 * change, a max cannot be decremented), so the groups a statement touched are recounted from the
 * base table, one writer at a time (an advisory lock taken before the recount, whose statement
 * then sees every earlier writer's commit).
 */
export class Migration20270104000000_rollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table case_rollup (
      day_start timestamptz not null, division_code text not null, violation_code text not null, transferred_to_police boolean not null,
      cases integer not null, fines_yuan double precision not null,
      primary key (day_start, division_code, violation_code, transferred_to_police))`);
    this.addSql(`create table weighing_rollup (
      day_start timestamptz not null, station_code text not null, station_division_code text not null, axle_count smallint not null,
      weighings integer not null, overloaded integer not null, max_ratio double precision not null,
      primary key (day_start, station_code, station_division_code, axle_count))`);
    this.addSql(`create table capture_rollup (
      hour_start timestamptz not null, checkpoint_code text not null, direction text not null, plate_province text not null, plate_color text not null,
      captures integer not null,
      primary key (hour_start, checkpoint_code, direction, plate_province, plate_color))`);
    for (const [table, sql] of Object.entries(FRESH)) {
      this.addSql(`create view ${table}_fresh as ${sql}`);
      this.addSql(`insert into ${table} select * from ${table}_fresh`);
    }

    // Cases: the groups (day, division, code, transferred) the statement's old and new rows fall in, recounted.
    this.addSql(`create function case_rollup_recount(groups jsonb) returns void language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('case_rollup'));
        delete from case_rollup r using jsonb_array_elements(groups) g
          where r.day_start = (g->>0)::timestamptz and r.division_code = g->>1 and r.violation_code = g->>2 and r.transferred_to_police = (g->>3)::boolean;
        insert into case_rollup
          select f.* from (${FRESH.case_rollup.replace(
            'where deleted_at is null',
            `where deleted_at is null
            and occurred_at >= (select min((g->>0)::timestamptz) from jsonb_array_elements(groups) g)
            and occurred_at < (select max((g->>0)::timestamptz) from jsonb_array_elements(groups) g) + interval '1 day'`,
          )}) f
          join jsonb_array_elements(groups) g
            on f.day_start = (g->>0)::timestamptz and f.division_code = g->>1 and f.violation_code = g->>2 and f.transferred_to_police = (g->>3)::boolean;
      end $$`);
    this.addSql(`create function case_rollup_changed() returns trigger language plpgsql as $$
      declare groups jsonb;
      begin
        if tg_op = 'INSERT' then
          select jsonb_agg(distinct jsonb_build_array(${DAY_START('occurred_at')}, division_code, violation_code, transferred_to_police)) into groups from new_rows;
        elsif tg_op = 'UPDATE' then
          select jsonb_agg(distinct k) into groups from (
            select jsonb_build_array(${DAY_START('occurred_at')}, division_code, violation_code, transferred_to_police) as k from new_rows
            union all
            select jsonb_build_array(${DAY_START('occurred_at')}, division_code, violation_code, transferred_to_police) from old_rows) keys;
        else
          select jsonb_agg(distinct jsonb_build_array(${DAY_START('occurred_at')}, division_code, violation_code, transferred_to_police)) into groups from old_rows;
        end if;
        if groups is not null then perform case_rollup_recount(groups); end if;
        return null;
      end $$`);
    this.addSql(
      `create trigger enforcement_case_rollup_insert after insert on enforcement_case referencing new table as new_rows for each statement execute function case_rollup_changed()`,
    );
    this.addSql(
      `create trigger enforcement_case_rollup_update after update on enforcement_case referencing old table as old_rows new table as new_rows for each statement execute function case_rollup_changed()`,
    );
    this.addSql(
      `create trigger enforcement_case_rollup_delete after delete on enforcement_case referencing old table as old_rows for each statement execute function case_rollup_changed()`,
    );

    // Weighings: the groups (day, station, axles) touched, recounted.
    this.addSql(`create function weighing_rollup_recount(groups jsonb) returns void language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('weighing_rollup'));
        delete from weighing_rollup r using jsonb_array_elements(groups) g
          where r.day_start = (g->>0)::timestamptz and r.station_code = g->>1 and r.axle_count = (g->>2)::smallint;
        insert into weighing_rollup
          select f.* from (${FRESH.weighing_rollup.replace(
            'where deleted_at is null',
            `where deleted_at is null
            and measured_at >= (select min((g->>0)::timestamptz) from jsonb_array_elements(groups) g)
            and measured_at < (select max((g->>0)::timestamptz) from jsonb_array_elements(groups) g) + interval '1 day'`,
          )}) f
          join (select distinct (g->>0)::timestamptz as day_start, g->>1 as station_code, (g->>2)::smallint as axle_count from jsonb_array_elements(groups) g) g
            using (day_start, station_code, axle_count);
      end $$`);
    this.addSql(`create function weighing_rollup_changed() returns trigger language plpgsql as $$
      declare groups jsonb;
      begin
        if tg_op = 'INSERT' then
          select jsonb_agg(distinct jsonb_build_array(${DAY_START('measured_at')}, station_code, axle_count)) into groups from new_rows;
        elsif tg_op = 'UPDATE' then
          select jsonb_agg(distinct k) into groups from (
            select jsonb_build_array(${DAY_START('measured_at')}, station_code, axle_count) as k from new_rows
            union all
            select jsonb_build_array(${DAY_START('measured_at')}, station_code, axle_count) from old_rows) keys;
        else
          select jsonb_agg(distinct jsonb_build_array(${DAY_START('measured_at')}, station_code, axle_count)) into groups from old_rows;
        end if;
        if groups is not null then perform weighing_rollup_recount(groups); end if;
        return null;
      end $$`);
    this.addSql(
      `create trigger weighing_rollup_insert after insert on weighing referencing new table as new_rows for each statement execute function weighing_rollup_changed()`,
    );
    this.addSql(
      `create trigger weighing_rollup_update after update on weighing referencing old table as old_rows new table as new_rows for each statement execute function weighing_rollup_changed()`,
    );
    this.addSql(
      `create trigger weighing_rollup_delete after delete on weighing referencing old table as old_rows for each statement execute function weighing_rollup_changed()`,
    );

    // Captures: append-only, so each statement's new rows are added as deltas (and deleted ones taken away).
    this.addSql(`create function capture_rollup_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into capture_rollup as r
            select ${HOUR_START('captured_at')}, checkpoint_code, direction, left(plate_number, 1), plate_color, count(*)::integer
            from new_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
            on conflict (hour_start, checkpoint_code, direction, plate_province, plate_color) do update set captures = r.captures + excluded.captures;
        else
          update capture_rollup r set captures = r.captures - d.n
            from (select ${HOUR_START('captured_at')} as h, checkpoint_code as c, direction as d, left(plate_number, 1) as p, plate_color as pc, count(*)::integer as n
                  from old_rows group by 1, 2, 3, 4, 5) d
            where r.hour_start = d.h and r.checkpoint_code = d.c and r.direction = d.d and r.plate_province = d.p and r.plate_color = d.pc;
          delete from capture_rollup where captures <= 0;
        end if;
        return null;
      end $$`);
    this.addSql(
      `create trigger checkpoint_capture_rollup_insert after insert on checkpoint_capture referencing new table as new_rows for each statement execute function capture_rollup_changed()`,
    );
    this.addSql(
      `create trigger checkpoint_capture_rollup_delete after delete on checkpoint_capture referencing old table as old_rows for each statement execute function capture_rollup_changed()`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists checkpoint_capture_rollup_insert on checkpoint_capture');
    this.addSql('drop trigger if exists checkpoint_capture_rollup_delete on checkpoint_capture');
    for (const op of ['insert', 'update', 'delete']) {
      this.addSql(`drop trigger if exists weighing_rollup_${op} on weighing`);
      this.addSql(`drop trigger if exists enforcement_case_rollup_${op} on enforcement_case`);
    }
    this.addSql('drop function if exists capture_rollup_changed()');
    this.addSql('drop function if exists weighing_rollup_changed()');
    this.addSql('drop function if exists weighing_rollup_recount(jsonb)');
    this.addSql('drop function if exists case_rollup_changed()');
    this.addSql('drop function if exists case_rollup_recount(jsonb)');
    for (const table of Object.keys(FRESH)) {
      this.addSql(`drop view if exists ${table}_fresh`);
      this.addSql(`drop table if exists ${table}`);
    }
  }
}
