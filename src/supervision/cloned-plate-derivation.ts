import type { PoolClient } from 'pg';
import { ClueKind } from '../domains/clue';
import type { ClonedPlateRule } from './clue-rules';
import {
  analyze,
  candidatesFromEvidence,
  changedIn,
  touchedCount,
  UNIT,
  vehicleKey,
  windowBounds,
  visibleIn,
  windowOf,
  type DerivationSpan,
} from './derivation-sql';

/**
 * The longest gap between two captures of a plate that are judged as a pair: a pair further apart
 * in time implies no speed worth a clue at any distance within the province (200 km/h over 2 h
 * is 400 km). It bounds the state the rule keeps and the captures a late one is compared with.
 */
const PAIR_REACH = `interval '2 hours'`;

/** Great-circle distance in km between checkpoints `a` and `b` (haversine; coordinates in degrees). */
const distanceKm = (a: string, b: string) =>
  `2 * 6371 * asin(sqrt(power(sin(radians(${b}.latitude - ${a}.latitude) / 2), 2)
     + cos(radians(${a}.latitude)) * cos(radians(${b}.latitude)) * power(sin(radians(${b}.longitude - ${a}.longitude) / 2), 2)))`;

/**
 * The speed pair `p` implies between checkpoints `a` and `b`, km/h. Two captures in the same
 * instant far apart: as fast as it gets (the bands' top).
 */
const impliedKmh = (p: string, a: string, b: string) =>
  `case when ${p}.to_at > ${p}.from_at then ${distanceKm(a, b)} / (extract(epoch from ${p}.to_at - ${p}.from_at) / 3600.0) else 1e6 end`;

const PAIR_COLUMNS = 'plate_number, plate_color, to_at, to_serial, to_code, from_at, from_serial, from_code';

/**
 * A `sequence` of captures, each with the one before it (`from_*`) and the serial of the one after
 * it (`next_serial`) of its plate. Partitioned by the plate's bytes ("C"): the same groups, sorted
 * without the collation's cost.
 */
const linkedOf = (sequence: string) =>
  `select s.*, lag(s.captured_at) over w as from_at, lag(s.source_serial) over w as from_serial, lag(s.checkpoint_code) over w as from_code,
     lead(s.source_serial) over w as next_serial
   from (${sequence}) s
   window w as (partition by s.plate_number collate "C", s.plate_color collate "C" order by s.captured_at, s.source_serial)`;

/** The pairs of `linked` (a `linkedOf`): consecutive captures at most the reach apart. */
const pairsOf = (linked: string) =>
  `select plate_number, plate_color, captured_at, source_serial, checkpoint_code, from_at, from_serial, from_code from ${linked} l
   where l.from_serial is not null and l.captured_at - l.from_at <= ${PAIR_REACH}`;

/** The captures of the run's snapshot (`through`): a capture committed since waits for the next run. */
const inSnapshot = (alias: string, through: string) => visibleIn(`${alias}.derive_xid`, through);

const CAPTURE_COLUMNS = 'c.plate_number, c.plate_color, c.captured_at, c.source_serial, c.checkpoint_code';

/**
 * Builds the rule's state again from every capture of the snapshot (a full run): each plate's
 * last capture and its pairs. Returns nothing: every pair's window is derived again.
 */
async function rebuildState(client: PoolClient, through: string): Promise<void> {
  await client.query('delete from cloned_plate_pair');
  await client.query('delete from cloned_plate_last');
  await client.query(
    `insert into cloned_plate_pair (${PAIR_COLUMNS})
     ${pairsOf(`(${linkedOf(`select ${CAPTURE_COLUMNS} from checkpoint_capture c where ${inSnapshot('c', through)}`)})`)}`,
  );
  await client.query(
    `insert into cloned_plate_last (plate_number, plate_color, source_serial, captured_at, checkpoint_code)
     select distinct on (plate_number, plate_color) plate_number, plate_color, source_serial, captured_at, checkpoint_code
     from checkpoint_capture c where ${inSnapshot('c', through)}
     order by plate_number, plate_color, captured_at desc, source_serial desc`,
  );
}

