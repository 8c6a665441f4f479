import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db/transaction';
import { RiskFactor } from '../domains/risk-grade';
import { analyze, changedIn, licenceInForce, type DerivationSpan } from './derivation-sql';
import type { RiskGradeRules } from './risk-grade-rules';

/**
 * The write side of enterprise risk grades (分类分级, 千分制): set-based SQL over the synced tables
 * and the clues.
 *
 * A run finds the enterprises whose inputs changed since its cursor, grades each of them again
 * from the current data, and in one transaction upserts their grades (rewritten only when the
 * content changed), appends a row to `enterprise_risk_grade_change` for every grade that changed,
 * keeps the month's snapshots, withdraws the grades of enterprises that are no operator any more,
 * and moves the cursor. A crash before the commit leaves everything as it was; running twice
 * changes nothing. A full run grades every operator and gives the same grades.
 *
 * An enterprise is affected when a record it is graded on changed: its own (its registration,
 * licences, vehicles, cases as party, credit ratings and list entries, abnormal-operation
 * listings), a weighing of one of its vehicles, a clue about it, its vehicles or its cases (a
 * workflow step included); when a record it was graded on last time changed (the grade `cites` it: so
 * the old party of a case, the old holder of a licence or the old owner of a vehicle is graded
 * again too); or when the calendar moved a fact across a boundary since the last run (a case or
 * weighing left the look-back window, a licence or certificate expired, a listing began or ended).
 */

export interface GradingOptions {
  /** Every operator enterprise, not only those whose inputs changed (the full recompute command). */
  full?: boolean;
  /** The instant facts are judged at (default: now); tests fix it. */
  asOf?: Date;
}

export interface GradingRun {
  /** Enterprises graded again (affected, or all with `full`). */
  enterprises: number;
  /** Grades inserted or rewritten. */
  written: number;
  /** Rows appended to the change log (a grade changed, appeared or was withdrawn). */
  changes: number;
  /** Grades withdrawn: the enterprise holds no operator licence any more. */
  withdrawn: number;
  /** Whether every operator was graded (asked for, a new rule version, or the first run). */
  full: boolean;
}

/**
 * What changed, `$1` the previous run's as-of, `$2` this run's as-of, `$3` look-back months.
 * Every table graded on records the transaction that wrote each row (`derive_xid`): a change is a
 * transaction committed between the previous run's snapshot and this one's, however long it was
 * open before it committed. Each condition is its own arm of the union, so that each reads an
 * index range (the writer's xid, or the date the calendar passed) instead of scanning the table.
 */
const COMMITTED = (x: string, span: DerivationSpan) => changedIn(`${x}.derive_xid`, span);
const TODAY = `($2::timestamptz at time zone 'Asia/Shanghai')::date`;
const PREVIOUS_DAY = `(($1::timestamptz at time zone 'Asia/Shanghai')::date - 1)`;
/** A date the calendar passed since the previous run, `shift` days later (a day either side: grading again is harmless). */
const PASSED = (date: string, shift = 0) => `(${date} between ${PREVIOUS_DAY} - ${shift} and ${TODAY} - ${shift})`;
/** An instant that left the look-back window since the previous run. */
const LEFT_WINDOW = (instant: string) =>
  `(${instant} > $1::timestamptz - make_interval(months => $3) and ${instant} <= $2::timestamptz - make_interval(months => $3))`;

