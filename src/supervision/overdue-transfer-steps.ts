import type { Pool } from 'pg';
import type { CrimeCatalogue } from '../domains/case-transfer';

/**
 * Raises an OVERDUE event for each step of a transfer that took longer than its catalogue entry's
 * days and has not been raised for that step and version yet: PREPARED past the transfer days
 * since the case occurred, SUBMITTED past the acknowledge days since submission, ACKNOWLEDGED past
 * the decide days since receipt. The events go out through the outbox like any transfer change
 * (the unique index `case_transfer_overdue_once` keeps each to one). Run by the derivation job and
 * `npm run derive`; returns how many it raised. The transfers are locked (`for share`) until the
 * events commit: the outbox trigger reads the row again for the event, and a step committed in
 * between (a submission) would give a PREPARED event the submission's police sight.
 */
export async function raiseOverdueTransferSteps(pool: Pick<Pool, 'query'>, catalogue: CrimeCatalogue): Promise<number> {
  const entries = JSON.stringify(
    catalogue.entries.map((e) => ({
      violation_code: e.violationCode,
      transfer: e.ruleDays.transfer,
      acknowledge: e.ruleDays.acknowledge,
      decide: e.ruleDays.decide,
    })),
  );
  const { rowCount } = await pool.query(
    `with k as (select * from json_to_recordset($1::json) as k(violation_code text, transfer int, acknowledge int, decide int)),
     late as (
       select t.id, t.version, t.status,
         case t.status when 'PREPARED' then 'TRANSFER' when 'SUBMITTED' then 'ACKNOWLEDGE' else 'DECIDE' end as step
       from case_transfer t
       join k on k.violation_code = t.violation_code
       left join enforcement_case x on x.case_number = t.case_number and x.deleted_at is null
       where t.deleted_at is null and (
         (t.status = 'PREPARED' and x.occurred_at + make_interval(days => k.transfer) < now())
         or (t.status = 'SUBMITTED' and t.submitted_at + make_interval(days => k.acknowledge) < now())
         or (t.status = 'ACKNOWLEDGED' and t.acknowledged_at + make_interval(days => k.decide) < now()))
       for share of t)
     insert into case_transfer_event (transfer_id, version, action, from_status, to_status, overdue_step, at,
       provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
     select id, version, 'OVERDUE', status, status, step, now(), 'HUB', id || '/' || version || '/OVERDUE/' || step, now(), now(),
       md5(concat_ws('|', id, version, 'OVERDUE', step))
     from late
     on conflict (transfer_id, overdue_step, version) where action = 'OVERDUE' do nothing`,
    [entries],
  );
  return rowCount ?? 0;
}
