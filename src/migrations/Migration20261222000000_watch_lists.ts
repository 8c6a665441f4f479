import { Migration } from '@mikro-orm/migrations';

/**
 * Watch lists (布控) and the hub's event outbox.
 *
 * `watch` is a plate an agency asked to be alerted about, hub-native (provenance HUB); a watch is
 * never deleted, only removed (`removed_at`), so its hits keep naming it. `watch_hit` is one
 * capture of a watched plate, written by the capture batch's own transaction (src/sync), so a
 * capture and its hit commit together or not at all; one per watch and capture.
 *
 * `hub_event` is an outbox: row triggers on the tables whose changes are announced live append one
 * event in the transaction of the change (a watch hit, a clue raised or moved), and each hub's
 * relay publishes the unpublished ones on the bus (PostgreSQL NOTIFY, or Redis) and marks them. A
 * new kind of event is one more trigger here and one more subscription field. The insert also
 * wakes the relays (`hub_event_outbox`), so they need not poll tightly.
 */
export class Migration20261222000000_watch_lists extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table watch (
      id text primary key,
      plate_number text not null,
      plate_color text not null,
      reason text not null,
      case_number text null,
      owner_agency text not null,
      owner_subject text not null,
      created_at timestamptz(3) not null,
      expires_at timestamptz(3) not null,
      removed_at timestamptz(3) null,
      removed_by text null,
      ends_at timestamptz(3) generated always as (least(removed_at, expires_at)) stored,
      provenance_system text not null,
      provenance_record_id text not null,
      provenance_source_updated_at timestamptz(3) not null,
      provenance_synced_at timestamptz(3) not null,
      provenance_content_hash text not null,
      deleted_at timestamptz(3) null)`);
    // The capture batch joins its captures to the live watches by plate.
    this.addSql('create index watch_live_plate_index on watch (plate_number, plate_color) where removed_at is null and deleted_at is null');
    this.addSql('create index watch_owner_index on watch (owner_agency, created_at desc, id)');
    this.addSql(`create table watch_hit (
      id bigint generated always as identity primary key,
      watch_id text not null references watch (id),
      capture_serial bigint not null,
      captured_at timestamptz(3) not null,
      checkpoint_code text not null,
      division text not null,
      plate_number text not null,
      plate_color text not null,
      recorded_at timestamptz(3) not null,
      deleted_at timestamptz(3) null,
      constraint watch_hit_once unique (watch_id, capture_serial, captured_at))`);
    this.addSql('create index watch_hit_watch_index on watch_hit (watch_id, captured_at desc)');
    this.addSql('revoke update, delete, truncate on watch_hit from xietong_app');

    this.addSql(`create table hub_event (
      id bigint generated always as identity primary key,
      kind text not null,
      division text null,
      payload jsonb not null,
      created_at timestamptz(3) not null default now(),
      published_at timestamptz(3) null)`);
    this.addSql('create index hub_event_unpublished_index on hub_event (id) where published_at is null');
    this.addSql(`create function hub_event_wake() returns trigger language plpgsql as $$
      begin
        perform pg_notify('hub_event_outbox', '');
        return null;
      end $$`);
    this.addSql(`create trigger hub_event_inserted_wakes_relays after insert on hub_event
      for each statement execute function hub_event_wake()`);

    // A hit names its watch's owner, so the event can be routed without reading the watch again.
    this.addSql(`create function watch_hit_event() returns trigger language plpgsql as $$
      begin
        insert into hub_event (kind, division, payload)
        select 'WATCH_HIT', new.division, jsonb_build_object(
          'hitId', new.id::text, 'watchId', w.id, 'plateNumber', new.plate_number, 'plateColor', new.plate_color,
          'capturedAt', new.captured_at, 'checkpointCode', new.checkpoint_code, 'division', new.division,
          'caseNumber', w.case_number, 'reason', w.reason, 'ownerAgency', w.owner_agency, 'ownerSubject', w.owner_subject)
        from watch w where w.id = new.watch_id;
        return null;
      end $$`);
    this.addSql(`create trigger watch_hit_inserted_raises_event after insert on watch_hit
      for each row execute function watch_hit_event()`);

    // A clue is announced when it is raised and whenever its status moves (not when new evidence only extends it).
    this.addSql(`create function clue_raised_event() returns trigger language plpgsql as $$
      begin
        if new.deleted_at is not null then return null; end if;
        if tg_op = 'UPDATE' and old.status = new.status and old.deleted_at is null then return null; end if;
        insert into hub_event (kind, division, payload)
        values ('CLUE', new.division, jsonb_build_object('clueId', new.id, 'kind', new.kind, 'status', new.status,
          'division', new.division, 'version', new.version, 'raised', tg_op = 'INSERT' or old.deleted_at is not null));
        return null;
      end $$`);
    this.addSql(`create trigger clue_changed_raises_event after insert or update on clue
      for each row execute function clue_raised_event()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists clue_changed_raises_event on clue');
    this.addSql('drop function if exists clue_raised_event()');
    this.addSql('drop trigger if exists watch_hit_inserted_raises_event on watch_hit');
    this.addSql('drop function if exists watch_hit_event()');
    this.addSql('drop trigger if exists hub_event_inserted_wakes_relays on hub_event');
    this.addSql('drop function if exists hub_event_wake()');
    this.addSql('drop table if exists hub_event');
    this.addSql('drop table if exists watch_hit');
    this.addSql('drop table if exists watch');
  }
}
