import type { PoolClient } from 'pg';
import { ClueKind } from '../domains/clue';
import type { UntransferredCriminalRule } from './clue-rules';
import { analyze, bandsJson, candidatesFromEvidence, changedIn, touchedCount, UNIT, windowOf, type DerivationSpan } from './derivation-sql';

/**
 * A case's party as the clue's subject: the enterprise, else the vehicle, else the case itself.
 * Never a person's ID number: a clue's subject key is read by everyone who may read the clue, and
 * its id is a hash of it that a resident ID's small space would let anyone reverse. The person
 * stays readable through the case, under the caller's grants for cases.
 */
const SUBJECT_TYPE = `case when x.party_uscc is not null then 'ENTERPRISE' when x.vehicle_plate_number is not null then 'VEHICLE' else 'CASE' end`;
const SUBJECT_KEY = `coalesce(x.party_uscc, x.vehicle_plate_number || '/' || x.vehicle_plate_color, x.case_number)`;

/** The crime catalogue as the statements read it: violation code, threshold, days to transfer. */
const catalogueJson = (rule: UntransferredCriminalRule) =>
  JSON.stringify(
    rule.crimeCatalogue.entries.map((k) => ({ violation_code: k.violationCode, min_penalty: k.minPenaltyYuan, transfer_days: k.ruleDays.transfer })),
  );

/**
 * UNTRANSFERRED_CRIMINAL (有案不移): a case whose violation is in the crime catalogue, its
 * penalty at or above the entry's threshold, not transferred to the police (the transport system's
 * `transferredToPolice` flag or TRANSFERRED status, or a transfer the hub recorded as submitted)
 * the entry's transfer days after it occurred. Severity by days overdue. One clue per party and
 * window of the case's occurrence; routed to the case's division.
 *
 * A case becomes overdue, and climbs the severity bands, by time alone: a run also derives again
 * the keys of cases that crossed a deadline since the cursor.
 */
export async function deriveUntransferredCriminal(client: PoolClient, rule: UntransferredCriminalRule, since: DerivationSpan | null): Promise<number> {
  const unit = UNIT[rule.window];
  const params: unknown[] = [ClueKind.UNTRANSFERRED_CRIMINAL];
  if (since) params.push(since.clockFrom, catalogueJson(rule), bandsJson(rule.severityByDaysOverdue));
  await client.query(
    `insert into touched
     select distinct ${SUBJECT_TYPE}, ${SUBJECT_KEY},
       case when x.party_uscc is null then x.vehicle_plate_number end, case when x.party_uscc is null then x.vehicle_plate_color end,
       ${windowOf('x.occurred_at', unit)}
     from enforcement_case x
     where ${SUBJECT_KEY} is not null and ${
       since
         ? `(${changedIn('x.derive_xid', since)}
             or exists (select 1 from case_transfer h where h.case_number = x.case_number and ${changedIn('h.derive_xid', since)})
             or exists (select 1 from json_to_recordset($4::json) as b(from_ float8), json_to_recordset($3::json) as k(violation_code text, transfer_days int)
                        where k.violation_code = x.violation_code
                          and x.occurred_at + make_interval(days => k.transfer_days) + make_interval(secs => b.from_ * 86400) between $2 and now()))`
         : 'true'
     }
     union select subject_type, subject_key, plate_number, plate_color, window_start from clue where kind = $1 and ${since ? 'false' : 'true'}`,
    params,
  );
  await analyze(client, 'touched');
  await client.query(
    `with catalogue as (select * from json_to_recordset($1::json) as k(violation_code text, min_penalty float8, transfer_days int)),
     overdue as (
       select t.subject_key, t.window_start, x.case_number, x.occurred_at, x.violation_code, x.division_code, k.transfer_days,
         extract(epoch from now() - (x.occurred_at + make_interval(days => k.transfer_days))) / 86400 as days_overdue
       from touched t
       join enforcement_case x on ${SUBJECT_KEY} = t.subject_key and ${SUBJECT_TYPE} = t.subject_type
         and ${windowOf('x.occurred_at', unit)} = t.window_start
       join catalogue k on k.violation_code = x.violation_code and coalesce(x.penalty_amount_yuan, 0) >= k.min_penalty
       where x.deleted_at is null and not x.transferred_to_police and x.status <> 'TRANSFERRED'
         and not exists (select 1 from case_transfer h where h.case_number = x.case_number and h.submitted_at is not null and h.deleted_at is null)
     )
     insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, case_number, recorded_state, measure, division)
     select subject_key, window_start, 'CASE', case_number, occurred_at, case_number,
       violation_code || ' not transferred ' || transfer_days || ' days after', days_overdue, division_code
     from overdue where days_overdue >= 0`,
    [catalogueJson(rule)],
  );
  await candidatesFromEvidence(client, rule.severityByDaysOverdue);
  return touchedCount(client);
}
