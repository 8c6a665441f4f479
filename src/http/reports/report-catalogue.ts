import { InvalidInputError } from '../../errors';

/**
 * How a report's rows become its chart and table: rows of the connection at `connection` (paged
 * through), counted by their `x` field (the category axis) and, when given, their `series` field
 * (one stacked bar per value).
 */
export interface ReportGrouping {
  connection: readonly string[];
  x: string;
  xLabel: string;
  series: string | null;
  seriesLabel: string;
}

/** A named report: a persisted operation of schema/operations/reports.graphql, and how its page shows it. */
export interface ReportDefinition {
  name: string;
  title: string;
  description: string;
  operation: string;
  /** The purpose the page declares (the caller's agreement must permit it). */
  purpose: string;
  grouping: ReportGrouping;
}

export const REPORTS: readonly ReportDefinition[] = [
  {
    name: 'monthly-enforcement',
    title: 'Monthly enforcement by district and violation 执法案件月报',
    description: 'Enforcement cases that occurred in the month, counted per district and violation code.',
    operation: 'ReportMonthlyEnforcement',
    purpose: 'statistics',
    grouping: { connection: ['enforcementCases'], x: 'divisionCode', xLabel: 'district', series: 'violationCode', seriesLabel: 'violation' },
  },
  {
    name: 'overload-by-station',
    title: 'Overload by station 超限检测站月报',
    description: 'Overloaded weighings measured in the month, counted per weighing station and axle count.',
    operation: 'ReportOverloadByStation',
    purpose: 'statistics',
    grouping: { connection: ['weighings'], x: 'stationName', xLabel: 'station', series: 'axleCount', seriesLabel: 'axles' },
  },
  {
    name: 'clue-handling',
    title: 'Clue handling by district 线索处置月报',
    description: 'Clues whose evidence was seen in the month, counted per district and status.',
    operation: 'ReportClueHandling',
    purpose: 'statistics',
    grouping: { connection: ['clues'], x: 'division', xLabel: 'district', series: 'status', seriesLabel: 'status' },
  },
];

/** A report month (`YYYY-MM`) as the half-open window of its Beijing days, or `InvalidInputError` on `month`. */
export function monthWindow(month: string | null): { from: string; to: string } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month ?? '');
  if (!match) throw new InvalidInputError('month', 'must be a month as YYYY-MM, e.g. 2026-10');
  const year = Number(match[1]);
  const next = Number(match[2]) === 12 ? `${year + 1}-01` : `${year}-${String(Number(match[2]) + 1).padStart(2, '0')}`;
  return { from: `${match[1]}-${match[2]}-01T00:00:00+08:00`, to: `${next}-01T00:00:00+08:00` };
}
