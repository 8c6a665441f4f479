import { inTransaction } from '../db/transaction';
import type { Pool, PoolClient } from 'pg';
import { ClueKind } from '../domains/clue';
import type { ClueRule, ClueRules, ExpiredOrRevokedRule, OverloadRule } from './clue-rules';
import { assertNever } from '../errors/assert-never';
import { deriveClonedPlate } from './cloned-plate-derivation';
import { deriveIllegalOperation } from './illegal-operation-derivation';
import { deriveUntransferredCriminal } from './untransferred-criminal-derivation';
import { raiseOverdueTransferSteps } from './overdue-transfer-steps';
import {
  analyze,
  bandsJson,
  candidatesFromEvidence,
  changedIn,
  licenceInForce,
  touchedCount,
  UNIT,
  vehicleKey,
  windowOf,
  type DerivationSpan,
} from './derivation-sql';

/**
 * The write side of supervision clues: each enabled rule, as set-based SQL over the synced tables.
 *
 * A run finds the keys (subject, window) its inputs touched since the rule's cursor (the rows of
 * the transactions committed since its last run: `DerivationSpan`), derives the
 * clue of each such key again from the current data, and in one transaction upserts the clues on
 * their dedup key (`clue_dedup_key`; a clue is rewritten only when its content changed), makes
 * their evidence exactly what the rule now finds, withdraws (soft-deletes) OPEN clues whose
 * grounds vanished, and moves the cursor. A crash before the commit leaves clues and cursor as
 * they were; running twice changes nothing. A full run treats every key as touched and gives the
 * same clues.
 */

export interface DerivationOptions {
  /** Every key, not only those changed since the cursor (the re-derivation command). */
  full?: boolean;
  /** Only the rules of these kinds (default: every enabled rule), e.g. those whose inputs are loaded so far. */
  kinds?: readonly ClueKind[];
}

export interface RuleRun {
  ruleId: string;
  kind: ClueKind;
  /** Keys (subject, window) derived again. */
  keys: number;
  /** Clues inserted or changed. */
  written: number;
  /** OPEN clues withdrawn because their grounds vanished. */
  withdrawn: number;
  /** The clock of this run (the rule's cursor also keeps its snapshot: what it derived through). */
  derivedThrough: Date;
  /** How long the run took, commit included. */
  ms: number;
}

/**
 * Candidate clues of the touched keys, in temp tables `candidate` (one row per clue) and
 * `candidate_evidence`, are turned into clues: the same statements for every rule.
 */