/** The enterprises whose inputs changed in the span: `affected`. */
async function findAffected(client: PoolClient, span: DerivationSpan, previousAsOf: Date, asOf: Date, rules: RiskGradeRules): Promise<void> {
  const params = [previousAsOf, asOf, rules.lookbackMonths];
  const committed = (x: string) => COMMITTED(x, span);
  // Records that changed, as the grades cite them: an enterprise graded on one is graded again.
  await client.query(
    `create temp table changed_ref on commit drop as
     select 'L:' || x.number as ref from operator_licence x where ${committed('x')}
     union all select 'V:' || x.plate_number || '/' || x.plate_color from vehicle x where ${committed('x')}
     union all select 'C:' || x.case_number from enforcement_case x where ${committed('x')}
     union all select 'R:' || x.source_id from credit_rating x where ${committed('x')}
     union all select 'E:' || x.source_id from credit_list_entry x where ${committed('x')}
     union all select 'A:' || x.source_id from abnormal_operation x where ${committed('x')}
     union all select 'K:' || x.id from clue x where ${committed('x')}`,
  );
  // A clue's workflow step rewrites the clue (its version), so a committed clue covers its events too.
  await client.query(
    `insert into affected
     select distinct uscc from (
       select x.uscc from enterprise x where ${committed('x')}
       union all select x.holder_uscc from operator_licence x where ${committed('x')}
       union all select x.holder_uscc from operator_licence x where ${PASSED('x.valid_to', 1)} or ${PASSED('x.valid_to')}
       union all select x.owner_uscc from vehicle x where ${committed('x')}
       union all select x.owner_uscc from vehicle x where ${PASSED('x.transport_certificate_valid_to', 1)}
       union all select v.owner_uscc from weighing x join vehicle v on v.plate_number = x.plate_number and v.plate_color = x.plate_color
         where ${committed('x')}
       union all select v.owner_uscc from weighing x join vehicle v on v.plate_number = x.plate_number and v.plate_color = x.plate_color
         where ${LEFT_WINDOW('x.measured_at')}
       union all select x.party_uscc from enforcement_case x where ${committed('x')}
       union all select x.party_uscc from enforcement_case x where ${LEFT_WINDOW('x.occurred_at')}
       union all select x.subject_uscc from credit_rating x where ${committed('x')}
       union all select x.subject_uscc from credit_list_entry x where ${committed('x')}
       union all select x.subject_uscc from credit_list_entry x where ${PASSED('x.listed_on')} or ${PASSED('x.removed_on')}
       union all select x.uscc from abnormal_operation x where ${committed('x')}
       union all select x.uscc from abnormal_operation x where ${PASSED('x.listed_on')} or ${PASSED('x.removed_on')}
       union all select s.uscc from clue x join lateral (${CLUE_SUBJECT('x')}) s on true where ${committed('x')}
       union all select g.uscc from enterprise_risk_grade g where g.cites && (select coalesce(array_agg(ref), '{}') from changed_ref where ref is not null)
     ) a where uscc is not null`,
    params,
  );
}

/** The enterprise a clue (aliased `x`) is about: itself, its vehicle's owner, or its case's party. */
const CLUE_SUBJECT = (x: string) => `
  select ${x}.subject_key as uscc where ${x}.subject_type = 'ENTERPRISE'
  union all select v.owner_uscc from vehicle v where ${x}.subject_type = 'VEHICLE' and v.plate_number = ${x}.plate_number and v.plate_color = ${x}.plate_color and v.deleted_at is null
  union all select c.party_uscc from enforcement_case c where ${x}.subject_type = 'CASE' and c.case_number = ${x}.subject_key and c.deleted_at is null`;

/**
 * Each affected operator's deductions, one row per factor with evidence (`deduction`): raw points,
 * how many records, and the records cited. `$1` the rules as JSON, `$2` as-of, `$3` look-back months.
 */
