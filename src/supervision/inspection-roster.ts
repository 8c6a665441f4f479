import type { PoolClient } from 'pg';
import type { RosterQuery, RosterRow } from '../domains/inspection';

/**
 * The objects of a random-inspection task (检查对象名录库), read from the synced enterprises in the
 * transaction that freezes them: enterprises in business in the task's division holding a valid
 * operator licence of one of the item's scopes, with what their stratum is decided on (an
 * uncleared bad-credit list entry, a listing for supervision (挂牌督办), past findings of this
 * hub's published results, the hub's risk grade) and the directed filters (type, registered
 * capital as size, risk grade, listed, with past findings). In credit-code order: the order the
 * roster is frozen and hashed in. Lives with the other write-side readers of the synced tables
 * (the gateway owns their reads).
 */
export async function readRoster(client: PoolClient, query: RosterQuery): Promise<RosterRow[]> {
  const { rows } = await client.query<{
    uscc: string;
    name: string;
    division: string;
    bad_credit: boolean;
    risk_grade: string | null;
    supervised: boolean;
    failed: number;
    last_outcome: string | null;
    last_inspected_on: string | null;
  }>(
    `select * from (
       select e.uscc, e.name, e.division_code as division,
         exists (select 1 from credit_list_entry c where c.subject_uscc = e.uscc and c.deleted_at is null and c.removed_on is null
           and c.list_type = any($3::text[])) as bad_credit,
         g.grade as risk_grade,
         exists (select 1 from supervision_listing s where s.uscc = e.uscc and s.delisted_at is null) as supervised,
         (select count(*)::int from inspection_result r where r.uscc = e.uscc and r.outcome <> 'COMPLIANT'
            and r.inspected_on > (now() at time zone 'Asia/Shanghai')::date - make_interval(months => $7)) as failed,
         last.outcome as last_outcome, to_char(last.inspected_on, 'YYYY-MM-DD') as last_inspected_on
       from enterprise e
       left join enterprise_risk_grade g on g.uscc = e.uscc and g.deleted_at is null
       left join lateral (select r.outcome, r.inspected_on from inspection_result r where r.uscc = e.uscc
         order by r.inspected_on desc, r.recorded_at desc limit 1) last on true
       where e.deleted_at is null and e.status = 'IN_BUSINESS' and e.division_code like $1 || '%'
         and exists (select 1 from operator_licence l where l.holder_uscc = e.uscc and l.deleted_at is null and l.status = 'VALID' and l.scopes && $2::text[])
         and ($4::text[] is null or e.type = any($4::text[]))
         and ($5::float8 is null or e.registered_capital_yuan >= $5::float8)
         and ($6::text[] is null or g.grade = any($6::text[]))
     ) o
     where ($8::boolean is false or o.supervised) and ($9::boolean is false or o.failed > 0)
     order by o.uscc`,
    [
      query.division,
      query.scopes,
      query.badCreditListTypes,
      query.enterpriseTypes,
      query.minRegisteredCapitalYuan,
      query.riskGrades,
      query.pastFindingsMonths,
      query.supervisedOnly,
      query.withPastFindingsOnly,
    ],
  );
  return rows.map((r) => ({
    uscc: r.uscc,
    name: r.name,
    division: r.division,
    badCredit: r.bad_credit,
    riskGrade: r.risk_grade,
    supervised: r.supervised,
    failedInspections: r.failed,
    lastOutcome: r.last_outcome,
    lastInspectedOn: r.last_inspected_on,
  }));
}

/** The name of an enterprise the hub holds (not deleted), or null: what a listing for supervision (挂牌督办) is checked against. */
export async function enterpriseNamed(client: PoolClient, uscc: string): Promise<{ name: string; divisionCode: string } | null> {
  const { rows } = await client.query<{ name: string; division_code: string }>(
    'select name, division_code from enterprise where uscc = $1 and deleted_at is null',
    [uscc],
  );
  return rows[0] ? { name: rows[0].name, divisionCode: rows[0].division_code } : null;
}