async function writeCandidates(client: PoolClient, kind: ClueKind, ruleId: string, version: string): Promise<{ written: number; withdrawn: number }> {
  // Temp tables get no statistics by themselves: without them a full run's joins are planned for a handful of rows.
  await client.query('analyze touched, candidate, candidate_evidence');
  await client.query(
    `update candidate set id = 'CL' || to_char(window_start, 'YYYYMMDD') || '-' ||
       upper(substr(md5($1 || '|' || subject_type || '|' || subject_key || '|' || window_start::text), 1, 12))`,
    [kind],
  );
  const written = await client.query(
    `insert into clue as c (id, kind, subject_type, subject_key, plate_number, plate_color, division, severity, severity_rank, status,
       rule_id, rule_version, window_start, first_seen, last_seen, evidence_count, provenance_system, provenance_record_id,
       provenance_source_updated_at, provenance_synced_at, provenance_content_hash, deleted_at)
     select k.id, $1::text, k.subject_type, k.subject_key, k.plate_number, k.plate_color, k.division, k.severity, k.severity_rank, 'OPEN',
       $2::text, $3::text, k.window_start, k.first_seen, k.last_seen, coalesce(e.n, 0), 'HUB', k.id, k.last_seen, now(),
       md5(concat_ws('|', k.division, k.severity, k.first_seen, k.last_seen, $2::text, $3::text, e.refs)), null
     from candidate k
     -- Aggregated once and joined: a lateral subquery per candidate would scan the (unindexed) evidence for each.
     left join (select ce.subject_key, ce.window_start, count(*)::int as n,
                  string_agg(ce.kind || ':' || ce.ref || ':' || coalesce(ce.recorded_state, ''), ',' order by ce.kind, ce.ref) as refs
                from candidate_evidence ce group by ce.subject_key, ce.window_start) e
       on e.subject_key = k.subject_key and e.window_start = k.window_start
     on conflict (kind, subject_type, subject_key, window_start) do update set
       -- An officer's clue stays in the division that took it up: only an OPEN clue follows its evidence.
       division = case when c.status = 'OPEN' then excluded.division else c.division end, severity = excluded.severity, severity_rank = excluded.severity_rank,
       rule_id = excluded.rule_id, rule_version = excluded.rule_version, first_seen = excluded.first_seen,
       last_seen = excluded.last_seen, evidence_count = excluded.evidence_count,
       provenance_source_updated_at = excluded.provenance_source_updated_at, provenance_synced_at = excluded.provenance_synced_at,
       provenance_content_hash = excluded.provenance_content_hash, deleted_at = null
     where c.provenance_content_hash is distinct from excluded.provenance_content_hash or c.deleted_at is not null`,
    [kind, ruleId, version],
  );
  // The evidence of each derived clue becomes exactly what the rule finds now (merged: the rule
  // reads all of the key's records, old and new).
  await client.query(
    `delete from clue_evidence ev using candidate k
     where ev.clue_id = k.id
       and not exists (select 1 from candidate_evidence ce
                       where ce.subject_key = k.subject_key and ce.window_start = k.window_start and ce.kind = ev.kind and ce.ref = ev.ref
                         and ce.recorded_state is not distinct from ev.recorded_state)`,
  );
  await client.query(
    `insert into clue_evidence (clue_id, kind, ref, observed_at, recorded_state, weighing_source_id, capture_serial, captured_at,
       case_number, plate_number, plate_color, licence_number)
     select k.id, ce.kind, ce.ref, ce.observed_at, ce.recorded_state, ce.weighing_source_id, ce.capture_serial, ce.captured_at,
       ce.case_number, ce.plate_number, ce.plate_color, ce.licence_number
     from candidate_evidence ce join candidate k on k.subject_key = ce.subject_key and k.window_start = ce.window_start
     on conflict (clue_id, kind, ref) do nothing`,
  );
  // Touched keys the rule no longer finds: an OPEN clue is withdrawn; one an officer has taken on stays.
  const withdrawn = await client.query(
    `update clue c set deleted_at = now()
     from touched t
     where c.kind = $1 and c.subject_type = t.subject_type and c.subject_key = t.subject_key and c.window_start = t.window_start
       and c.status = 'OPEN' and c.deleted_at is null
       and not exists (select 1 from candidate k where k.subject_key = t.subject_key and k.window_start = t.window_start)`,
    [kind],
  );
  return { written: written.rowCount ?? 0, withdrawn: withdrawn.rowCount ?? 0 };
}

/** Temp tables a rule run fills; dropped at commit. */
async function createWorkTables(client: PoolClient): Promise<void> {
  await client.query(`create temp table touched (subject_type text, subject_key text, plate_number text, plate_color text, window_start date) on commit drop`);
  await client.query(
    `create temp table candidate (id text, subject_type text, subject_key text, plate_number text, plate_color text, window_start date,
       division text, severity text, severity_rank smallint, first_seen timestamptz, last_seen timestamptz) on commit drop`,
  );
  await client.query(
    `create temp table candidate_evidence (subject_key text, window_start date, kind text, ref text, observed_at timestamptz,
       recorded_state text, weighing_source_id text, capture_serial bigint, captured_at timestamptz, case_number text,
       plate_number text, plate_color text, licence_number text,
       -- What the rule measured of this record, and where it was: for the clue's severity and division.
       measure double precision, division text) on commit drop`,
  );
}

/**
 * OVERLOAD: weighings over the rule's GB 1589 limit for their axle count by more than the
 * tolerance, with no live case for the vehicle on the weighing's day. One clue per vehicle and window.
 */