async function deduct(client: PoolClient, rules: RiskGradeRules, asOf: Date): Promise<void> {
  const today = `($2::timestamptz at time zone 'Asia/Shanghai')::date`;
  const since = `$2::timestamptz - make_interval(months => $3)`;
  const f = rules.factors;
  await client.query(
    `create temp table operator on commit drop as
     select e.uscc, e.division_code as division from affected a join enterprise e on e.uscc = a.uscc and e.deleted_at is null
     where exists (select 1 from operator_licence l where l.holder_uscc = a.uscc and l.deleted_at is null)`,
  );
  // An incremental run grades a handful of operators: with statistics, each factor looks up their records by index instead of joining every clue and weighing.
  await analyze(client, 'operator');
  await client.query(`create temp table deduction (uscc text, factor text, raw double precision, evidence int, refs text[]) on commit drop`);
  const insert = (factor: RiskFactor, select: string) =>
    // Every statement takes the same parameters, typed once here whichever of them it reads.
    client.query(
      `insert into deduction (uscc, factor, raw, evidence, refs)
       with parameters as (select $1::jsonb, $2::timestamptz, $3::int) ${select.replaceAll('$factor', `'${factor}'`)}`,
      [JSON.stringify(f), asOf, rules.lookbackMonths],
    );
  await insert(
    RiskFactor.CREDIT_RATING,
    `select distinct on (o.uscc) o.uscc, $factor, ($1::jsonb -> $factor -> 'pointsByGrade' ->> r.grade)::float8, 1, array['R:' || r.source_id]
     from operator o join credit_rating r on r.subject_uscc = o.uscc and r.deleted_at is null
     order by o.uscc, r.year desc, r.source_id desc`,
  );
  await insert(
    RiskFactor.CREDIT_LIST,
    `select o.uscc, $factor, sum(($1::jsonb -> $factor -> 'pointsByListType' ->> x.list_type)::float8), count(*), array_agg('E:' || x.source_id)
     from operator o join credit_list_entry x on x.subject_uscc = o.uscc and x.deleted_at is null
     where x.listed_on <= ${today} and (x.removed_on is null or x.removed_on > ${today})
     group by o.uscc`,
  );
  await insert(
    RiskFactor.CASES,
    `select o.uscc, $factor, sum(greatest(b.points, case when x.transferred_to_police then ($1::jsonb -> $factor ->> 'transferredToPolice')::float8 else 0 end)),
       count(*), array_agg('C:' || x.case_number)
     from operator o join enforcement_case x on x.party_uscc = o.uscc and x.deleted_at is null
     cross join lateral (
       select (band ->> 'points')::float8 as points from jsonb_array_elements($1::jsonb -> $factor -> 'pointsByPenaltyYuan') band
       where (band ->> 'from')::float8 <= coalesce(x.penalty_amount_yuan, 0) order by (band ->> 'from')::float8 desc limit 1) b
     where x.occurred_at > ${since} and x.occurred_at <= $2::timestamptz
     group by o.uscc`,
  );
  await insert(
    RiskFactor.OVERLOADS,
    `select o.uscc, $factor, ($1::jsonb -> $factor ->> 'pointsPerOverloadPerVehicle')::float8 * n.overloads / n.fleet, n.overloads, '{}'::text[]
     from operator o cross join lateral (
       select count(distinct (v.plate_number, v.plate_color))::int as fleet,
         count(w.source_id)::int as overloads
       from vehicle v left join weighing w on w.plate_number = v.plate_number and w.plate_color = v.plate_color and w.deleted_at is null
         and w.measured_at > ${since} and w.measured_at <= $2::timestamptz and w.overload_ratio > ($1::jsonb -> $factor ->> 'tolerance')::float8
       where v.owner_uscc = o.uscc and v.deleted_at is null) n
     where n.overloads > 0`,
  );
  await insert(
    RiskFactor.ABNORMAL_OPERATION,
    `select o.uscc, $factor, count(*) * ($1::jsonb -> $factor ->> 'pointsPerListing')::float8, count(*), array_agg('A:' || x.source_id)
     from operator o join abnormal_operation x on x.uscc = o.uscc and x.deleted_at is null
     where x.listed_on <= ${today} and (x.removed_on is null or x.removed_on > ${today})
     group by o.uscc`,
  );
  // Every licence and vehicle is cited, in force or not: being an operator, and the fleet, rest on them.
  await insert(
    RiskFactor.EXPIRED_LICENCES,
    `select o.uscc, $factor, count(*) filter (where x.out) * ($1::jsonb -> $factor ->> 'pointsPerLicence')::float8, count(*) filter (where x.out),
       array_agg('L:' || x.number)
     from operator o cross join lateral (
       -- Suspended and revoked licences count; an expired one only when none is in force (a renewal's predecessor costs nothing).
       select l.number, (l.status in ('SUSPENDED', 'REVOKED') or ((l.status = 'EXPIRED' or l.valid_to < ${today}) and not exists (
         select 1 from operator_licence k where k.holder_uscc = o.uscc and k.deleted_at is null and ${licenceInForce('k', today)}))) as out
       from operator_licence l where l.holder_uscc = o.uscc and l.deleted_at is null) x
     group by o.uscc`,
  );
  await insert(
    RiskFactor.EXPIRED_CERTIFICATES,
    `select o.uscc, $factor, count(*) filter (where x.out) * ($1::jsonb -> $factor ->> 'pointsPerVehicle')::float8, count(*) filter (where x.out),
       array_agg('V:' || x.plate_number || '/' || x.plate_color)
     from operator o cross join lateral (
       select v.plate_number, v.plate_color,
         (v.transport_certificate_status in ('EXPIRED', 'REVOKED') or (v.transport_certificate_status = 'VALID' and v.transport_certificate_valid_to < ${today})) as out
       from vehicle v where v.owner_uscc = o.uscc and v.deleted_at is null) x
     group by o.uscc`,
  );
  await insert(
    RiskFactor.OPEN_CLUES,
    `select s.uscc, $factor, sum(($1::jsonb -> $factor -> 'pointsBySeverity' ->> x.severity)::float8), count(*), array_agg('K:' || x.id)
     from (
       select o.uscc, x.id from operator o join clue x on x.subject_type = 'ENTERPRISE' and x.subject_key = o.uscc
       union all select o.uscc, x.id from operator o join vehicle v on v.owner_uscc = o.uscc and v.deleted_at is null
         join clue x on x.subject_type = 'VEHICLE' and x.plate_number = v.plate_number and x.plate_color = v.plate_color
       union all select o.uscc, x.id from operator o join enforcement_case c on c.party_uscc = o.uscc and c.deleted_at is null
         join clue x on x.subject_type = 'CASE' and x.subject_key = c.case_number
     ) s join clue x on x.id = s.id
     where x.deleted_at is null and x.status in (select jsonb_array_elements_text($1::jsonb -> $factor -> 'statuses'))
     group by s.uscc`,
  );
}

