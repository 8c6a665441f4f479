import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { DEFAULT_CELLS } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import { TravelDirection } from '../common/enums';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { MAX_CAPTURE_WINDOW_DAYS } from './checkpoint.args';

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
  description: 'COUNT of captures (traffic flow); DISTINCT_PLATES: vehicles, counted exactly from the captures (never from the rollup).',
});

const SHANGHAI = "'Asia/Shanghai'";

/**
 * Captures are counted in units of an hour × checkpoint × direction × plate province × plate
 * colour: exactly the rollup's rows, so flows come from the rollup; distinct plates need the captures.
 */
export const captureAggregate: FactAggregate<CheckpointCapture> = {
  type: CheckpointCapture,
  units: {
    // The hour as the instant it starts, as the rollup stores it: its primary key then gives the
    // units in hour order, so a grouping by hour first stops reading at \`first\` cells.
    hour: { base: `date_trunc('hour', e.captured_at, ${SHANGHAI})`, rollup: 'r.hour_start' },
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
  },
};

export const CAPTURE_GROUPS: Record<CaptureGroupBy, AggregateGroup> = {
  HOUR: { value: (u) => u('hour'), text: (v) => `to_char(${v} at time zone ${SHANGHAI}, 'YYYY-MM-DD"T"HH24')` },
  DAY: { value: (u) => `date_trunc('day', ${u('hour')} at time zone ${SHANGHAI})`, text: (v) => `to_char(${v}, 'YYYY-MM-DD')` },
  CHECKPOINT: { value: (u) => u('checkpoint') },
  DIRECTION: { value: (u) => u('direction') },
  PLATE_PROVINCE: { value: (u) => u('province') },
  VEHICLE_CATEGORY: { value: (u) => u('category') },
};

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

@InputType({ description: `Captures in a window [from, to) of whole hours (Beijing time), at most ${MAX_CAPTURE_WINDOW_DAYS} days.` })
export class CaptureStatsWindowInput {
  @Tests('CheckpointCapture.capturedAt')
  @Field(() => Date)
  from!: Date;

  @Tests('CheckpointCapture.capturedAt')
  @Field(() => Date)
  to!: Date;

  @Tests('CheckpointCapture.checkpointCode')
  @Field(() => String, { nullable: true })
  checkpointCode?: string | null;

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
