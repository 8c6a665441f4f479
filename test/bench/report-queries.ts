import type { World } from '../../src/demo/world/world';

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