/** Each operator's score, grade, deductions and citations (`fresh`), from `deduction`. */
async function score(client: PoolClient, rules: RiskGradeRules): Promise<void> {
  await client.query(
    `create temp table fresh on commit drop as
     with capped as (
       select d.uscc, d.factor, least(round(d.raw)::int, ($1::jsonb -> d.factor ->> 'cap')::int) as points, d.evidence, d.refs
       from deduction d
     ),
     lost as (
       select c.uscc, sum(c.points)::int as points,
         jsonb_agg(jsonb_build_object('factor', c.factor, 'points', c.points, 'evidenceCount', c.evidence) order by c.points desc, c.factor)
           filter (where c.points > 0) as deductions
       from capped c group by c.uscc
     ),
     cited as (select c.uscc, array_agg(distinct r order by r) as cites from capped c cross join unnest(c.refs) r group by c.uscc),
     per_operator as (
       select o.uscc, o.division, greatest(0, $2::int - coalesce(l.points, 0))::int as score,
         coalesce(l.deductions, '[]'::jsonb) as deductions, coalesce(ci.cites, '{}') as cites
       from operator o left join lost l on l.uscc = o.uscc left join cited ci on ci.uscc = o.uscc
     )
     select p.*, b.grade,
       md5(concat_ws('|', p.division, p.score, b.grade, $4::text, p.deductions::text)) as hash
     from per_operator p
     cross join lateral (select grade from jsonb_to_recordset($3::jsonb) as g(grade text, "from" int) where g."from" <= p.score order by g."from" desc limit 1) b`,
    [JSON.stringify(rules.factors), rules.maxScore, JSON.stringify(rules.grades), rules.version],
  );
}

/** Change log, grades and the month's snapshots from `fresh`; withdraws affected grades with no operator behind them. */
async function write(client: PoolClient, rules: RiskGradeRules, asOf: Date, month: string, newMonth: boolean) {
  const version = rules.version;
  if (newMonth) {
    // The first run of a month starts its snapshots from the grades as they stand: a month with no change still has its row.
    await client.query(
      `insert into enterprise_risk_grade_month (uscc, month, division, score, grade, rule_version, computed_at)
       select uscc, $1::date, division, score, grade, rule_version, computed_at from enterprise_risk_grade where deleted_at is null
       on conflict (uscc, month) do nothing`,
      [month],
    );
  }
  const appended = await client.query(
    `insert into enterprise_risk_grade_change (uscc, division, old_grade, new_grade, score, rule_version, changed_at)
     select uscc, division, old_grade, new_grade, score, $1::text, $2::timestamptz from (
       select f.uscc, f.division, g.grade as old_grade, f.grade as new_grade, f.score
       from fresh f left join enterprise_risk_grade g on g.uscc = f.uscc and g.deleted_at is null
       where g.grade is distinct from f.grade
       union all
       select g.uscc, g.division, g.grade, null, null
       from enterprise_risk_grade g join affected a on a.uscc = g.uscc
       where g.deleted_at is null and not exists (select 1 from fresh f where f.uscc = g.uscc)
     ) c order by uscc`,
    [version, asOf],
  );
  const withdrawn = await client.query(
    `update enterprise_risk_grade g set deleted_at = $1::timestamptz
     from affected a where a.uscc = g.uscc and g.deleted_at is null and not exists (select 1 from fresh f where f.uscc = g.uscc)`,
    [asOf],
  );
  const written = await client.query(
    `insert into enterprise_risk_grade as g (uscc, division, score, grade, rule_version, computed_at, deductions, cites,
       provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash, deleted_at)
     select uscc, division, score, grade, $1::text, $2::timestamptz, deductions, cites, 'HUB', uscc, $2::timestamptz, now(), hash, null from fresh
     on conflict (uscc) do update set
       division = excluded.division, score = excluded.score, grade = excluded.grade, rule_version = excluded.rule_version,
       deductions = excluded.deductions, cites = excluded.cites,
       -- A grading that only finds other records behind the same score keeps when the score was computed.
       computed_at = case when g.provenance_content_hash = excluded.provenance_content_hash and g.deleted_at is null then g.computed_at else excluded.computed_at end,
       provenance_source_updated_at = case when g.provenance_content_hash = excluded.provenance_content_hash and g.deleted_at is null
         then g.provenance_source_updated_at else excluded.provenance_source_updated_at end,
       provenance_synced_at = excluded.provenance_synced_at, provenance_content_hash = excluded.provenance_content_hash, deleted_at = null
     where g.provenance_content_hash is distinct from excluded.provenance_content_hash or g.cites is distinct from excluded.cites or g.deleted_at is not null`,
    [version, asOf],
  );
  await client.query(
    `insert into enterprise_risk_grade_month as m (uscc, month, division, score, grade, rule_version, computed_at)
     select g.uscc, $1::date, g.division, g.score, g.grade, g.rule_version, g.computed_at
     from fresh f join enterprise_risk_grade g on g.uscc = f.uscc
     on conflict (uscc, month) do update set division = excluded.division, score = excluded.score, grade = excluded.grade,
       rule_version = excluded.rule_version, computed_at = excluded.computed_at
     where (m.division, m.score, m.grade, m.rule_version, m.computed_at) is distinct from (excluded.division, excluded.score, excluded.grade, excluded.rule_version, excluded.computed_at)`,
    [month],
  );
  return { written: written.rowCount ?? 0, changes: appended.rowCount ?? 0, withdrawn: withdrawn.rowCount ?? 0 };
}

