import { InvalidInputError } from '../../errors';
import { requireWindowOrder } from '../arguments/time-window';
import { AggregateCell, AggregateDimension, AggregateMeasure, AggregateResult, AggregateSource, type DistinctMethod } from './aggregate-result';
import type { AggregateAnswer } from '../rows/aggregate-query';
import { requireResultCount } from '../pagination';

/** Most group-by dimensions, and most measures, one aggregate query takes (what its cells are priced by). */
export const MAX_GROUP_BY = 4;
export const MAX_MEASURES = 4;
/** Most cells one aggregate query returns. */
export const MAX_CELLS = 5_000;
export const DEFAULT_CELLS = 500;

/** The units of time an aggregate's windows are made of. */
export type TimeUnit = 'hour' | 'day' | 'month';

const BEIJING = 8 * 3_600_000;

/**
 * A window of whole units of Beijing time, at most `maxDays` long: a window cutting a unit would
 * let two windows differ by less than a unit, and their difference single out what a unit hides.
 */
export function requireUnitWindow(argument: string, from: Date, to: Date, unit: TimeUnit, maxDays: number): void {
  requireWindowOrder(`${argument}.to`, from, to);
  if (to.getTime() - from.getTime() > maxDays * 86_400_000) throw new InvalidInputError(`${argument}.to`, `the window may span at most ${maxDays} days`);
  for (const [end, at] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const local = new Date(at.getTime() + BEIJING);
    const whole =
      unit === 'hour'
        ? at.getTime() % 3_600_000 === 0
        : local.getUTCHours() === 0 &&
          local.getUTCMinutes() === 0 &&
          local.getUTCSeconds() === 0 &&
          local.getUTCMilliseconds() === 0 &&
          (unit === 'day' || local.getUTCDate() === 1);
    if (!whole) {
      const example = { hour: '2026-11-20T08:00:00+08:00', day: '2026-11-20T00:00:00+08:00', month: '2026-11-01T00:00:00+08:00' }[unit];
      throw new InvalidInputError(`${argument}.${end}`, `must start a ${unit}, Beijing time (e.g. ${example})`);
    }
  }
}

/** Group-by and measure lists: no value twice, within their bounds; `first` within 1…MAX_CELLS. */
export function requireAggregateShape(groupBy: readonly string[], measures: readonly string[], first: number): void {
  for (const [argument, list, most] of [
    ['groupBy', groupBy, MAX_GROUP_BY],
    ['measures', measures, MAX_MEASURES],
  ] as const) {
    if (new Set(list).size !== list.length) throw new InvalidInputError(argument, 'names a value twice');
    if (list.length > most) throw new InvalidInputError(argument, `takes at most ${most} values`);
  }
  if (measures.length === 0) throw new InvalidInputError('measures', 'names no measure');
  requireResultCount('first', first, MAX_CELLS);
}

/** Records an answer counted, published or withheld (what the audit records as counted). */
export const recordsCounted = (answer: AggregateAnswer): number => answer.rows.reduce((n, r) => n + (r.count ?? 0) + r.withheld, 0);

/** The shared result shape of an answer; `derive` computes measures from others of the same cell (a rate from two sums). */
export function aggregateResult(
  answer: AggregateAnswer,
  groupBy: readonly string[],
  measures: readonly string[],
  /** The measures the answer's values hold, in order (those computed in SQL). */
  computed: readonly string[],
  k: number,
  options: {
    derive?: Partial<Record<string, (value: (measure: string) => number | null, count: number) => number | null>>;
    distinctMethod?: DistinctMethod | null;
  } = {},
): AggregateResult {
  const cells = answer.rows.map((row): AggregateCell => {
    // No unit at all (an ungrouped query over nothing): an honest zero, nothing hidden.
    const empty = row.count === null && row.withheld === 0;
    const suppressed = row.count === null && !empty;
    const count = empty ? 0 : row.count;
    const raw = (measure: string) => row.values[computed.indexOf(measure)] ?? null;
    return {
      keys: groupBy.map((dimension, i) => ({ dimension: dimension as AggregateDimension, value: row.keys[i] })),
      count,
      suppressed,
      complete: row.withheld === 0,
      values: measures.map((measure) => {
        const derive = options.derive?.[measure];
        let value: number | null;
        if (suppressed) value = null;
        else if (measure === AggregateMeasure.COUNT) value = count;
        else if (derive) value = count ? derive(raw, count) : null;
        else value = empty ? null : raw(measure);
        return { measure: measure as AggregateMeasure, value };
      }),
    };
  });
  return {
    cells,
    source: answer.source === 'ROLLUP' ? AggregateSource.ROLLUP : AggregateSource.BASE,
    k,
    suppressedCells: cells.filter((c) => c.suppressed).length,
    truncated: answer.truncated,
    distinctMethod: options.distinctMethod ?? null,
  };
}
