import { InvalidInputError } from '../../errors';
import { requireWindowOrder } from '../arguments/time-window';
import {
  AggregateCell,
  AggregateDimension,
  AggregateKey,
  AggregateMeasure,
  AggregateResult,
  AggregateSource,
  AggregateValue,
  type DistinctMethod,
} from './aggregate-result';
import type { AggregateAnswer, AggregateRow } from '../rows/aggregate-query';
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

type Derive = (value: (measure: string) => number | null, count: number) => number | null;

/** What every cell of one answer shares. */
interface CellShape {
  groupBy: readonly AggregateDimension[];
  measures: readonly AggregateMeasure[];
  /** The measures the row's values hold, in order (those computed in SQL). */
  computed: readonly string[];
  derive: Partial<Record<string, Derive>>;
}

/**
 * A cell of an answer row: its keys and values are built when the operation reads them (once
 * each, by the executor), so a cell waiting for its answer to be written holds its row's texts
 * and numbers only. Built whole, a month of flow kept 5,000 cells of six objects each alive
 * through execution, each copied by every young-generation collection that ran meanwhile.
 */
class RowCell implements AggregateCell {
  readonly count: number | null;
  readonly suppressed: boolean;
  readonly complete: boolean;
  /** No unit at all (an ungrouped query over nothing): an honest zero, nothing hidden. */
  private readonly empty: boolean;
  private readonly texts: readonly string[];
  private readonly computedValues: ReadonlyArray<number | null>;

  constructor(
    row: AggregateRow,
    private readonly shape: CellShape,
  ) {
    this.empty = row.count === null && row.withheld === 0;
    this.suppressed = row.count === null && !this.empty;
    this.count = this.empty ? 0 : row.count;
    this.complete = row.withheld === 0;
    this.texts = row.keys;
    this.computedValues = row.values;
  }

  get keys(): AggregateKey[] {
    return this.shape.groupBy.map((dimension, i) => ({ dimension, value: this.texts[i] }));
  }

  get values(): AggregateValue[] {
    const { measures, computed, derive } = this.shape;
    const raw = (measure: string) => this.computedValues[computed.indexOf(measure)] ?? null;
    return measures.map((measure) => {
      const derived = derive[measure];
      let value: number | null;
      if (this.suppressed) value = null;
      else if (measure === AggregateMeasure.COUNT) value = this.count;
      else if (derived) value = this.count ? derived(raw, this.count) : null;
      else value = this.empty ? null : raw(measure);
      return { measure, value };
    });
  }
}

/** The shared result shape of an answer; `derive` computes measures from others of the same cell (a rate from two sums). */
export function aggregateResult(
  answer: AggregateAnswer,
  groupBy: readonly string[],
  measures: readonly string[],
  /** The measures the answer's values hold, in order (those computed in SQL). */
  computed: readonly string[],
  k: number,
  options: {
    derive?: Partial<Record<string, Derive>>;
    distinctMethod?: DistinctMethod | null;
  } = {},
): AggregateResult {
  const shape: CellShape = {
    groupBy: groupBy as AggregateDimension[],
    measures: measures as AggregateMeasure[],
    computed,
    derive: options.derive ?? {},
  };
  const cells = answer.rows.map((row) => new RowCell(row, shape));
  return {
    cells,
    source: answer.source === 'ROLLUP' ? AggregateSource.ROLLUP : AggregateSource.BASE,
    k,
    suppressedCells: cells.filter((c) => c.suppressed).length,
    truncated: answer.truncated,
    distinctMethod: options.distinctMethod ?? null,
  };
}
