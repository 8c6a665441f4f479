import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { InvalidInputError } from '../../errors';
import { DEFAULT_CELLS, requireUnitWindow } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import { TravelDirection } from '../common/enums';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { CaptureWindowFields, MAX_CAPTURE_WINDOW_DAYS, type CaptureWindowFilter } from './checkpoint.args';
import { BEIJING_ZONE_SQL } from '../../read-kit/rows/time-key';

/** What captures can be grouped by. */
export enum CaptureGroupBy {
  HOUR = 'HOUR',
  DAY = 'DAY',
  CHECKPOINT = 'CHECKPOINT',
  DIRECTION = 'DIRECTION',
  PLATE_PROVINCE = 'PLATE_PROVINCE',
  VEHICLE_CATEGORY = 'VEHICLE_CATEGORY',
}

/** What can be measured of captures. */
export enum CaptureMeasure {
  COUNT = 'COUNT',
  DISTINCT_PLATES = 'DISTINCT_PLATES',
}

registerEnumType(CaptureGroupBy, {
  name: 'CaptureGroupBy',
  description:
    'HOUR or DAY (Beijing time) of the capture, CHECKPOINT, DIRECTION of travel, PLATE_PROVINCE (the plate’s first character, e.g. 苏), VEHICLE_CATEGORY (the plate colour: GA 36 gives yellow to large vehicles, blue to small, green to new-energy ones).',
});
registerEnumType(CaptureMeasure, {
  name: 'CaptureMeasure',
  description:
    'COUNT of captures (traffic flow); DISTINCT_PLATES: vehicles, counted exactly from the captures (never from the rollup), per DAY and CHECKPOINT only, over whole days.',
});

/**
 * Captures are counted in units of an hour × checkpoint × direction × plate province × plate
 * colour: exactly the rollup's rows, so flows come from the rollup; distinct plates need the captures.
 */
export const captureAggregate: FactAggregate<CheckpointCapture> = {
  type: CheckpointCapture,
  units: {
    // The hour as the instant it starts, as the rollup stores it: its primary key then gives the
    // units in hour order, so a grouping by hour first stops reading at `first` cells.
    hour: { base: `date_trunc('hour', e.captured_at, ${BEIJING_ZONE_SQL})`, rollup: 'r.hour_start' },
    checkpoint: { base: 'e.checkpoint_code', rollup: 'r.checkpoint_code' },
    direction: { base: 'e.direction', rollup: 'r.direction' },
    province: { base: 'left(e.plate_number, 1)', rollup: 'r.plate_province' },
    category: { base: 'e.plate_color', rollup: 'r.plate_color' },
  },
  measures: {
    DISTINCT_PLATES: { base: "array_agg(distinct e.plate_number || '|' || e.plate_color)", rollup: null, combine: 'distinct' },
  },
  rollup: {
    table: 'capture_rollup',
    count: 'captures',
    properties: { capturedAt: 'hour_start', checkpointCode: 'checkpoint_code', direction: 'direction', plateColor: 'plate_color' },
    rowsAreUnits: true,
  },
};

export const CAPTURE_GROUPS: Record<CaptureGroupBy, AggregateGroup> = {
  HOUR: { value: (u) => u('hour'), time: { unit: 'hour', of: 'instant' } },
  DAY: { value: (u) => `date_trunc('day', ${u('hour')} at time zone ${BEIJING_ZONE_SQL})`, time: { unit: 'day', of: 'beijing' } },
  CHECKPOINT: { value: (u) => u('checkpoint') },
  DIRECTION: { value: (u) => u('direction') },
  PLATE_PROVINCE: { value: (u) => u('province') },
  VEHICLE_CATEGORY: { value: (u) => u('category') },
};

/**
 * The one grouping distinct plates are counted at: per Beijing day and checkpoint, over whole
 * days, with no direction filter. A distinct count does not add up, so two answers over
 * overlapping sets of captures (windows an hour apart, a day against its checkpoints, one
 * direction against both) would differ by whether a single vehicle was among the rest. Here every
 * value is one (day, checkpoint) cell's, always counted over the same captures: a window only
 * chooses which cells are returned, and no two answers ever differ by less than a whole cell.
 */
export const DISTINCT_PLATES_GROUPING: readonly CaptureGroupBy[] = [CaptureGroupBy.DAY, CaptureGroupBy.CHECKPOINT];

/** Refuses (typed, before anything runs) a DISTINCT_PLATES query outside `DISTINCT_PLATES_GROUPING`. */
export function requireDistinctPlatesGrid(groupBy: readonly CaptureGroupBy[], window: CaptureStatsWindowInput): void {
  if (groupBy.length !== DISTINCT_PLATES_GROUPING.length || !DISTINCT_PLATES_GROUPING.every((g) => groupBy.includes(g)))
    throw new InvalidInputError('groupBy', `DISTINCT_PLATES is counted per ${DISTINCT_PLATES_GROUPING.join(' and ')} only`);
  if (window.direction) throw new InvalidInputError('window.direction', 'DISTINCT_PLATES counts both directions of a checkpoint');
  requireUnitWindow('window', window.from, window.to, 'day', MAX_CAPTURE_WINDOW_DAYS);
}

export const CAPTURE_STATS_READS: AggregateDeclaration = {
  of: 'CheckpointCapture',
  reads: {
    groupBy: {
      HOUR: ['capturedAt'],
      DAY: ['capturedAt'],
      CHECKPOINT: ['checkpointCode'],
      DIRECTION: ['direction'],
      PLATE_PROVINCE: ['plateNumber'],
      VEHICLE_CATEGORY: ['plateColor'],
    },
    measures: { COUNT: [], DISTINCT_PLATES: ['plateNumber', 'plateColor'] },
  },
};

@InputType({
  description: `Captures in a window [from, to) of whole hours (Beijing time), at most ${MAX_CAPTURE_WINDOW_DAYS} days; of whole days with DISTINCT_PLATES.`,
})
@CaptureWindowFields()
export class CaptureStatsWindowInput implements CaptureWindowFilter {
  declare from: Date;
  declare to: Date;
  declare checkpointCode?: string | null;

  @Tests('CheckpointCapture.direction')
  @Field(() => TravelDirection, { nullable: true })
  direction?: TravelDirection | null;
}

@ArgsType()
export class CaptureStatsArgs {
  @Field(() => CaptureStatsWindowInput)
  window!: CaptureStatsWindowInput;

  @Field(() => [CaptureGroupBy], { defaultValue: [] })
  groupBy!: CaptureGroupBy[];

  @Field(() => [CaptureMeasure], { defaultValue: [CaptureMeasure.COUNT] })
  measures!: CaptureMeasure[];

  @Field(() => Int, { defaultValue: DEFAULT_CELLS, description: 'Most cells returned.' })
  first!: number;

  @Field(() => AggregateSort, { defaultValue: AggregateSort.KEYS })
  orderBy!: AggregateSort;
}
