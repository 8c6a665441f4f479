import { MAX_CAPTURE_WINDOW_DAYS } from '../domains/checkpoint';
import type { TableStatistics } from '../db/table-statistics';
import { DEFAULT_COUNT_CAP } from '../read-kit/pagination/page-args';

/**
 * What list fields read, priced before execution from their arguments and the tables' statistics
 * (`src/db/table-statistics.ts`): a `totalCount` reads every row its filter matches, so it costs
 * by that estimate, not 1. Called from the cost walk (`query-limits.ts`) for each field.
 */

/**
 * Rows an index-only count reads in the time one field of one object resolves, roughly: counting
 * a month of the demo's captures (~1,000,000 rows) took ~0.3 s, about what the heaviest allowed
 * page (`enterprises(first: 500)` with their vehicles, cost ~26,000) takes to resolve.
 */
export const COUNTED_ROWS_PER_COST_UNIT = 20;

/** What the walk knows of a field: where it is, and its argument values as the resolver will get them. */
export interface ListField {
  typeName: string;
  fieldName: string;
  args: () => Readonly<Record<string, unknown>>;
}

export interface FieldPrice {
  /** The field's own cost, replacing the walk's 1 (a count, a chain verification). */
  cost?: number;
  /** For a connection: estimated rows its filter matches, which counts beneath it read. */
  matches?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Capture-day partitions (Asia/Shanghai days) a window [from, to) touches; the most a valid window can when unknown. */
export function captureDaysSpanned(from: unknown, to: unknown): number {
  const most = MAX_CAPTURE_WINDOW_DAYS + 1;
  const start = typeof from === 'string' || from instanceof Date ? new Date(from).getTime() : NaN;
  const end = typeof to === 'string' || to instanceof Date ? new Date(to).getTime() : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return most;
  const dayOf = (t: number) => Math.floor((t + 8 * HOUR) / DAY);
  return Math.min(most, dayOf(end - 1) - dayOf(start) + 1);
}

const objectArg = (args: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> => {
  const value = args[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};

const given = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * A filter naming one key (a plate, an enterprise, a checkpoint) narrows what is read to that
 * key's share: the rows divided by how many such keys there are. Other filters (statuses,
 * prefixes, text) are assumed not to narrow what is read, which is what an unindexed filter costs.
 */
function narrowed(rows: number, filter: Record<string, unknown>, keys: Readonly<Record<string, string>>, statistics: TableStatistics): number {
  let estimate = rows;
  for (const [field, keyTable] of Object.entries(keys)) {
    if (given(filter[field])) estimate /= Math.max(1, statistics.rowsOf(keyTable));
  }
  return estimate;
}

/** Per connection field: the rows its filter matches. Unpaged relation lists keep the walk's default size. */
const MATCHED_ROWS: Record<string, (args: Readonly<Record<string, unknown>>, statistics: TableStatistics) => number> = {
  // A window of captures reads its days' partitions: a plate narrows to one vehicle's passes
  // (captures over vehicles), a checkpoint to one checkpoint's (less selective).
  'Query.checkpointCaptures': (args, s) => {
    const filter = objectArg(args, 'filter');
    const rows = captureDaysSpanned(filter.from, filter.to) * s.captureRowsPerDay;
    return narrowed(rows, filter, { plateNumber: 'vehicle', checkpointCode: 'checkpoint' }, s);
  },
  'Vehicle.captures': (args, s) => (captureDaysSpanned(args.from, args.to) * s.captureRowsPerDay) / Math.max(1, s.rowsOf('vehicle')),
  'Query.enterprises': (_args, s) => s.rowsOf('enterprise'),
  'Query.vehicles': (args, s) => narrowed(s.rowsOf('vehicle'), objectArg(args, 'filter'), { ownerUscc: 'enterprise' }, s),
  'Query.practitioners': (args, s) => narrowed(s.rowsOf('practitioner'), objectArg(args, 'filter'), { employerUscc: 'enterprise' }, s),
  'Query.enforcementCases': (args, s) =>
    narrowed(s.rowsOf('enforcement_case'), objectArg(args, 'filter'), { partyUscc: 'enterprise', plateNumber: 'vehicle' }, s),
  'Query.weighings': (args, s) => narrowed(s.rowsOf('weighing'), objectArg(args, 'filter'), { plateNumber: 'vehicle' }, s),
  'Query.clues': (_args, s) => s.rowsOf('clue'),
  'Query.syncRuns': (_args, s) => s.rowsOf('sync_run'),
  'Query.quarantinedRecords': (_args, s) => s.rowsOf('quarantined_record'),
  // Audit filters test the event's JSON content: unindexed, every event is read.
  'Query.auditEvents': (_args, s) => s.rowsOf('audit_event'),
};

/**
 * Verifying the chain from the last verified checkpoint reads the events appended since, at most
 * a few minutes' worth; priced so that one request cannot ask for it over and over. A full walk
 * reads (and hashes) every event.
 */
export const INCREMENTAL_VERIFY_COST = 5_000;

/**
 * Aggregates read their window's rows of the fact table, or of its rollup when every measure asked
 * can be read there (the rollup's rows are then the fact rows scaled by how much the rollup
 * compresses them: its rows over the table's). The cells they return are priced by the walk, as
 * a list of `first` cells.
 */
const AGGREGATES: Record<
  string,
  { table: string; rollup: string | null; baseOnly: readonly string[]; rows: (args: Readonly<Record<string, unknown>>, s: TableStatistics) => number }
> = {
  'Query.caseStats': { table: 'enforcement_case', rollup: 'case_rollup', baseOnly: [], rows: (_args, s) => s.rowsOf('enforcement_case') },
  'Query.weighingStats': { table: 'weighing', rollup: 'weighing_rollup', baseOnly: [], rows: (_args, s) => s.rowsOf('weighing') },
  // No rollup: every live row of the table (and, for enterprises, an index lookup of each one's grades).
  'Query.clueStats': { table: 'clue', rollup: null, baseOnly: [], rows: (_args, s) => s.rowsOf('clue') },
  'Query.enterpriseStats': { table: 'enterprise', rollup: null, baseOnly: [], rows: (_args, s) => 3 * s.rowsOf('enterprise') },
  'Query.vehicleStats': { table: 'vehicle', rollup: null, baseOnly: [], rows: (_args, s) => s.rowsOf('vehicle') },
  'Query.inspectionStats': { table: 'inspection_result', rollup: null, baseOnly: [], rows: (_args, s) => s.rowsOf('inspection_result') },
  // A window of captures reads its days' partitions (or their share of the rollup).
  'Query.captureStats': {
    table: 'checkpoint_capture',
    rollup: 'capture_rollup',
    baseOnly: ['DISTINCT_PLATES'],
    rows: (args, s) => {
      const window = objectArg(args, 'window');
      return captureDaysSpanned(window.from, window.to) * s.captureRowsPerDay;
    },
  },
};

function aggregateRows(id: string, args: Readonly<Record<string, unknown>>, statistics: TableStatistics): number | undefined {
  const aggregate = AGGREGATES[id];
  if (!aggregate) return undefined;
  const rows = aggregate.rows(args, statistics);
  const measures = Array.isArray(args.measures) ? (args.measures as unknown[]) : [];
  if (measures.some((m) => aggregate.baseOnly.includes(String(m)))) return rows;
  if (aggregate.rollup === null) return rows;
  const table = statistics.rowsOf(aggregate.table);
  return table > 0 ? rows * Math.min(1, statistics.rowsOf(aggregate.rollup) / table) : rows;
}

const countCost = (rows: number) => Math.max(1, Math.ceil(rows / COUNTED_ROWS_PER_COST_UNIT));

/**
 * The price of one field, given the rows the enclosing connection's filter matches (`matches`,
 * when the field sits directly under a connection). Undefined members: the walk's defaults.
 */
export function priceList(field: ListField, statistics: TableStatistics, matches: number | undefined): FieldPrice {
  const id = `${field.typeName}.${field.fieldName}`;
  const matched = MATCHED_ROWS[id];
  if (matched) return { matches: Math.max(0, matched(field.args(), statistics)) };
  const aggregated = aggregateRows(id, field.args(), statistics);
  if (aggregated !== undefined) return { cost: countCost(aggregated) };
  // Counting a division's clues by kind and status reads (index-only) at most every clue of the division: priced as a count of all clues.
  if (id === 'Query.clueCounts') return { cost: countCost(statistics.rowsOf('clue')) };
  // A data-access report sums the window's events whose content names the source (read by the
  // trail's time index); the statistics say how many events the trail holds, not how many fall in
  // a window, so it is priced like a count of all of them.
  if (id === 'Query.dataAccessReport') return { cost: countCost(statistics.rowsOf('audit_event')) };
  if (id === 'Query.verifyAuditChain') {
    return { cost: field.args().full === true ? Math.max(INCREMENTAL_VERIFY_COST, statistics.rowsOf('audit_event')) : INCREMENTAL_VERIFY_COST };
  }
  if (matches === undefined) return {};
  if (field.fieldName === 'totalCount') return { cost: countCost(matches) };
  if (field.fieldName === 'count') {
    const upTo = field.args().upTo;
    const cap = typeof upTo === 'number' && Number.isInteger(upTo) && upTo >= 0 ? upTo : DEFAULT_COUNT_CAP;
    return { cost: countCost(Math.min(matches, cap + 1)) };
  }
  return {};
}
