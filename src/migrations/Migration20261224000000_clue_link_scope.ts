import { Migration } from '@mikro-orm/migrations';

/**
 * A pending clue link remembers whose it is: `linked_case_scope` is the linker's row scope on
 * cases when they linked (SQL over `enforcement_case`, every value a quoted literal, written by
 * the hub from the agreements; null when they see every case). The case's arrival confirms the
 * link only if the case lies inside that scope: linking a case number one may not see, and then
 * seeing the clue show that case once it is synced, would tell the linker what their agreement
 * withholds. A case outside the scope leaves the link pending; a later change bringing the case
 * inside (the update trigger runs the same check) confirms it then.
 */
export class Migration20261224000000_clue_link_scope extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table clue add column linked_case_scope text null');
    this.addSql(`create or replace function confirm_clue_case_links() returns trigger language plpgsql as $$
      declare
        pending record;
        inside boolean;
        moved integer;
      begin
        perform lock_clue_case_links();
        for pending in
          select c.id, c.linked_case_number, c.linked_case_scope from clue c
          where c.status = 'LINKED_PENDING' and c.deleted_at is null
            and c.linked_case_number in (select a.case_number from arrived a where a.deleted_at is null)
          order by c.id
        loop
          if pending.linked_case_scope is not null then
            execute format('select exists (select 1 from enforcement_case where enforcement_case.case_number = $1
                              and enforcement_case.deleted_at is null and %s)', pending.linked_case_scope)
              into inside using pending.linked_case_number;
            continue when not inside;
          end if;
          update clue c set status = 'LINKED', version = c.version + 1
          where c.id = pending.id and c.status = 'LINKED_PENDING'
          returning c.version into moved;
          continue when moved is null;
          insert into clue_event (clue_id, version, action, from_status, to_status, case_number, at, provenance_system,
            provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
          values (pending.id, moved, 'CONFIRM_LINK', 'LINKED_PENDING', 'LINKED', pending.linked_case_number, now(), 'HUB',
            pending.id || '/' || moved, now(), now(), md5(concat_ws('|', pending.id, moved, 'CONFIRM_LINK', pending.linked_case_number)));
        end loop;
        return null;
      end $$`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function confirm_clue_case_links() returns trigger language plpgsql as $$
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
    this.addSql('alter table clue drop column linked_case_scope');
  }
}
