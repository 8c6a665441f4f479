import { Migration } from '@mikro-orm/migrations';

/**
 * The clue workflow: a version on each clue (optimistic concurrency), who it is assigned to and
 * which case it is linked to, and `clue_event`, one row per status change, which the hub's role
 * may read and append but never change.
 *
 * A link to a case the transport system has not sent yet waits (LINKED_PENDING). The case's
 * arrival confirms it in the transaction that writes the case, whichever path writes it (a sync
 * batch, a FULL snapshot, the demo's load): a statement trigger on `enforcement_case` moves the
 * pending clues naming the arrived cases to LINKED and appends their CONFIRM_LINK events.
 * A link and a case arriving at once could otherwise miss each other (each transaction blind to
 * the other's uncommitted row): both take `lock_clue_case_links()` first, the link before it looks
 * for the case, the trigger before it looks for pending links.
 */
export class Migration20261216000000_clue_workflow extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table clue add column version integer not null default 1');
    this.addSql('alter table clue add column assigned_to text null');
    this.addSql('alter table clue add column linked_case_number text null');
    this.addSql(`create index clue_pending_link_index on clue (linked_case_number) where status = 'LINKED_PENDING'`);
    // Per-division counts by kind and status read one index range per pair.
    this.addSql('create index clue_kind_status_division_index on clue (kind, status, division) where deleted_at is null');
    this.addSql(`create table clue_event (
      clue_id text not null references clue (id),
      version integer not null,
      action text not null,
      from_status text not null,
      to_status text not null,
      actor_agency text null,
      actor_subject text null,
      assigned_to text null,
      case_number text null,
      reason text null,
      note text null,
      at timestamptz(3) not null,
      provenance_system text not null,
      provenance_record_id text not null,
      provenance_source_updated_at timestamptz(3) not null,
      provenance_synced_at timestamptz(3) not null,
      provenance_content_hash text not null,
      deleted_at timestamptz(3) null,
      primary key (clue_id, version))`);
    this.addSql('revoke update, delete, truncate on clue_event from xietong_app');
    this.addSql(`create function lock_clue_case_links() returns void language sql as $$
      select pg_advisory_xact_lock(hashtext('clue_case_links')::bigint) $$`);
    this.addSql(`create function confirm_clue_case_links() returns trigger language plpgsql as $$
      begin
        perform lock_clue_case_links();
        with confirmed as (
          update clue c set status = 'LINKED', version = c.version + 1
          where c.status = 'LINKED_PENDING' and c.deleted_at is null
            and c.linked_case_number in (select a.case_number from arrived a where a.deleted_at is null)
          returning c.id, c.version, c.linked_case_number)
        insert into clue_event (clue_id, version, action, from_status, to_status, case_number, at, provenance_system,
          provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
        select id, version, 'CONFIRM_LINK', 'LINKED_PENDING', 'LINKED', linked_case_number, now(), 'HUB',
          id || '/' || version, now(), now(), md5(concat_ws('|', id, version, 'CONFIRM_LINK', linked_case_number))
        from confirmed;
        return null;
      end $$`);
    // Transition tables allow one event per trigger: one for new cases, one for changed (or revived) ones.
    this.addSql(`create trigger enforcement_case_inserted_confirms_clue_links after insert on enforcement_case
      referencing new table as arrived for each statement execute function confirm_clue_case_links()`);
    this.addSql(`create trigger enforcement_case_updated_confirms_clue_links after update on enforcement_case
      referencing new table as arrived for each statement execute function confirm_clue_case_links()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists enforcement_case_updated_confirms_clue_links on enforcement_case');
    this.addSql('drop trigger if exists enforcement_case_inserted_confirms_clue_links on enforcement_case');
    this.addSql('drop function if exists confirm_clue_case_links()');
    this.addSql('drop function if exists lock_clue_case_links()');
    this.addSql('drop table if exists clue_event');
    this.addSql('drop index if exists clue_kind_status_division_index');
    this.addSql('drop index if exists clue_pending_link_index');
    this.addSql('alter table clue drop column linked_case_number, drop column assigned_to, drop column version');
  }
}
