import { Migration } from '@mikro-orm/migrations';

/**
 * Case transfers to the police (两法衔接), hub-native: `case_transfer` (one per case), its
 * documents by reference and its events. `police_sight` is generated from the status and the
 * invitation, so the police agreements' row scopes (on the transfer, and on the case through it)
 * follow the workflow without a second writer: TRANSFERRED once submitted, INVITED while an
 * untransferred case is open to consultation, else NONE.
 *
 * Every event appends an outbox event (`CASE_TRANSFER`) in its own transaction, as the clue and
 * grade triggers do; an OVERDUE event is appended at most once per step and version.
 */
export class Migration20270102000000_case_transfer extends Migration {
  override async up(): Promise<void> {
    const provenance = `provenance_system text not null,
      provenance_record_id text not null,
      provenance_source_updated_at timestamptz(3) not null,
      provenance_synced_at timestamptz(3) not null,
      provenance_content_hash text not null,
      deleted_at timestamptz(3) null`;
    // (case_transfer also gets derive_xid, below.)
    this.addSql(`create table case_transfer (
      id text primary key,
      case_number text not null unique,
      violation_code text not null,
      charge text not null,
      catalogue_version text not null,
      division text not null,
      receiving_agency text not null,
      receiving_unit text null,
      status text not null,
      invited boolean not null default false,
      police_sight text generated always as (case when status <> 'PREPARED' then 'TRANSFERRED' when invited then 'INVITED' else 'NONE' end) stored,
      prepared_at timestamptz(3) not null,
      invited_at timestamptz(3) null,
      submitted_at timestamptz(3) null,
      acknowledged_at timestamptz(3) null,
      decided_at timestamptz(3) null,
      decision_reason text null,
      version integer not null default 1,
      ${provenance})`);
    this.addSql('create index case_transfer_prepared_at_id_index on case_transfer (prepared_at, id)');
    // The 有案不移 clue counts a submitted transfer: its derivation finds the transfers that changed
    // since its cursor as it finds changed cases (migration derivation_watermark).
    this.addSql(`alter table case_transfer add column derive_xid xid8 not null default pg_current_xact_id()`);
    this.addSql('create index case_transfer_derive_xid_index on case_transfer (derive_xid)');
    this.addSql('create trigger case_transfer_stamps_derive_xid before update on case_transfer for each row execute function stamp_derive_xid()');
    this.addSql('create index case_transfer_open_index on case_transfer (status) where deleted_at is null');
    this.addSql(`create table case_transfer_document (
      id bigint generated always as identity primary key,
      transfer_id text not null references case_transfer (id),
      evidence_code text not null,
      document_ref text not null,
      attached_by_agency text not null,
      attached_by_subject text not null,
      attached_at timestamptz(3) not null,
      ${provenance})`);
    this.addSql('create index case_transfer_document_transfer_index on case_transfer_document (transfer_id, id)');
    this.addSql(`create table case_transfer_event (
      id bigint generated always as identity primary key,
      transfer_id text not null references case_transfer (id),
      version integer not null,
      action text not null,
      from_status text null,
      to_status text not null,
      overdue_step text null,
      actor_agency text null,
      actor_subject text null,
      note text null,
      at timestamptz(3) not null,
      ${provenance})`);
    this.addSql('create index case_transfer_event_transfer_index on case_transfer_event (transfer_id, id)');
    this.addSql(`create unique index case_transfer_overdue_once on case_transfer_event (transfer_id, overdue_step, version) where action = 'OVERDUE'`);
    this.addSql('revoke update, delete, truncate on case_transfer_event from xietong_app');
    this.addSql('revoke update, delete, truncate on case_transfer_document from xietong_app');
    this.addSql(`create function case_transfer_event_raised() returns trigger language plpgsql as $$
      begin
        insert into hub_event (kind, division, payload)
        select 'CASE_TRANSFER', t.division, jsonb_build_object('eventId', new.id::text, 'transferId', t.id, 'caseNumber', t.case_number,
          'action', new.action, 'toStatus', new.to_status, 'overdueStep', new.overdue_step, 'version', new.version,
          'receivingAgency', t.receiving_agency, 'policeSight', t.police_sight)
        from case_transfer t where t.id = new.transfer_id;
        return null;
      end $$`);
    this.addSql(`create trigger case_transfer_event_raises_event after insert on case_transfer_event
      for each row execute function case_transfer_event_raised()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists case_transfer_event_raises_event on case_transfer_event');
    this.addSql('drop function if exists case_transfer_event_raised()');
    this.addSql('drop table if exists case_transfer_event');
    this.addSql('drop table if exists case_transfer_document');
    this.addSql('drop table if exists case_transfer');
  }
}
