import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { DEFAULT_CELLS } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import type { InspectionOutcome } from './inspection.types';

/** What inspection results can be grouped by. */
export enum InspectionGroupBy {
  MONTH = 'MONTH',
  DIVISION = 'DIVISION',
  ITEM = 'ITEM',
  OUTCOME = 'OUTCOME',
}

/** What can be measured of inspection results. */
export enum InspectionMeasure {
  COUNT = 'COUNT',
}

registerEnumType(InspectionGroupBy, {
  name: 'InspectionGroupBy',
  description: 'MONTH the object was inspected, DIVISION the task drew from, ITEM the task inspected (its lead item), OUTCOME of the inspection.',
});
registerEnumType(InspectionMeasure, { name: 'InspectionMeasure', description: 'COUNT of inspected objects (published results).' });

/** Longest window of an inspection aggregate. */
export const MAX_INSPECTION_STATS_WINDOW_DAYS = 731;

/** A published result as `inspectionStats` counts it: with its task's item and division (view `inspection_result_fact`). */
export interface InspectionFact {
  taskId: string;
  inspectedOn: string;
  outcome: InspectionOutcome;
  itemCode: string;
  division: string;
}

/** Results are counted in units of a month × division × item × outcome. No rollup: results are few. */
export const inspectionAggregate: FactAggregate<InspectionFact> = {
  type: {
    typeName: 'InspectionResult',
    relation: 'inspection_result_fact',
    properties: { taskId: 'task_id', inspectedOn: 'inspected_on', outcome: 'outcome', itemCode: 'item_code', division: 'division' },
  },
  units: {
    month: { base: "date_trunc('month', e.inspected_on::timestamp)" },
    division: { base: 'e.division' },
    item: { base: 'e.item_code' },
    outcome: { base: 'e.outcome' },
  },
  measures: {},
  rollup: null,
};

export const INSPECTION_GROUPS: Record<InspectionGroupBy, AggregateGroup> = {
  MONTH: { value: (u) => u('month'), time: { unit: 'month', of: 'beijing' } },
  DIVISION: { value: (u) => u('division') },
  ITEM: { value: (u) => u('item') },
  OUTCOME: { value: (u) => u('outcome') },
};

/**
 * What each group-by reads of a result: checked against the agreement's aggregate grant before
 * anything runs. A result's division and lead item are its task's: grouping by them reads `taskId`.
 */
export const INSPECTION_STATS_READS: AggregateDeclaration = {
  of: 'InspectionResult',
  reads: {
    groupBy: { MONTH: ['inspectedOn'], DIVISION: ['taskId'], ITEM: ['taskId', 'itemCodes'], OUTCOME: ['outcome'] },
    measures: { COUNT: [] },
  },
};

@InputType({ description: `Results of objects inspected in [from, to), whole months (Beijing time), at most ${MAX_INSPECTION_STATS_WINDOW_DAYS} days.` })
export class InspectionStatsFilterInput {
  @Tests('InspectionResult.inspectedOn')
  @Field(() => Date)
  from!: Date;

  @Tests('InspectionResult.inspectedOn')
  @Field(() => Date)
  to!: Date;

  @Tests('InspectionResult.taskId')
  @Field(() => String, { nullable: true, description: 'Of tasks drawing from this division or under it (a prefix).' })
  divisionCode?: string | null;

  @Tests('InspectionResult.itemCodes')
  @Field(() => String, { nullable: true, description: 'Of tasks whose lead item is this one.' })
  itemCode?: string | null;
}

@ArgsType()
export class InspectionStatsArgs {
  @Field(() => InspectionStatsFilterInput)
  filter!: InspectionStatsFilterInput;

  @Field(() => [InspectionGroupBy], { defaultValue: [] })
  groupBy!: InspectionGroupBy[];

  @Field(() => [InspectionMeasure], { defaultValue: [InspectionMeasure.COUNT] })
  measures!: InspectionMeasure[];

  @Field(() => Int, { defaultValue: DEFAULT_CELLS, description: 'Most cells returned.' })
  first!: number;

  @Field(() => AggregateSort, { defaultValue: AggregateSort.KEYS })
  orderBy!: AggregateSort;
}