/**
 * Grades the operator enterprises whose inputs changed since the cursor (with `full`, all of
 * them), in one transaction with the cursor. Both give the same grades.
 */
export async function gradeEnterprises(pool: Pool, rules: RiskGradeRules, options: GradingOptions = {}): Promise<GradingRun> {
  const asOf = options.asOf ?? new Date();
  return inTransaction(pool, async (client) => {
    await client.query(
      `insert into risk_grade_cursor (id, graded_through, as_of, rule_version, snapshot_month, updated_at)
       values (true, '-infinity', '-infinity', $1, '-infinity', now()) on conflict (id) do nothing`,
      [rules.version],
    );
    // Locked: two runs queue here instead of both grading the same enterprises.
    const { rows } = await client.query<{
      graded_snapshot: string | null;
      graded_through: Date | number;
      as_of: Date | number;
      rule_version: string;
      snapshot_month: string;
      month: string;
    }>(
      `select graded_snapshot::text, graded_through, as_of, rule_version, snapshot_month::text,
         date_trunc('month', $1::timestamptz at time zone 'Asia/Shanghai')::date::text as month
       from risk_grade_cursor for update`,
      [asOf],
    );
    const cursor = rows[0];
    // Taken once the lock is held, so the snapshots the cursor goes through only ever grow.
    const through = (await client.query<{ through: string }>('select pg_current_snapshot()::text as through')).rows[0].through;
    // A new rule version re-grades everything: any of its numbers may change any grade.
    const full =
      Boolean(options.full) ||
      cursor.rule_version !== rules.version ||
      cursor.graded_snapshot === null ||
      !(cursor.graded_through instanceof Date) ||
      !(cursor.as_of instanceof Date);
    await client.query('create temp table affected (uscc text primary key) on commit drop');
    if (full) {
      await client.query(
        `insert into affected select holder_uscc from operator_licence where deleted_at is null
         union select uscc from enterprise_risk_grade where deleted_at is null`,
      );
    } else {
      await findAffected(client, { from: cursor.graded_snapshot!, through, clockFrom: cursor.graded_through as Date }, cursor.as_of as Date, asOf, rules);
    }
    const enterprises = (await client.query<{ n: number }>('select count(*)::int as n from affected')).rows[0].n;
    await deduct(client, rules, asOf);
    await score(client, rules);
    const counts = await write(client, rules, asOf, cursor.month, cursor.snapshot_month !== cursor.month);
    await client.query(
      `update risk_grade_cursor set graded_snapshot = $4::pg_snapshot, graded_through = now(),
         as_of = greatest(as_of, $1::timestamptz), rule_version = $2, snapshot_month = $3::date, updated_at = now()`,
      [asOf, rules.version, cursor.month, through],
    );
    return { enterprises, ...counts, full };
  });
}