/**
 * Adds the run's new captures to the rule's state; fills `pair_change` with the pairs added or
 * changed (`reordered` when a late capture may have split a pair that was judged before). A plate whose new captures all come after its last capture (the
 * usual case: captures arrive in order) pairs them from that last capture, reading no other
 * capture. A plate with a capture earlier than its last (committed late) is paired again over the
 * span its new captures reach: pairs are at most the reach apart, so no pair outside it changes.
 * Captures are only ever added, so a late one only splits a pair: the later capture's row gets
 * its new predecessor (the upsert), the late one a row of its own; no pair vanishes.
 */
async function advanceState(client: PoolClient, since: DerivationSpan): Promise<void> {
  await client.query(
    `create temp table new_capture on commit drop as
     select plate_number, plate_color, source_serial, captured_at, checkpoint_code from checkpoint_capture c where ${changedIn('c.derive_xid', since)}`,
  );
  await client.query(
    `create temp table new_plate on commit drop as
     select n.plate_number, n.plate_color, min(n.captured_at) as lo, max(n.captured_at) as hi,
       bool_and(l.plate_number is null or (n.captured_at, n.source_serial) > (l.captured_at, l.source_serial)) as in_order
     from new_capture n left join cloned_plate_last l on l.plate_number = n.plate_number and l.plate_color = n.plate_color
     group by n.plate_number, n.plate_color`,
  );
  await analyze(client, 'new_plate');
  await client.query(
    `create temp table pair_change (plate_number text, plate_color text, to_at timestamptz, to_code text, from_at timestamptz, from_code text,
       reordered boolean) on commit drop`,
  );
  // One pass over the plates' sequences: their new pairs, and their last capture moved on (never
  // back: a late capture's span may end before the plate's last).
  await client.query(
    `with linked as (
       ${linkedOf(`
         select l.plate_number, l.plate_color, l.captured_at, l.source_serial, l.checkpoint_code
         from cloned_plate_last l join new_plate n on n.plate_number = l.plate_number and n.plate_color = l.plate_color where n.in_order
         union all select ${CAPTURE_COLUMNS}
         from new_capture c join new_plate n on n.plate_number = c.plate_number and n.plate_color = c.plate_color where n.in_order
         union all select ${CAPTURE_COLUMNS}
         from new_plate n join checkpoint_capture c on c.plate_number = n.plate_number and c.plate_color = n.plate_color
           and c.captured_at >= n.lo - ${PAIR_REACH} and c.captured_at <= n.hi + ${PAIR_REACH}
         where not n.in_order and ${inSnapshot('c', since.through)}`)}
     ),
     added as (
       insert into cloned_plate_pair (${PAIR_COLUMNS})
       ${pairsOf('linked')}
       on conflict (plate_number, plate_color, to_at, to_serial) do update set
         from_at = excluded.from_at, from_serial = excluded.from_serial, from_code = excluded.from_code
       where cloned_plate_pair.from_serial <> excluded.from_serial or cloned_plate_pair.from_at <> excluded.from_at
       returning plate_number, plate_color, to_at, to_code, from_at, from_code),
     moved as (
       insert into cloned_plate_last (plate_number, plate_color, source_serial, captured_at, checkpoint_code)
       select plate_number, plate_color, source_serial, captured_at, checkpoint_code from linked where next_serial is null
       on conflict (plate_number, plate_color) do update set
         source_serial = excluded.source_serial, captured_at = excluded.captured_at, checkpoint_code = excluded.checkpoint_code
       where (excluded.captured_at, excluded.source_serial) > (cloned_plate_last.captured_at, cloned_plate_last.source_serial))
     insert into pair_change
     select a.*, not n.in_order from added a join new_plate n on n.plate_number = a.plate_number and n.plate_color = a.plate_color`,
  );
}

