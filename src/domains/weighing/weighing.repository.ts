import type { ReadScope } from '../../read-kit/rows/read-scope';
import { loadAlways } from '../../read-kit/rows/projection';
import type { PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import { instant, type Ordering, type Page } from '../../read-kit/pagination';
import { Weighing } from './weighing.entity';

loadAlways(Weighing, ['sourceId', 'plateNumber', 'plateColor', 'measuredAt']);

export interface WeighingFilter {
  plateNumber?: string | null;
  plateColor?: PlateColor | null;
  stationCode?: string | null;
  measuredFrom?: Date | null;
  measuredTo?: Date | null;
  overloadedOnly?: boolean | null;
  minOverloadRatio?: number | null;
}

export type WeighingOrderName = 'MEASURED_AT_DESC' | 'OVERLOAD_RATIO_DESC';

export const WEIGHING_ORDERINGS: Record<WeighingOrderName, Ordering<Weighing>> = {
  MEASURED_AT_DESC: { name: 'MEASURED_AT_DESC', direction: 'desc', keys: [
    { property: 'measuredAt', column: 'measured_at', type: 'instant', value: (w) => instant(w.measuredAt) },
    { property: 'sourceId', column: 'source_id', type: 'text', value: (w) => w.sourceId }] },
  OVERLOAD_RATIO_DESC: { name: 'OVERLOAD_RATIO_DESC', direction: 'desc', keys: [
    { property: 'overloadRatio', column: 'overload_ratio', type: 'float', value: (w) => w.overloadRatio },
    { property: 'sourceId', column: 'source_id', type: 'text', value: (w) => w.sourceId }] },
};

/** Queries over weighings. */
export class WeighingRepository {
  constructor(private readonly scope: ReadScope) {}

  /** The newest `limit` weighings of each vehicle, in one statement for all vehicles (a lateral seek each). */
  findRecentByVehicles(keys: readonly VehicleKey[], limit: number): Promise<Weighing[]> {
    return this.scope.reads.firstPerParent(Weighing, {
      parentKeys: ['plateNumber', 'plateColor'], parents: keys.map((k) => [k.plateNumber, k.plateColor]),
      order: [['measuredAt', 'desc'], ['sourceId', 'asc']], limit,
    });
  }

  findPage(filter: WeighingFilter, order: WeighingOrderName, first?: number | null, after?: string | null): Promise<Page<Weighing>> {
    return this.scope.reads.page(Weighing, {
      plateNumber: filter.plateNumber, plateColor: filter.plateColor, stationCode: filter.stationCode,
      measuredAt: { gte: filter.measuredFrom, lt: filter.measuredTo }, overloadKg: filter.overloadedOnly ? { gt: 0 } : null,
      overloadRatio: { gte: filter.minOverloadRatio },
    }, { ordering: WEIGHING_ORDERINGS[order], first, after });
  }
}