async function deriveOverload(client: PoolClient, rule: OverloadRule, since: DerivationSpan | null): Promise<number> {
  const unit = UNIT[rule.window];
  const changed = since ? changedIn('x.derive_xid', since) : 'true';
  await client.query(
    `insert into touched
     select distinct 'VEHICLE', ${vehicleKey('k')}, k.plate_number, k.plate_color, k.window_start from (
       select x.plate_number, x.plate_color, ${windowOf('x.measured_at', unit)} as window_start from weighing x where ${changed}
       union select x.vehicle_plate_number, x.vehicle_plate_color, ${windowOf('x.occurred_at', unit)} from enforcement_case x
         where x.vehicle_plate_number is not null and x.vehicle_plate_color is not null and ${changed}
       union select w.plate_number, w.plate_color, ${windowOf('w.measured_at', unit)} from vehicle x
         join weighing w on w.plate_number = x.plate_number and w.plate_color = x.plate_color where ${changed}
       union select plate_number, plate_color, window_start from clue where kind = $1 and ${since ? 'false' : 'true'}
     ) k`,
    [ClueKind.OVERLOAD],
  );
  await analyze(client, 'touched');
  const maxAxles = rule.limits[rule.limits.length - 1].axles;
  await client.query(
    `with limits as (select * from json_to_recordset($1::json) as l(axles int, rigid_kg int, combination_kg int)),
     judged as (
       select w.source_id, w.plate_number, w.plate_color, w.measured_at, w.measured_total_mass_kg as mass, w.station_division_code,
         t.subject_key, t.window_start,
         case when v.plate_number is null or (v.vehicle_type like any($2::text[]) and w.axle_count > v.axle_count)
              then l.combination_kg else l.rigid_kg end as limit_kg
       from touched t
       join weighing w on w.plate_number = t.plate_number and w.plate_color = t.plate_color
         and w.measured_at >= (t.window_start::timestamp at time zone 'Asia/Shanghai')
         and w.measured_at < ((t.window_start + interval '1 ${unit}')::timestamp at time zone 'Asia/Shanghai')
       join limits l on l.axles = least(w.axle_count, $3)
       left join vehicle v on v.plate_number = w.plate_number and v.plate_color = w.plate_color and v.deleted_at is null
       where w.deleted_at is null
     )
     insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, weighing_source_id, recorded_state, measure, division)
     select j.subject_key, j.window_start, 'WEIGHING', j.source_id, j.measured_at, j.source_id, 'limit ' || j.limit_kg || ' kg',
       (j.mass - j.limit_kg)::float8 / j.limit_kg, j.station_division_code
     from judged j
     where j.mass > j.limit_kg * (1 + $4::float8)
       and not exists (
         select 1 from enforcement_case c
         where c.vehicle_plate_number = j.plate_number and c.vehicle_plate_color = j.plate_color and c.deleted_at is null
           and c.occurred_at >= (${windowOf('j.measured_at', 'day')}::timestamp at time zone 'Asia/Shanghai')
           and c.occurred_at < ((${windowOf('j.measured_at', 'day')} + 1)::timestamp at time zone 'Asia/Shanghai'))`,
    [
      JSON.stringify(rule.limits.map((l) => ({ axles: l.axles, rigid_kg: l.rigidKg, combination_kg: l.combinationKg }))),
      `{${rule.combinationVehicleTypes.map((p) => `"${p.replace(/["\\%_]/g, '')}%"`).join(',')}}`,
      maxAxles,
      rule.tolerance,
    ],
  );
  // Routed to the district of the worst weighing's station.
  await candidatesFromEvidence(client, rule.severityByOverloadRatio);
  return touchedCount(client);
}

/**
 * The Beijing day of the first capture, from the capture rollup (a row per hour with captures,
 * written in the captures' own transaction, emptied hours deleted) read down its key's index. Over
 * the captures, a minimum of an expression read every partition on every job (0.3 s at 2 million
 * captures, growing with them).
 */
export const FIRST_CAPTURE_DAY = `(select (min(hour_start) at time zone 'Asia/Shanghai')::date from capture_rollup)`;

