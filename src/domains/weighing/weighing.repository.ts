import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import type { Page } from '../../read-kit/pagination';
import { Weighing } from './weighing.entity';
import { unitReads, type AggregateAnswer } from '../../read-kit/rows/aggregate-query';
import { WEIGHING_GROUPS, WEIGHING_STATS_READS, weighingAggregate, type WeighingGroupBy } from './weighing.stats';
import { weighingOrderings, type WeighingOrderName } from './weighing.orderings';

const WEIGHING_UNIT_READS = unitReads(WEIGHING_GROUPS, WEIGHING_STATS_READS.reads.groupBy);

export interface WeighingFilter {
  plateNumber?: string | null;
  plateColor?: PlateColor | null;
  stationCode?: string | null;
  measuredFrom?: Date | null;
  measuredTo?: Date | null;
  overloadedOnly?: boolean | null;
  minOverloadRatio?: number | null;
}

/** Queries over weighings. */
export class WeighingRepository {
  constructor(private readonly scope: ReadScope) {}

  /** The newest `limit` weighings of each vehicle, in one statement for all vehicles (a lateral seek each). */
  findRecentByVehicles(keys: readonly VehicleKey[], limit: number): Promise<Weighing[]> {
    return this.scope.reads.firstPerParent(Weighing, {
      parentKeys: ['plateNumber', 'plateColor'],
      parents: keys.map((k) => [k.plateNumber, k.plateColor]),
      order: [
        ['measuredAt', 'desc'],
        ['sourceId', 'asc'],
      ],
      limit,
    });
  }

  findBySourceIds(ids: readonly string[]): Promise<Weighing[]> {
    return this.scope.reads.byKeys(
      Weighing,
      ['sourceId'],
      ids.map((id) => [id]),
    );
  }

  findPage(filter: WeighingFilter, order: WeighingOrderName, first?: number | null, after?: string | null): Promise<Page<Weighing>> {
    return this.scope.reads.page(
      Weighing,
      {
        plateNumber: filter.plateNumber,
        plateColor: filter.plateColor,
        stationCode: filter.stationCode,
        measuredAt: { gte: filter.measuredFrom, lt: filter.measuredTo },
        overloadKg: filter.overloadedOnly ? { gt: 0 } : null,
        overloadRatio: { gte: filter.minOverloadRatio },
      },
      { ordering: weighingOrderings.ordering(order), first, after },
    );
  }

  /** Weighings in a window counted (and measured) by `groupBy`, as `weighingAggregate` defines units and suppression. */
  aggregate(
    filter: { from: Date; to: Date; stationCode: string | null; divisionCode: string | null },
    groupBy: readonly WeighingGroupBy[],
    measures: readonly string[],
    options: { k: number; first: number; order: 'KEYS' | 'COUNT_DESC' },
  ): Promise<AggregateAnswer> {
    return this.scope.reads.aggregate({
      fact: weighingAggregate,
      where: {
        measuredAt: { gte: filter.from, lt: filter.to },
        stationCode: filter.stationCode,
        stationDivisionCode: { startsWith: filter.divisionCode },
      },
      groups: groupBy.map((g) => WEIGHING_GROUPS[g]),
      unitReads: WEIGHING_UNIT_READS,
      measures,
      ...options,
    });
  }
}
