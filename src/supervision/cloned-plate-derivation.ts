import type { PoolClient } from 'pg';
import { ClueKind } from '../domains/clue';
import type { ClonedPlateRule } from './clue-rules';
import { candidatesFromEvidence, touchedCount, UNIT, vehicleKey, windowBounds, windowOf } from './derivation-sql';

/**
 * How far before its window a plate's previous capture is looked for: a pair further apart in
 * time implies no speed worth a clue at any distance within the province.
 */
const PAIR_REACH = `interval '2 hours'`;

/** Great-circle distance in km between checkpoints `a` and `b` (haversine; coordinates in degrees). */
const distanceKm = (a: string, b: string) =>
  `2 * 6371 * asin(sqrt(power(sin(radians(${b}.latitude - ${a}.latitude) / 2), 2)
     + cos(radians(${a}.latitude)) * cos(radians(${b}.latitude)) * power(sin(radians(${b}.longitude - ${a}.longitude) / 2), 2)))`;

/**
 * CLONED_PLATE (套牌): consecutive captures of one plate and colour at checkpoints at least
 * `minDistanceKm` apart, with an implied speed above `maxImpliedSpeedKmh`. Both captures are the
 * evidence; the clue's window is the later one's. Each key is judged again from the captures in
 * the table (indexed by plate and time), never from state kept in memory: a capture committed
 * late simply joins its plate's sequence.
 *
 * The rule file's vehicle-type variant is not derived: captures carry no recorded vehicle type.
 */
export async function deriveClonedPlate(client: PoolClient, rule: ClonedPlateRule, since: Date | null): Promise<number> {
  const unit = UNIT[rule.window];
  const params: unknown[] = [ClueKind.CLONED_PLATE];
  if (since) params.push(since);
  // A capture touches its own window and, when near its end, the next one (where it may be the earlier of a pair).
  const windowsOf = (captures: string) =>
    `select c.plate_number, c.plate_color, ${windowOf('c.captured_at', unit)} as window_start from ${captures}
     union select c.plate_number, c.plate_color, ${windowOf(`(c.captured_at + ${PAIR_REACH})`, unit)} from ${captures}`;
  await client.query(
    `insert into touched
     select distinct 'VEHICLE', ${vehicleKey('k')}, k.plate_number, k.plate_color, k.window_start from (
       ${
         since
           ? `${windowsOf('checkpoint_capture c where c.synced_at > $2')}
              union ${windowsOf('checkpoint_capture c join checkpoint x on x.code = c.checkpoint_code where x.provenance_synced_at > $2 or x.deleted_at > $2')}
              union select plate_number, plate_color, window_start from clue where kind = $1 and false`
           : `select distinct c.plate_number, c.plate_color, ${windowOf('c.captured_at', unit)} as window_start from checkpoint_capture c
              union select plate_number, plate_color, window_start from clue where kind = $1`
       }
     ) k`,
    params,
  );
  const [from, to] = windowBounds('t.window_start', unit);
  const own = windowOf('c.captured_at', unit);
  // Each key's captures in time order, each with the one before it. A full run touches every key:
  // one pass over all captures in plate order, each pair counted in its later capture's window
  // (a pair across a window's start only within reach, as a key's own sequence has it), instead of
  // a join of every key to its plate's captures.
  const sequenced = since
    ? `select t.subject_key, t.window_start, c.source_serial, c.captured_at, c.checkpoint_code,
         lag(c.source_serial) over w as prev_serial, lag(c.captured_at) over w as prev_at, lag(c.checkpoint_code) over w as prev_code
       from touched t
       join checkpoint_capture c on c.plate_number = t.plate_number and c.plate_color = t.plate_color
         and c.captured_at >= ${from} - ${PAIR_REACH} and c.captured_at < ${to}
       window w as (partition by t.subject_key, t.window_start order by c.captured_at, c.source_serial)`
    : `select * from (
         select ${vehicleKey('c')} as subject_key, ${own} as window_start, c.source_serial, c.captured_at, c.checkpoint_code,
           lag(c.source_serial) over w as prev_serial, lag(c.captured_at) over w as prev_at, lag(c.checkpoint_code) over w as prev_code
         from checkpoint_capture c
         window w as (partition by c.plate_number, c.plate_color order by c.captured_at, c.source_serial)
       ) s
       where s.prev_at >= ${windowBounds('s.window_start', unit)[0]} - ${PAIR_REACH}`;
  await client.query(
    `with sequenced as (${sequenced}),
     pairs as (
       select s.*, to_.division_code, ${distanceKm('from_', 'to_')} as km,
         extract(epoch from s.captured_at - s.prev_at) / 3600.0 as hours
       from sequenced s
       join checkpoint from_ on from_.code = s.prev_code and from_.deleted_at is null
       join checkpoint to_ on to_.code = s.checkpoint_code and to_.deleted_at is null
       where s.prev_serial is not null and s.captured_at >= ${windowBounds('s.window_start', unit)[0]}
     ),
     fast as (
       -- Two captures in the same instant far apart: as fast as it gets (the band's top).
       select p.*, case when p.hours > 0 then p.km / p.hours else 1e6 end as kmh from pairs p where p.km >= $1
     ),
     offending as (select * from fast where kmh > $2)
     insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, capture_serial, captured_at, recorded_state, measure, division)
     select distinct on (e.subject_key, e.window_start, e.serial) e.subject_key, e.window_start, 'CAPTURE', e.serial::text, e.at, e.serial, e.at,
       'implied ' || round(e.kmh)::int || ' km/h over ' || round(e.km::numeric, 1) || ' km', e.kmh, e.division_code
     from (
       select subject_key, window_start, source_serial as serial, captured_at as at, kmh, km, division_code from offending
       union all select subject_key, window_start, prev_serial, prev_at, kmh, km, division_code from offending
     ) e
     order by e.subject_key, e.window_start, e.serial, e.kmh desc`,
    [rule.minDistanceKm, rule.maxImpliedSpeedKmh],
  );
  await candidatesFromEvidence(client, rule.severityByImpliedSpeedKmh);
  return touchedCount(client);
}
