import type { PoolClient } from 'pg';
import { escapeLike } from '../db/escape-like';
import { ClueKind } from '../domains/clue';
import type { IllegalOperationRule } from './clue-rules';
import { analyze, candidatesFromEvidence, changedIn, touchedCount, UNIT, vehicleKey, windowBounds, windowOf, type DerivationSpan } from './derivation-sql';

/**
 * ILLEGAL_OPERATION (非法营运): a passenger-car plate (the rule's colours) with no road transport
 * certificate the transport system knows, captured at transport-hub checkpoints (railway and coach
 * stations: names containing the rule's words) at least `minHubCaptures` times on at least
 * `minDistinctDays` days of a window — the pattern of a 黑车 working a station. The hub captures
 * are the evidence; severity by distinct days; routed to the division of the hub it works most.
 */
export async function deriveIllegalOperation(client: PoolClient, rule: IllegalOperationRule, since: DerivationSpan | null): Promise<number> {
  const unit = UNIT[rule.window];
  await client.query(
    `create temp table hub_checkpoint on commit drop as
     select code, division_code from checkpoint where deleted_at is null and name like any($1::text[])`,
    [rule.hubCheckpointNameContains.map((word) => `%${escapeLike(word)}%`)],
  );
  await analyze(client, 'hub_checkpoint');
  const hubCaptures = (join = '', where = 'true') =>
    `select c.plate_number, c.plate_color, ${windowOf('c.captured_at', unit)} as window_start
     from checkpoint_capture c join hub_checkpoint h on h.code = c.checkpoint_code ${join}
     where c.plate_color = any($2::text[]) and ${where}`;
  // Each input's changes on its own (indexed) path: the new captures, and the captures of the
  // changed vehicles and hub checkpoints; one scan of every hub capture testing all three would
  // read the whole table on every run.
  await client.query(
    `insert into touched
     select distinct 'VEHICLE', ${vehicleKey('k')}, k.plate_number, k.plate_color, k.window_start from (
       ${
         since
           ? `${hubCaptures('', changedIn('c.derive_xid', since))}
              union ${hubCaptures('join vehicle x on x.plate_number = c.plate_number and x.plate_color = c.plate_color', changedIn('x.derive_xid', since))}
              union ${hubCaptures('join checkpoint x on x.code = c.checkpoint_code', changedIn('x.derive_xid', since))}
              union select plate_number, plate_color, window_start from clue where kind = $1 and false`
           : `${hubCaptures()}
              union select plate_number, plate_color, window_start from clue where kind = $1`
       }
     ) k`,
    [ClueKind.ILLEGAL_OPERATION, rule.passengerPlateColors],
  );
  await analyze(client, 'touched');
  const [from, to] = windowBounds('t.window_start', unit);
  await client.query(
    `with hub_visits as (
       select t.subject_key, t.window_start, c.source_serial, c.captured_at, h.division_code, ${windowOf('c.captured_at', 'day')} as day
       from touched t
       join checkpoint_capture c on c.plate_number = t.plate_number and c.plate_color = t.plate_color and c.captured_at >= ${from} and c.captured_at < ${to}
       join hub_checkpoint h on h.code = c.checkpoint_code
       where t.plate_color = any($3::text[])
         -- Certified to operate: not this rule's (an expired certificate is EXPIRED_OR_REVOKED_BUT_ACTIVE's).
         and not exists (select 1 from vehicle v where v.plate_number = t.plate_number and v.plate_color = t.plate_color
                           and v.deleted_at is null and v.transport_certificate_number is not null)
     ),
     per_key as (
       select subject_key, window_start, count(distinct day) as days, count(*) as visits,
         mode() within group (order by division_code) as division
       from hub_visits group by subject_key, window_start
     )
     insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, capture_serial, captured_at, measure, division)
     select v.subject_key, v.window_start, 'CAPTURE', v.source_serial::text, v.captured_at, v.source_serial, v.captured_at, k.days, k.division
     from hub_visits v join per_key k on k.subject_key = v.subject_key and k.window_start = v.window_start
     where k.days >= $1 and k.visits >= $2`,
    [rule.minDistinctDays, rule.minHubCaptures, rule.passengerPlateColors],
  );
  await candidatesFromEvidence(client, rule.severityByDistinctDays);
  return touchedCount(client);
}
