import { loadAgreements } from '../../src/access/agreements';
import { loadConfig } from '../../src/config';
import type { World } from '../../src/demo/world/world';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';

/** A window of Beijing time as the report queries take it. */
export type ReportWindow = Record<'from' | 'to', string> & Record<string, unknown>;

/** The report queries of issue 14 that the benchmarks time and profile, over a world's last 12 months and its last whole month of captures. */
export interface ReportQueries {
  year: ReportWindow;
  month: ReportWindow;
  /** The first day of the month of captures (YYYY-MM-DD). */
  monthStart: string;
  cases: { query: string; variables: ReportWindow };
  flow: { query: string; variables: ReportWindow };
  weighings: { query: string; variables: ReportWindow };
}

/** Each query selects what the hand-written SQL of `bench:reports` returns: the keys and the count, and the weighings' measures. */
const CELLS = '{ source truncated cells { keys { value } count } }';
const MEASURED = '{ source truncated cells { keys { value } count values { measure value } } }';

/** The world's "today" is its endDate: the last 12 whole months, and the last whole month of captures. */
export function reportQueries(world: World): ReportQueries {
  const end = world.options.endDate;
  const yearAgo = `${Number(end.slice(0, 4)) - 1}${end.slice(4, 10)}`;
  const monthStart = new Date(Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)) - 2, 1)).toISOString().slice(0, 10);
  const year = { from: `${yearAgo}T00:00:00+08:00`, to: `${end}T00:00:00+08:00` };
  const month = { from: `${monthStart}T00:00:00+08:00`, to: `${end}T00:00:00+08:00` };
  return {
    year,
    month,
    monthStart,
    cases: {
      query: `query($from: DateTime!, $to: DateTime!) { caseStats(filter: { from: $from, to: $to }, groupBy: [MONTH, DIVISION, VIOLATION_CODE], measures: [COUNT], first: 5000) ${CELLS} }`,
      variables: year,
    },
    flow: {
      query: `query($from: DateTime!, $to: DateTime!) { captureStats(window: { from: $from, to: $to }, groupBy: [HOUR, CHECKPOINT], measures: [COUNT], first: 5000) ${CELLS} }`,
      variables: month,
    },
    weighings: {
      query: `query($from: DateTime!, $to: DateTime!) { weighingStats(filter: { from: $from, to: $to }, groupBy: [STATION, MONTH], measures: [COUNT, OVERLOADED, OVERLOAD_RATE, MAX_RATIO], first: 5000) ${MEASURED} }`,
      variables: year,
    },
  };
}

export type ReportName = 'cases' | 'flow' | 'weighings';

/** The analyst's agreement, whose k the hub applies to the bench's queries. */
const ANALYST_AGREEMENT = 'SZJT-2026-02';

/**
 * Each report's hand-written GROUP BY on its rollup table, giving the cells the hub gives (k applied
 * to the same units), with `$1`/`$2` the window and `$3` k (the analyst's, for `type`: `analystKs`):
 * its keys as `k0…`, the published count `n` (null below k), the records `withheld`, and the
 * weighings' measures. Timed against the hub by `bench:reports`, and served by the stack's floor
 * (`graphql-floor.ts`).
 */
export const HAND_WRITTEN: Readonly<Record<ReportName, { sql: string; type: string }>> = {
  cases: {
    sql: `with units as (
        select date_trunc('month', day_start at time zone 'Asia/Shanghai') as month, division_code, violation_code, sum(cases)::bigint as n
        from case_rollup where day_start >= $1 and day_start < $2 group by 1, 2, 3)
      select to_char(month, 'YYYY-MM') as k0, division_code as k1, violation_code as k2, case when n >= $3 then n end as n, case when n < $3 then n else 0 end as withheld
      from units order by 1, 2, 3 limit 5001`,
    type: 'EnforcementCase',
  },
  // A rollup row is a unit (hour × checkpoint × direction × province × colour): k applies to it as it is.
  flow: {
    sql: `select to_char(hour_start at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24') as k0, checkpoint_code as k1,
        sum(captures) filter (where captures >= $3) as n, coalesce(sum(captures) filter (where captures < $3), 0) as withheld
      from capture_rollup where hour_start >= $1 and hour_start < $2 group by hour_start, checkpoint_code order by hour_start, checkpoint_code limit 5001`,
    type: 'CheckpointCapture',
  },
  weighings: {
    sql: `select station_code as k0, to_char(date_trunc('month', day_start at time zone 'Asia/Shanghai'), 'YYYY-MM') as k1,
        sum(weighings) filter (where weighings >= $3) as n, sum(overloaded) filter (where weighings >= $3) as overloaded,
        (sum(overloaded) filter (where weighings >= $3))::float / nullif(sum(weighings) filter (where weighings >= $3), 0) as rate,
        max(max_ratio) filter (where weighings >= $3) as max_ratio, coalesce(sum(weighings) filter (where weighings < $3), 0) as withheld
      from weighing_rollup where day_start >= $1 and day_start < $2 group by 1, 2 order by 1, 2 limit 5001`,
    type: 'Weighing',
  },
};

/** Per report, the k the analyst's agreement sets for its type's aggregates, as the hub loads the agreements file. */
export async function analystKs(): Promise<Record<ReportName, number>> {
  const { agreements } = loadAgreements(loadConfig().agreementsFile, await buildHubSchema(HUB_PARTS));
  const agreement = agreements.find((a) => a.id === ANALYST_AGREEMENT);
  if (!agreement) throw new Error(`no agreement ${ANALYST_AGREEMENT} in the agreements file`);
  const kOf = (type: string) => {
    const grant = agreement.aggregates.get(type);
    if (!grant) throw new Error(`${ANALYST_AGREEMENT} grants no aggregates of ${type}: the hub would refuse the report`);
    return grant.k;
  };
  return { cases: kOf(HAND_WRITTEN.cases.type), flow: kOf(HAND_WRITTEN.flow.type), weighings: kOf(HAND_WRITTEN.weighings.type) };
}
