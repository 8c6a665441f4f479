import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { DEFAULT_CELLS } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import { Weighing } from './weighing.entity';
import { BEIJING_ZONE_SQL } from '../../read-kit/rows/time-key';

/** What weighings can be grouped by. */
export enum WeighingGroupBy {
  DAY = 'DAY',
  MONTH = 'MONTH',
  STATION = 'STATION',
  DIVISION = 'DIVISION',
  AXLES = 'AXLES',
}

/** What can be measured of weighings. */
export enum WeighingMeasure {
  COUNT = 'COUNT',
  OVERLOADED = 'OVERLOADED',
  OVERLOAD_RATE = 'OVERLOAD_RATE',
  MAX_RATIO = 'MAX_RATIO',
}

registerEnumType(WeighingGroupBy, {
  name: 'WeighingGroupBy',
  description: 'DAY or MONTH (Beijing time) of the weighing, weigh STATION, DIVISION the station stands in, AXLES of the vehicle.',
});
registerEnumType(WeighingMeasure, {
  name: 'WeighingMeasure',
  description: 'COUNT of weighings; OVERLOADED: over the legal limit; OVERLOAD_RATE: OVERLOADED / COUNT; MAX_RATIO: the largest overload ratio.',
});

/** Longest window of a weighing aggregate. */
export const MAX_WEIGHING_WINDOW_DAYS = 366;

/** Weighings are counted in units of a day × station × axle count, exactly the rollup's rows. */
export const weighingAggregate: FactAggregate<Weighing> = {
  type: Weighing,
  units: {
    // The day as the instant it starts (Beijing midnight), as the rollup stores it: read in its key's order, no conversion per row.
    day: { base: `date_trunc('day', e.measured_at, ${BEIJING_ZONE_SQL})`, rollup: 'r.day_start' },
    station: { base: 'e.station_code', rollup: 'r.station_code' },
    division: { base: 'e.station_division_code', rollup: 'r.station_division_code' },
    axles: { base: 'e.axle_count', rollup: 'r.axle_count' },
  },
  measures: {
    OVERLOADED: { base: 'count(*) filter (where e.overload_kg > 0)', rollup: 'r.overloaded', combine: 'sum' },
    MAX_RATIO: { base: 'max(e.overload_ratio)', rollup: 'r.max_ratio', combine: 'max' },
  },
  rollup: {
    table: 'weighing_rollup',
    count: 'weighings',
    properties: { measuredAt: 'day_start', stationCode: 'station_code', stationDivisionCode: 'station_division_code', axleCount: 'axle_count' },
    rowsAreUnits: true,
  },
};

export const WEIGHING_GROUPS: Record<WeighingGroupBy, AggregateGroup> = {
  DAY: { value: (u) => u('day'), time: { unit: 'day', of: 'instant' } },
  MONTH: { value: (u) => `date_trunc('month', ${u('day')} at time zone ${BEIJING_ZONE_SQL})`, time: { unit: 'month', of: 'beijing' } },
  STATION: { value: (u) => u('station') },
  DIVISION: { value: (u) => u('division') },
  AXLES: { value: (u) => u('axles') },
};

export const WEIGHING_STATS_READS: AggregateDeclaration = {
  of: 'Weighing',
  reads: {
    groupBy: { DAY: ['measuredAt'], MONTH: ['measuredAt'], STATION: ['stationCode'], DIVISION: ['stationDivisionCode'], AXLES: ['axleCount'] },
    measures: { COUNT: [], OVERLOADED: ['overloadKg'], OVERLOAD_RATE: ['overloadKg'], MAX_RATIO: ['overloadRatio'] },
  },
};

@InputType({ description: `Weighings in a window [from, to) of whole days (Beijing time), at most ${MAX_WEIGHING_WINDOW_DAYS} days.` })
export class WeighingStatsFilterInput {
  @Tests('Weighing.measuredAt')
  @Field(() => Date)
  from!: Date;

  @Tests('Weighing.measuredAt')
  @Field(() => Date)
  to!: Date;

  @Tests('Weighing.stationCode')
  @Field(() => String, { nullable: true })
  stationCode?: string | null;

  @Tests('Weighing.stationDivisionCode')
  @Field(() => String, { nullable: true, description: 'Stations in this division or under it (a prefix).' })
  divisionCode?: string | null;
}

@ArgsType()
export class WeighingStatsArgs {
  @Field(() => WeighingStatsFilterInput)
  filter!: WeighingStatsFilterInput;

  @Field(() => [WeighingGroupBy], { defaultValue: [] })
  groupBy!: WeighingGroupBy[];

  @Field(() => [WeighingMeasure], { defaultValue: [WeighingMeasure.COUNT] })
  measures!: WeighingMeasure[];

  @Field(() => Int, { defaultValue: DEFAULT_CELLS, description: 'Most cells returned.' })
  first!: number;

  @Field(() => AggregateSort, { defaultValue: AggregateSort.KEYS })
  orderBy!: AggregateSort;
}
