import { Migration } from '@mikro-orm/migrations';

/**
 * Random inspections as the read gateway reads them: a task with what its commitment and draw
 * publish (the roster's size and strata, the hashes, the beacon, the draw document as served at
 * `GET /public/draws/<id>`), each drawn object with its matched inspectors, its result once
 * recorded and what its stratum was decided on, and each published result with its attachments'
 * references. Plain views over the immutable tables (no rows of their own): a column nobody
 * selects is never computed, and a join nothing reads is dropped, so the gateway's projection
 * reaches through them. Inspectors and plans are read from their tables.
 */
export class Migration20270123000000_inspection_reads extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create view inspection_task_read as
      select t.id, t.plan_id, t.item_code, t.joint_item_codes, t.level, t.division, t.status, t.objects_drawn, t.results_recorded,
        t.created_at, t.drawn_at,
        jsonb_array_length(c.roster) as roster_size,
        c.commitment ->> 'rosterHash' as roster_hash,
        c.commitment ->> 'seedCommitment' as seed_commitment,
        (c.commitment ->> 'beaconSeq')::integer as beacon_seq,
        (select coalesce(jsonb_object_agg(s.stratum, s.size), '{}'::jsonb)
           from (select e ->> 'stratum' as stratum, count(*)::integer as size from jsonb_array_elements(c.roster) e group by 1) s) as stratum_sizes,
        c.pool -> 'ratios' as ratios,
        json_build_object('commitment', c.commitment, 'roster', c.roster, 'pool', c.pool, 'reveal', d.reveal, 'result', d.result,
          'resultHash', d.result_hash,
          'signature', case when d.signature is not null then json_build_object('keyId', d.key_id, 'publicKey', d.public_key, 'value', d.signature) end,
          'beaconHead', case when h.seq is not null then json_build_object('seq', h.seq, 'hash', h.hash, 'keyId', h.key_id, 'signature', h.signature) end
        )::text as published_draw
      from inspection_task t
        left join inspection_task_commitment c on c.task_id = t.id
        left join inspection_draw d on d.task_id = t.id
        left join audit_head_signature h on d.task_id is not null and h.seq = (c.commitment ->> 'beaconSeq')::bigint`);
    // The roster is expanded once per task and joined to its drawn objects by hash, not searched per object.
    this.addSql(`create view inspection_drawn_object as
      select d.task_id, x.position, x.uscc, coalesce(x.name, x.uscc) as enterprise_name, x.stratum, x.inspector_ids,
        r.outcome, a.supervised, a.failed_inspections, a.last_outcome, to_char(a.last_inspected_on, 'YYYY-MM-DD') as last_inspected_on
      from inspection_draw d
        join inspection_task_commitment c on c.task_id = d.task_id
        cross join lateral (
          select o.n::integer as position, o.value ->> 'uscc' as uscc, o.value ->> 'stratum' as stratum, n.name,
            array(select jsonb_array_elements_text(o.value -> 'inspectorIds')) as inspector_ids
          from jsonb_array_elements(d.result -> 'objects') with ordinality as o(value, n)
            left join jsonb_to_recordset(c.roster) as n(uscc text, name text) on n.uscc = o.value ->> 'uscc') x
        left join inspection_result r on r.task_id = d.task_id and r.uscc = x.uscc
        left join inspection_roster_attributes a on a.task_id = d.task_id and a.uscc = x.uscc
          and exists (select 1 from inspection_assignment s where s.task_id = a.task_id and s.uscc = a.uscc)`);
    this.addSql(`create view inspection_result_read as
      select r.task_id, r.uscc, r.enterprise_name, r.item_codes, r.inspected_on, r.outcome, r.recorded_at, r.publication_due, r.findings,
        array(select a.value ->> 'ref' from jsonb_array_elements(r.attachments) with ordinality as a(value, n) order by a.n) as attachments
      from inspection_result r`);
    this.addSql('grant select on inspection_task_read, inspection_drawn_object, inspection_result_read to xietong_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop view if exists inspection_result_read, inspection_drawn_object, inspection_task_read');
  }
}
