import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Classification, Classified } from '../fields/classification';

/**
 * Every dimension an aggregate can group by, across fact types: a cell's key names its dimension
 * with this enum, so one result shape serves every `…Stats` query (and the exports that wrap them).
 */
export enum AggregateDimension {
  HOUR = 'HOUR',
  DAY = 'DAY',
  MONTH = 'MONTH',
  DIVISION = 'DIVISION',
  VIOLATION_CODE = 'VIOLATION_CODE',
  CHECKPOINT = 'CHECKPOINT',
  DIRECTION = 'DIRECTION',
  PLATE_PROVINCE = 'PLATE_PROVINCE',
  VEHICLE_CATEGORY = 'VEHICLE_CATEGORY',
  STATION = 'STATION',
  AXLES = 'AXLES',
  KIND = 'KIND',
  STATUS = 'STATUS',
  ITEM = 'ITEM',
  OUTCOME = 'OUTCOME',
  CREDIT_GRADE = 'CREDIT_GRADE',
  RISK_GRADE = 'RISK_GRADE',
  VEHICLE_TYPE = 'VEHICLE_TYPE',
  CERTIFICATE_STATUS = 'CERTIFICATE_STATUS',
}

/** Every measure an aggregate can compute, across fact types (each query's own enum says which apply to it). */
export enum AggregateMeasure {
  COUNT = 'COUNT',
  SUM_FINE = 'SUM_FINE',
  TRANSFERRED = 'TRANSFERRED',
  DISTINCT_PLATES = 'DISTINCT_PLATES',
  OVERLOADED = 'OVERLOADED',
  OVERLOAD_RATE = 'OVERLOAD_RATE',
  MAX_RATIO = 'MAX_RATIO',
  CLOSED = 'CLOSED',
  MEAN_HANDLING_HOURS = 'MEAN_HANDLING_HOURS',
}

/** Where an aggregate was answered from. */
export enum AggregateSource {
  ROLLUP = 'ROLLUP',
  BASE = 'BASE',
}

/** How a distinct count was counted. */
export enum DistinctMethod {
  EXACT = 'EXACT',
}

/** How cells are ordered. */
export enum AggregateSort {
  KEYS = 'KEYS',
  COUNT_DESC = 'COUNT_DESC',
}

registerEnumType(AggregateDimension, { name: 'AggregateDimension', description: 'A dimension a cell of an aggregate is keyed by.' });
registerEnumType(AggregateMeasure, { name: 'AggregateMeasure', description: 'A measure an aggregate computes per cell.' });
registerEnumType(AggregateSource, {
  name: 'AggregateSource',
  description: 'ROLLUP: the incrementally maintained rollup tables; BASE: the fact table itself (the grouping, a measure or the row scope needs it).',
});
registerEnumType(DistinctMethod, { name: 'DistinctMethod', description: 'EXACT: count(distinct …) over the rows themselves.' });
registerEnumType(AggregateSort, {
  name: 'AggregateSort',
  description: 'KEYS: by the group keys in groupBy order; COUNT_DESC: largest count first, suppressed cells last.',
});

/**
 * The types of an aggregate's cells: plain data, read off the objects with no resolver (access
 * control decides for their fields once, where `cells` is returned), so a cell costs graphql-js's
 * own work only.
 */
export const AGGREGATE_CELL_TYPES: ReadonlySet<string> = new Set(['AggregateCell', 'AggregateKey', 'AggregateValue']);

@ObjectType({
  description: 'One group key of a cell: its dimension and value (a month as 2026-10, a day as 2026-10-01, an hour as 2026-10-01T08).',
  simpleResolvers: true,
})
export class AggregateKey {
  @Classified(Classification.INTERNAL) @Field(() => AggregateDimension) dimension!: AggregateDimension;
  @Classified(Classification.INTERNAL) @Field() value!: string;
}

@ObjectType({ description: 'One measure of a cell; null when the cell is suppressed.', simpleResolvers: true })
export class AggregateValue {
  @Classified(Classification.INTERNAL) @Field(() => AggregateMeasure) measure!: AggregateMeasure;
  @Classified(Classification.INTERNAL) @Field(() => Float, { nullable: true }) value!: number | null;
}

@ObjectType({ description: 'One cell of an aggregate: its group keys (in groupBy order) and its measures.', simpleResolvers: true })
export class AggregateCell {
  @Classified(Classification.INTERNAL) @Field(() => [AggregateKey]) keys!: AggregateKey[];
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'Records counted in the cell; null when suppressed.' })
  count!: number | null;
  @Classified(Classification.INTERNAL) @Field(() => [AggregateValue]) values!: AggregateValue[];
  @Classified(Classification.INTERNAL)
  @Field({ description: "True when the cell's records fall in units smaller than the agreement's k: every value is null." })
  suppressed!: boolean;
  @Classified(Classification.INTERNAL)
  @Field({
    description:
      'False when some of the records grouped here fall in units smaller than k and were left out of its values (so no subtraction of cells recovers them).',
  })
  complete!: boolean;
}

@ObjectType({ description: 'The result of an aggregate query: cells, ordered and limited, and how they were computed.' })
export class AggregateResult {
  @Classified(Classification.INTERNAL) @Field(() => [AggregateCell]) cells!: AggregateCell[];
  @Classified(Classification.INTERNAL) @Field(() => AggregateSource) source!: AggregateSource;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Smallest number of records a published unit holds (the agreement’s k).' })
  k!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int, { description: 'Cells returned suppressed.' }) suppressedCells!: number;
  @Classified(Classification.INTERNAL) @Field({ description: 'More cells matched than `first`.' }) truncated!: boolean;
  @Classified(Classification.INTERNAL)
  @Field(() => DistinctMethod, { nullable: true, description: 'How DISTINCT_PLATES was counted, when asked for.' })
  distinctMethod!: DistinctMethod | null;
}
