import { Migration } from '@mikro-orm/migrations';

/**
 * Yangtze Delta cooperation (长三角) between peer bureaus' hubs, hub-native (provenance HUB).
 *
 * `cooperation_message` is both the outbox (OUTBOUND: what this hub must deliver to a peer, PENDING
 * until the peer acknowledged it) and the inbox (INBOUND: what peers delivered). The sender's
 * message id is the idempotency key: a peer that receives one twice (a retry after a lost answer)
 * keeps the first (`cooperation_message_once`). `parties` holds the two agencies, which are the
 * only ones that read it.
 *
 * `assistance_request` (协查), `joint_case` (联合办案) and `recognised_credit_decision` (信用互认)
 * are what the messages carry, kept on both sides under the sender's id.
 *
 * Every inbound message and every outbound delivery announces itself in the outbox `hub_event`
 * (kind COOPERATION), in the transaction that made it.
 */
export class Migration20270103000000_cooperation extends Migration {
  override async up(): Promise<void> {
    const provenance = `provenance_system text not null,
      provenance_record_id text not null,
      provenance_source_updated_at timestamptz(3) not null,
      provenance_synced_at timestamptz(3) not null,
      provenance_content_hash text not null,
      deleted_at timestamptz(3) null`;
    this.addSql(`create table cooperation_message (
      id text primary key,
      direction text not null check (direction in ('OUTBOUND', 'INBOUND')),
      kind text not null,
      local_agency text not null,
      peer_agency text not null,
      peer_id text null,
      parties text[] not null,
      idempotency_key text not null,
      subject_ref text not null,
      content text not null,
      status text not null,
      attempts integer not null default 0,
      last_error text null,
      actor_subject text null,
      created_at timestamptz(3) not null,
      delivered_at timestamptz(3) null,
      ${provenance},
      constraint cooperation_message_once unique (direction, peer_agency, idempotency_key))`);
    this.addSql('create index cooperation_message_listed_index on cooperation_message (created_at desc, id)');
    this.addSql(`create index cooperation_message_pending_index on cooperation_message (created_at) where status = 'PENDING'`);

    this.addSql(`create table assistance_request (
      id text primary key,
      direction text not null check (direction in ('OUTBOUND', 'INBOUND')),
      requester_agency text not null,
      assisting_agency text not null,
      parties text[] not null,
      subject text not null,
      question text not null,
      due_date date not null,
      status text not null,
      answer text null,
      answered_at timestamptz(3) null,
      requested_at timestamptz(3) not null,
      version integer not null default 1,
      ${provenance})`);
    this.addSql('create index assistance_request_listed_index on assistance_request (requested_at desc, id)');

    this.addSql(`create table joint_case (
      id text primary key,
      title text not null,
      lead_agency text not null,
      members text[] not null,
      linked_cases jsonb not null,
      created_at timestamptz(3) not null,
      ${provenance})`);
    this.addSql('create index joint_case_listed_index on joint_case (created_at desc, id)');

    this.addSql(`create table recognised_credit_decision (
      id text primary key,
      issuing_agency text not null,
      parties text[] not null,
      credit_code text not null,
      list_type text not null,
      reason text not null,
      authority text not null,
      decided_on date not null,
      recognised boolean not null,
      recognised_at timestamptz(3) not null,
      ${provenance})`);
    this.addSql('create index recognised_credit_decision_code_index on recognised_credit_decision (credit_code, recognised_at desc, id)');

    this.addSql(`create function cooperation_message_event() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and old.status = new.status then return null; end if;
        insert into hub_event (kind, division, payload)
        values ('COOPERATION', null, jsonb_build_object('messageId', new.id, 'direction', new.direction, 'kind', new.kind,
          'status', new.status, 'localAgency', new.local_agency, 'peerAgency', new.peer_agency));
        return null;
      end $$`);
    this.addSql(`create trigger cooperation_message_raises_event after insert or update on cooperation_message
      for each row execute function cooperation_message_event()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists cooperation_message_raises_event on cooperation_message');
    this.addSql('drop function if exists cooperation_message_event()');
    this.addSql('drop table if exists recognised_credit_decision');
    this.addSql('drop table if exists joint_case');
    this.addSql('drop table if exists assistance_request');
    this.addSql('drop table if exists cooperation_message');
  }
}