/**
 * CLONED_PLATE (套牌): consecutive captures of one plate and colour, at most `PAIR_REACH` apart,
 * at checkpoints at least `minDistanceKm` apart, with an implied speed above
 * `maxImpliedSpeedKmh`. Both captures are the evidence; the clue's window is the later one's.
 * The pairs are the rule's state, kept in tables (`cloned_plate_pair`, `cloned_plate_last`) and
 * moved in the run's transaction with the clues and the cursor; a full run builds them again
 * from the captures, so both give the same clues.
 *
 * The rule file's vehicle-type variant is not derived: captures carry no recorded vehicle type.
 */
export async function deriveClonedPlate(client: PoolClient, rule: ClonedPlateRule, since: DerivationSpan | null, through: string): Promise<number> {
  const unit = UNIT[rule.window];
  if (since) await advanceState(client, since);
  else await rebuildState(client, through);
  const pairWindows = (pairs: string) => `select p.plate_number, p.plate_color, ${windowOf('p.to_at', unit)} as window_start from ${pairs}`;
  // A new pair in order changes its window's clue only if it offends; a pair a late capture
  // re-linked may have offended before, so its window is judged again whatever it is now.
  const changedPairs = `pair_change p
    left join checkpoint a on a.code = p.from_code and a.deleted_at is null
    left join checkpoint b on b.code = p.to_code and b.deleted_at is null
    where p.reordered or (${distanceKm('a', 'b')} >= $1::float8 and ${impliedKmh('p', 'a', 'b')} > $2::float8)`;
  await client.query(
    `insert into touched
     select distinct 'VEHICLE', ${vehicleKey('k')}, k.plate_number, k.plate_color, k.window_start from (
       ${
         since
           ? `${pairWindows(changedPairs)}
              union ${pairWindows(`cloned_plate_pair p join checkpoint x on x.code in (p.from_code, p.to_code) where ${changedIn('x.derive_xid', since)}`)}`
           : `${pairWindows('cloned_plate_pair p')}
              union select plate_number, plate_color, window_start from clue where kind = $1`
       }
     ) k`,
    since ? [rule.minDistanceKm, rule.maxImpliedSpeedKmh] : [ClueKind.CLONED_PLATE],
  );
  await analyze(client, 'touched');
  const [from, to] = windowBounds('t.window_start', unit);
  await client.query(
    `with pairs as (
       select t.subject_key, t.window_start, p.to_serial, p.to_at, p.from_serial, p.from_at, to_.division_code,
         ${distanceKm('from_', 'to_')} as km, ${impliedKmh('p', 'from_', 'to_')} as kmh
       from touched t
       join cloned_plate_pair p on p.plate_number = t.plate_number and p.plate_color = t.plate_color and p.to_at >= ${from} and p.to_at < ${to}
       join checkpoint from_ on from_.code = p.from_code and from_.deleted_at is null
       join checkpoint to_ on to_.code = p.to_code and to_.deleted_at is null
     ),
     offending as (select * from pairs where km >= $1 and kmh > $2)
     insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, capture_serial, captured_at, recorded_state, measure, division)
     select distinct on (e.subject_key, e.window_start, e.serial) e.subject_key, e.window_start, 'CAPTURE', e.serial::text, e.at, e.serial, e.at,
       'implied ' || round(e.kmh)::int || ' km/h over ' || round(e.km::numeric, 1) || ' km', e.kmh, e.division_code
     from (
       select subject_key, window_start, to_serial as serial, to_at as at, kmh, km, division_code from offending
       union all select subject_key, window_start, from_serial, from_at, kmh, km, division_code from offending
     ) e
     order by e.subject_key, e.window_start, e.serial, e.kmh desc`,
    [rule.minDistanceKm, rule.maxImpliedSpeedKmh],
  );
  await candidatesFromEvidence(client, rule.severityByImpliedSpeedKmh);
  return touchedCount(client);
}