/**
 * EXPIRED_OR_REVOKED_BUT_ACTIVE: captures of a vehicle on days its road transport certificate, or
 * its operator's licence, was not in force (a status the rule lists; an expiry date passed),
 * at least `minCaptures` in a window. One clue per vehicle and window.
 */
async function deriveExpiredOrRevoked(client: PoolClient, rule: ExpiredOrRevokedRule, since: DerivationSpan | null): Promise<number> {
  const unit = UNIT[rule.window];
  // A vehicle that may be out of force on some day: the per-capture test below decides.
  await client.query(
    `create temp table suspect on commit drop as
     select v.plate_number, v.plate_color, v.owner_uscc, v.transport_certificate_number, v.transport_certificate_status,
       v.transport_certificate_valid_to, v.provenance_source_updated_at,
       coalesce(v.transport_certificate_division, e.division_code, v.registration_division) as division
     from vehicle v
     left join enterprise e on e.uscc = v.owner_uscc and e.deleted_at is null
     where v.deleted_at is null and (
       v.transport_certificate_status = any($1::text[])
       or ('EXPIRED' = any($1::text[]) and v.transport_certificate_status = 'VALID' and v.transport_certificate_valid_to < current_date)
       or (exists (select 1 from operator_licence l where l.holder_uscc = v.owner_uscc and l.deleted_at is null
                     and (l.status = any($2::text[]) or l.valid_to < current_date))
           -- An operator licensed without a break from the first capture to today is never out of force.
           and not exists (select 1 from operator_licence l where l.holder_uscc = v.owner_uscc and l.deleted_at is null
                             and ${licenceInForce('l', 'current_date')}
                             and l.valid_from <= ${FIRST_CAPTURE_DAY})))`,
    [rule.certificateStatuses, rule.licenceStatuses],
  );
  await client.query('create index on suspect (plate_number, plate_color)');
  await analyze(client, 'suspect');
  const windows = (plates: string) =>
    `select distinct c.plate_number, c.plate_color, ${windowOf('c.captured_at', unit)} as window_start
     from (${plates}) p join checkpoint_capture c on c.plate_number = p.plate_number and c.plate_color = p.plate_color`;
  await client.query(
    `insert into touched
     select distinct 'VEHICLE', ${vehicleKey('k')}, k.plate_number, k.plate_color, k.window_start from (
       ${
         since
           ? `select c.plate_number, c.plate_color, ${windowOf('c.captured_at', unit)} as window_start
              from checkpoint_capture c join suspect s on s.plate_number = c.plate_number and s.plate_color = c.plate_color
              where ${changedIn('c.derive_xid', since)}
              union ${windows(`select plate_number, plate_color from vehicle x where ${changedIn('x.derive_xid', since)}`)}
              union ${windows(`select v.plate_number, v.plate_color from operator_licence x join vehicle v on v.owner_uscc = x.holder_uscc
                               where ${changedIn('x.derive_xid', since)}`)}
              union select plate_number, plate_color, window_start from clue where kind = $1 and false`
           : `${windows('select plate_number, plate_color from suspect')}
              union select plate_number, plate_color, window_start from clue where kind = $1`
       }
     ) k`,
    [ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE],
  );
  await analyze(client, 'touched');
  // Each capture of a touched key on a day the vehicle was out of force, and why.
  await client.query(
    `create temp table offending on commit drop as
     select t.subject_key, t.window_start, c.source_serial, c.captured_at, s.*,
       (s.transport_certificate_status = any($1::text[]) and (s.transport_certificate_status <> 'EXPIRED' or s.transport_certificate_valid_to is null
          or s.transport_certificate_valid_to < d.day))
       or ('EXPIRED' = any($1::text[]) and s.transport_certificate_status = 'VALID' and s.transport_certificate_valid_to < d.day) as certificate_out,
       (s.owner_uscc is not null
          and exists (select 1 from operator_licence l where l.holder_uscc = s.owner_uscc and l.deleted_at is null
                        and (l.status = any($2::text[]) or l.valid_to < d.day))
          and not exists (select 1 from operator_licence l where l.holder_uscc = s.owner_uscc and l.deleted_at is null
                            and ${licenceInForce('l', 'd.day')})) as licence_out
     from touched t
     join suspect s on s.plate_number = t.plate_number and s.plate_color = t.plate_color
     join checkpoint_capture c on c.plate_number = t.plate_number and c.plate_color = t.plate_color
       and c.captured_at >= (t.window_start::timestamp at time zone 'Asia/Shanghai')
       and c.captured_at < ((t.window_start + interval '1 ${unit}')::timestamp at time zone 'Asia/Shanghai')
     cross join lateral (select ${windowOf('c.captured_at', 'day')} as day) d`,
    [rule.certificateStatuses, rule.licenceStatuses],
  );
  await client.query('delete from offending where not (certificate_out or licence_out)');
  await client.query(
    `delete from offending o using (select subject_key, window_start from offending group by 1, 2 having count(*) < $1) few
     where o.subject_key = few.subject_key and o.window_start = few.window_start`,
    [rule.minCaptures],
  );
  await client.query(
    `insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, capture_serial, captured_at)
     select subject_key, window_start, 'CAPTURE', source_serial::text, captured_at, source_serial, captured_at from offending`,
  );
  await client.query(
    `insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, recorded_state, plate_number, plate_color)
     select distinct on (subject_key, window_start) subject_key, window_start, 'CERTIFICATE', coalesce(transport_certificate_number, subject_key),
       provenance_source_updated_at,
       transport_certificate_status || coalesce(' until ' || transport_certificate_valid_to::text, ''), plate_number, plate_color
     from offending where certificate_out`,
  );
  await client.query(
    `insert into candidate_evidence (subject_key, window_start, kind, ref, observed_at, recorded_state, licence_number)
     select distinct k.subject_key, k.window_start, 'LICENCE', l.number, l.provenance_source_updated_at,
       l.status || ' until ' || l.valid_to::text, l.number
     from (select distinct subject_key, window_start, owner_uscc, max(captured_at) over (partition by subject_key, window_start) as last_seen
           from offending where licence_out) k
     join operator_licence l on l.holder_uscc = k.owner_uscc and l.deleted_at is null
       and (l.status = any($1::text[]) or l.valid_to < ${windowOf('k.last_seen', 'day')})`,
    [rule.licenceStatuses],
  );
  await client.query(
    `with bands as (select * from json_to_recordset($1::json) as b(from_ float8, severity text, rank smallint)),
     per_key as (
       select subject_key, window_start, plate_number, plate_color, min(division) as division,
         min(captured_at) as first_seen, max(captured_at) as last_seen, count(*) as captures
       from offending group by subject_key, window_start, plate_number, plate_color
     )
     insert into candidate (subject_type, subject_key, plate_number, plate_color, window_start, division, severity, severity_rank, first_seen, last_seen)
     select 'VEHICLE', p.subject_key, p.plate_number, p.plate_color, p.window_start, p.division, b.severity, b.rank, p.first_seen, p.last_seen
     from per_key p cross join lateral (select severity, rank from bands where from_ <= p.captures order by from_ desc limit 1) b`,
    [bandsJson(rule.severityByCaptures)],
  );
  return touchedCount(client);
}

