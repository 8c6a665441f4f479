import { Migration } from '@mikro-orm/migrations';

/**
 * What the health the metrics endpoint reads on every scrape needs of each stream's runs, kept
 * with the runs by a trigger: the rows they wrote (each change of a run's counts added) and the
 * newest successful run. The scrape summed every run ever recorded and looked for the newest
 * success through the whole history, and `sync_run` is never pruned.
 */
export class Migration20270143000200_sync_stream_written extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table sync_stream_written (
      system text not null,
      stream text not null,
      inserted bigint not null default 0,
      updated bigint not null default 0,
      deleted bigint not null default 0,
      last_succeeded_run bigint,
      primary key (system, stream))`);
    this.addSql(`create index sync_run_succeeded_index on sync_run (system, stream, id) where status = 'SUCCEEDED'`);
    this.addSql(`insert into sync_stream_written (system, stream, inserted, updated, deleted, last_succeeded_run)
      select system, stream, sum(inserted), sum(updated), sum(deleted), max(id) filter (where status = 'SUCCEEDED')
      from sync_run group by system, stream`);
    this.addSql(`create function sync_run_written() returns trigger language plpgsql as $$
      begin
        -- A heartbeat, an error or a failure of a run that never succeeded moves nothing (and locks nothing here).
        if tg_op = 'UPDATE' and new.system = old.system and new.stream = old.stream and new.inserted = old.inserted
            and new.updated = old.updated and new.deleted = old.deleted and (new.status = 'SUCCEEDED') = (old.status = 'SUCCEEDED') then
          return null;
        end if;
        -- A run queued or started with nothing written yet: its stream's row made if missing, and not
        -- locked (an operator's transaction queueing a run would hold the runners' progress up).
        if tg_op = 'INSERT' and new.inserted = 0 and new.updated = 0 and new.deleted = 0 and new.status <> 'SUCCEEDED' then
          insert into sync_stream_written (system, stream) values (new.system, new.stream) on conflict do nothing;
          return null;
        end if;
        if tg_op in ('UPDATE', 'DELETE') then
          update sync_stream_written set inserted = inserted - old.inserted, updated = updated - old.updated, deleted = deleted - old.deleted
            where system = old.system and stream = old.stream;
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into sync_stream_written as w (system, stream, inserted, updated, deleted, last_succeeded_run)
            values (new.system, new.stream, new.inserted, new.updated, new.deleted, case when new.status = 'SUCCEEDED' then new.id end)
            on conflict (system, stream) do update
            set inserted = w.inserted + excluded.inserted, updated = w.updated + excluded.updated, deleted = w.deleted + excluded.deleted,
              last_succeeded_run = greatest(w.last_succeeded_run, excluded.last_succeeded_run);
        end if;
        -- A run that stops being the newest success of its stream (deleted, no longer SUCCEEDED, moved): the next newest.
        if tg_op in ('UPDATE', 'DELETE') and old.status = 'SUCCEEDED'
            and (tg_op = 'DELETE' or new.status <> 'SUCCEEDED' or new.system <> old.system or new.stream <> old.stream) then
          update sync_stream_written set last_succeeded_run = (select max(id) from sync_run
              where system = old.system and stream = old.stream and status = 'SUCCEEDED')
            where system = old.system and stream = old.stream and last_succeeded_run = old.id;
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger sync_run_written after insert or delete or update of system, stream, status, inserted, updated, deleted
      on sync_run for each row execute function sync_run_written()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists sync_run_written on sync_run');
    this.addSql('drop function if exists sync_run_written()');
    this.addSql('drop table if exists sync_stream_written');
    this.addSql('drop index if exists sync_run_succeeded_index');
  }
}
