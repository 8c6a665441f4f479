import type { ReadScope } from '../../read-kit/rows/read-scope';
import { unitReads, type AggregateAnswer } from '../../read-kit/rows/aggregate-query';
import { INSPECTION_GROUPS, INSPECTION_STATS_READS, inspectionAggregate, type InspectionGroupBy } from './inspection.stats';

const INSPECTION_UNIT_READS = unitReads(INSPECTION_GROUPS, INSPECTION_STATS_READS.reads.groupBy);

/** Inspection results counted through the read gateway, as aggregates (a view of results with their task's item and division); their rows are read by `InspectionRepository`. */
export class InspectionFactRepository {
  constructor(private readonly scope: ReadScope) {}

  /** Results of objects inspected in [from, to) (dates) counted by `groupBy`, as `inspectionAggregate` defines units and suppression. */
  aggregate(
    filter: { from: string; to: string; divisionCode: string | null; itemCode: string | null },
    groupBy: readonly InspectionGroupBy[],
    options: { k: number; first: number; order: 'KEYS' | 'COUNT_DESC' },
  ): Promise<AggregateAnswer> {
    return this.scope.reads.aggregate({
      fact: inspectionAggregate,
      where: { inspectedOn: { gte: filter.from, lt: filter.to }, division: { startsWith: filter.divisionCode }, itemCode: filter.itemCode },
      groups: groupBy.map((g) => INSPECTION_GROUPS[g]),
      unitReads: INSPECTION_UNIT_READS,
      measures: [],
      ...options,
    });
  }
}