/** Fills `touched`, `candidate` and `candidate_evidence` for one rule; returns how many keys it derived again. */
function deriveRule(client: PoolClient, rule: ClueRule, since: DerivationSpan | null, through: string): Promise<number> {
  switch (rule.kind) {
    case ClueKind.OVERLOAD:
      return deriveOverload(client, rule, since);
    case ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE:
      return deriveExpiredOrRevoked(client, rule, since);
    case ClueKind.CLONED_PLATE:
      return deriveClonedPlate(client, rule, since, through);
    case ClueKind.ILLEGAL_OPERATION:
      return deriveIllegalOperation(client, rule, since);
    case ClueKind.UNTRANSFERRED_CRIMINAL:
      return deriveUntransferredCriminal(client, rule, since);
    default:
      return assertNever(rule);
  }
}

/** Runs one enabled rule in its own transaction, with its cursor. */
async function runRule(pool: Pool, rules: ClueRules, kind: ClueKind, options: DerivationOptions): Promise<RuleRun | null> {
  const rule = rules.enabled(kind);
  if (!rule) return null;
  const started = performance.now();
  const run = await inTransaction(pool, async (client) => {
    await client.query(
      `insert into clue_derivation_cursor (rule_id, derived_through, rule_version, updated_at) values ($1, '-infinity', $2, now())
       on conflict (rule_id) do nothing`,
      [rule.id, rules.version],
    );
    // Locked: two runs of one rule queue here instead of both deriving the same keys.
    const { rows } = await client.query<{ derived_through: Date | string; derived_snapshot: string | null; rule_version: string }>(
      'select derived_through, derived_snapshot::text, rule_version from clue_derivation_cursor where rule_id = $1 for update',
      [rule.id],
    );
    const cursor = rows[0];
    // A run sorts a batch's captures by plate and time: in memory, not in files on disk.
    await client.query(`set local work_mem = '64MB'`);
    // Taken once the lock is held, so the snapshots the cursor goes through only ever grow.
    const now = await client.query<{ through: string }>('select pg_current_snapshot()::text as through');
    const through = now.rows[0].through;
    // A new rule version re-judges everything: its thresholds may change any clue.
    const since: DerivationSpan | null =
      options.full || cursor.rule_version !== rules.version || cursor.derived_snapshot === null || !(cursor.derived_through instanceof Date)
        ? null
        : { from: cursor.derived_snapshot, through, clockFrom: cursor.derived_through };
    await createWorkTables(client);
    const keys = await deriveRule(client, rule, since, through);
    const { written, withdrawn } = await writeCandidates(client, kind, rule.id, rules.version);
    const moved = await client.query<{ derived_through: Date }>(
      `update clue_derivation_cursor set derived_snapshot = $2::pg_snapshot, derived_through = now(), rule_version = $3, updated_at = now()
       where rule_id = $1 returning derived_through`,
      [rule.id, through, rules.version],
    );
    return { ruleId: rule.id, kind, keys, written, withdrawn, derivedThrough: moved.rows[0].derived_through };
  });
  return { ...run, ms: performance.now() - started };
}

