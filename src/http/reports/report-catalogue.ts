import { InvalidInputError } from '../../errors';
import { beijingDate } from '../../read-kit/arguments/time-window';

/**
 * How a report's answer, an aggregate query's (`…Stats`) cells at `field`, becomes its chart and
 * table: the cell's key at `xKey` is the category axis, its other key the series, and the value
 * drawn is `measure` (COUNT: the cell's count). Suppressed cells are drawn as gaps and tabled as
 * suppressed, never as 0.
 */
export interface ReportGrouping {
  field: string;
  /** Which of a cell's keys (in groupBy order) is the category axis: cells come ordered by their keys, so a cut at `first` drops whole series. */
  xKey: 0 | 1;
  measure: string;
  measureLabel: string;
  xLabel: string;
  seriesLabel: string;
  chart: 'bar' | 'line';
}

/** The period a page shows: a month, or for reports read by the hour, a day (Beijing time). */
export interface ReportPeriod {
  unit: 'month' | 'day';
  /** `YYYY-MM` or `YYYY-MM-DD`. */
  value: string;
  from: string;
  to: string;
}

/** A named report: a persisted operation of schema/operations/reports.graphql, and how its page shows it. */
export interface ReportDefinition {
  name: string;
  title: string;
  description: string;
  operation: string;
  /** The purpose the page declares (the caller's agreement must permit it). */
  purpose: string;
  /** Whether the page also shows a single day (`?day=YYYY-MM-DD`), not only a month. */
  byDay: boolean;
  /** The operation's variables for a period. */
  variables(period: ReportPeriod): Record<string, unknown>;
  grouping: ReportGrouping;
}

const windowOf = (period: ReportPeriod) => ({ from: period.from, to: period.to });

export const REPORTS: readonly ReportDefinition[] = [
  {
    name: 'monthly-enforcement',
    title: 'Monthly enforcement by district and violation 执法案件月报',
    description: 'Enforcement cases that occurred in the month, counted per district and violation code.',
    operation: 'ReportMonthlyEnforcement',
    purpose: 'statistics',
    byDay: false,
    variables: windowOf,
    grouping: {
      field: 'caseStats',
      xKey: 0,
      measure: 'COUNT',
      measureLabel: 'cases',
      xLabel: 'district',
      seriesLabel: 'violation',
      chart: 'bar',
    },
  },
  {
    name: 'overload-by-station',
    title: 'Overload by station 超限检测站月报',
    description: 'Overloaded weighings measured in the month, counted per weighing station and axle count.',
    operation: 'ReportOverloadByStation',
    purpose: 'statistics',
    byDay: false,
    variables: windowOf,
    grouping: {
      field: 'weighingStats',
      xKey: 0,
      measure: 'OVERLOADED',
      measureLabel: 'overloaded',
      xLabel: 'station',
      seriesLabel: 'axles',
      chart: 'bar',
    },
  },
  {
    name: 'traffic-flow',
    title: 'Traffic flow by checkpoint 通行流量监测',
    description: 'Vehicles captured per checkpoint: by hour for a day, by day for a month.',
    operation: 'ReportTrafficFlow',
    purpose: 'statistics',
    byDay: true,
    // Checkpoint first: past 5,000 cells (200 checkpoints × 30 days in the default demo) whole checkpoints drop, never the month's last days.
    variables: (period) => ({ ...windowOf(period), groupBy: ['CHECKPOINT', period.unit === 'day' ? 'HOUR' : 'DAY'] }),
    grouping: {
      field: 'captureStats',
      xKey: 1,
      measure: 'COUNT',
      measureLabel: 'captures',
      xLabel: 'time',
      seriesLabel: 'checkpoint',
      chart: 'line',
    },
  },
  {
    name: 'clue-handling',
    title: 'Clue handling by district 线索处置月报',
    description: 'Clues whose evidence window starts in the month, counted per district and status (as they stand now).',
    operation: 'ReportClueHandling',
    purpose: 'statistics',
    byDay: false,
    variables: windowOf,
    grouping: { field: 'clueStats', xKey: 0, measure: 'COUNT', measureLabel: 'clues', xLabel: 'district', seriesLabel: 'status', chart: 'bar' },
  },
];

const BEIJING = '+08:00';
const pad = (n: number) => String(n).padStart(2, '0');

/** The month (`YYYY-MM`) an instant falls in, Beijing time: the report month a page shows when none is asked for. */
export const beijingMonth = (at: Date): string => beijingDate(at).slice(0, 7);

/** A report month (`YYYY-MM`) as the half-open window of its Beijing days, or `InvalidInputError` on `month`. */
export function monthWindow(month: string | null): { from: string; to: string } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month ?? '');
  if (!match) throw new InvalidInputError('month', 'must be a month as YYYY-MM, e.g. 2026-10');
  const year = Number(match[1]);
  const next = Number(match[2]) === 12 ? `${year + 1}-01` : `${year}-${pad(Number(match[2]) + 1)}`;
  return { from: `${match[1]}-${match[2]}-01T00:00:00${BEIJING}`, to: `${next}-01T00:00:00${BEIJING}` };
}

/** A report day (`YYYY-MM-DD`) as the half-open window of that Beijing day, or `InvalidInputError` on `day`. */
export function dayWindow(day: string | null): { from: string; to: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  const start = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !start || start.toISOString().slice(0, 10) !== day) throw new InvalidInputError('day', 'must be a day as YYYY-MM-DD, e.g. 2026-10-08');
  const next = new Date(start.getTime() + 86_400_000).toISOString().slice(0, 10);
  return { from: `${day}T00:00:00${BEIJING}`, to: `${next}T00:00:00${BEIJING}` };
}

/**
 * The period a page asks for: `?day=` where the report reads days, else `?month=` (this month,
 * Beijing time, when absent). `InvalidInputError` on the parameter that is wrong.
 */
export function reportPeriod(report: ReportDefinition, search: URLSearchParams, now: Date): ReportPeriod {
  const day = search.get('day');
  if (day !== null) {
    if (!report.byDay) throw new InvalidInputError('day', `report ${report.name} is read by month`);
    return { unit: 'day', value: day, ...dayWindow(day) };
  }
  const month = search.get('month') ?? beijingMonth(now);
  return { unit: 'month', value: month, ...monthWindow(month) };
}
