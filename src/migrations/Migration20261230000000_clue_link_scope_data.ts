import { Migration } from '@mikro-orm/migrations';

/**
 * A pending link's case scope becomes data, checked by a fixed function. It was SQL text run by
 * the case trigger (`execute format(...)`): whoever could write `clue` could run any statement in
 * a sync batch as the table owner, and a stored scope that no longer compiled failed every batch
 * carrying that case. Now `linked_case_scope` is jsonb, alternatives of conditions as the hub
 * resolves the linker's row scope (`storedScope`): `{column, startsWithAny}`, `{column, equals}`,
 * `{anyOf}`. `clue_case_in_scope` reads the case as `to_jsonb(row)` and compares values; nothing
 * it is given is ever run, and anything it does not recognise (a relation, a plate list, a
 * malformed value) is outside, so the link stays pending: never confirmed by what it cannot judge.
 * Scopes stored as SQL cannot be read back as data without parsing SQL; they become `[]` (outside
 * every case): such a link stays pending until the officer links it again, under their scope now.
 */
export class Migration20261230000000_clue_link_scope_data extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table clue alter column linked_case_scope type jsonb
      using case when linked_case_scope is null then null else '[]'::jsonb end`);
    this.addSql(`create function clue_case_condition(item jsonb, c jsonb, depth integer) returns boolean
      language plpgsql immutable as $$
      begin
        -- A resolved scope nests anyOf once; a deeper value is not one the hub wrote (and must not exhaust the stack).
        if jsonb_typeof(c) is distinct from 'object' or depth > 3 then return false; end if;
        if c ? 'anyOf' then
          if jsonb_typeof(c->'anyOf') <> 'array' then return false; end if;
          return exists (select 1 from jsonb_array_elements(c->'anyOf') a where clue_case_condition(item, a, depth + 1));
        end if;
        if jsonb_typeof(c->'column') is distinct from 'string' then return false; end if;
        if c ? 'equals' then
          return coalesce(item -> (c->>'column') = c->'equals', false);
        end if;
        if jsonb_typeof(c->'startsWithAny') = 'array' then
          return exists (select 1 from jsonb_array_elements(c->'startsWithAny') p
            where jsonb_typeof(p) = 'string' and starts_with(item ->> (c->>'column'), p #>> '{}'));
        end if;
        return false;
      end $$`);
    this.addSql(`create function clue_case_in_scope(item jsonb, scope jsonb) returns boolean
      language plpgsql immutable as $$
      begin
        if jsonb_typeof(scope) is distinct from 'array' then return false; end if;
        return exists (select 1 from jsonb_array_elements(scope) alt
          where jsonb_typeof(alt) = 'array'
            and not exists (select 1 from jsonb_array_elements(alt) c where not clue_case_condition(item, c, 0)));
      end $$`);
    this.addSql(
      confirmLinks(`select clue_case_in_scope(to_jsonb(e), pending.linked_case_scope) into inside
              from enforcement_case e where e.case_number = pending.linked_case_number and e.deleted_at is null;
            continue when inside is not true;`),
    );
  }

  override async down(): Promise<void> {
    this.addSql(confirmLinks(`continue;`));
    this.addSql('drop function clue_case_in_scope(jsonb, jsonb)');
    this.addSql('drop function clue_case_condition(jsonb, jsonb, integer)');
    // The SQL text is not rebuilt: a scoped pending link stays pending (`false` matches no case).
    this.addSql(`alter table clue alter column linked_case_scope type text
      using case when linked_case_scope is null then null else 'false' end`);
  }
}

/** The case trigger's function, with `scoped` deciding a pending link whose linker's cases are scoped. */
function confirmLinks(scoped: string): string {
  return `create or replace function confirm_clue_case_links() returns trigger language plpgsql as $$
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
            ${scoped}
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
      end $$`;
}