/**
 * How many rules run at once: each holds a connection of the pool the sync's batches write
 * through, so never all of them.
 */
const RULE_CONCURRENCY = 2;

/**
 * Derives the clues of every enabled rule: incrementally (what changed since each rule's cursor)
 * or, with `full`, from all the data. Both give the same clues.
 *
 * Rules run side by side (`RULE_CONCURRENCY`), each on a connection and in a transaction of its
 * own: they share no row they write (a clue's kind is part of its key; each rule has its own
 * cursor and state), so they neither wait for nor deadlock with each other. A rule that fails
 * leaves the others' clues committed, and the run answers its error once all have ended.
 */
export async function deriveClues(pool: Pool, rules: ClueRules, options: DerivationOptions = {}): Promise<RuleRun[]> {
  const kinds = Object.values(ClueKind).filter((kind) => !options.kinds || options.kinds.includes(kind));
  const runs = new Map<ClueKind, RuleRun | null>();
  const errors: unknown[] = [];
  const lane = async () => {
    for (let kind = kinds.shift(); kind; kind = kinds.shift()) {
      try {
        runs.set(kind, await runRule(pool, rules, kind, options));
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: RULE_CONCURRENCY }, lane));
  if (errors.length) throw errors[0];
  // Transfer deadlines pass with time, like the clue's: each run raises the steps that went overdue since.
  if (!options.kinds || options.kinds.includes(ClueKind.UNTRANSFERRED_CRIMINAL)) await raiseOverdueTransferSteps(pool, rules.crimeCatalogue);
  return Object.values(ClueKind).flatMap((kind) => (runs.get(kind) ? [runs.get(kind)!] : []));
}
