import type { EntityMetadata } from '@mikro-orm/postgresql';
import { rowScopePredicate } from '../../read-kit/rows/row-scope-sql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { projectionFor } from '../../read-kit/rows/projection';
import type { PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import { paginate, type Page } from '../../read-kit/pagination';
import { Weighing } from './weighing.entity';
import { weighingOrderings, type WeighingOrderName } from './weighing.orderings';

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

  private get em(): EntityManager {
    return this.scope.em;
  }

  /** The newest `limit` weighings of each vehicle, in one statement for all vehicles (a lateral seek each). */
  async findRecentByVehicles(keys: readonly VehicleKey[], limit: number): Promise<Weighing[]> {
    if (keys.length === 0) return [];
    // The loader groups the rows by plate: read it whatever the operation selects.
    const projection = projectionFor(this.scope, Weighing, ['plateNumber', 'plateColor']);
    const params: unknown[] = [JSON.stringify(keys.map((k) => ({ p: k.plateNumber, c: k.plateColor }))), limit];
    const scoped = rowScopePredicate(this.scope, this.em.getMetadata().get(Weighing.name) as unknown as EntityMetadata, 'w', (v) => `$${params.push(v)}`);
    const rows = await this.scope.sql.query(`
      select w.* from json_to_recordset($1::json) as k(p text, c text)
      cross join lateral (
        select ${projection.columnList} from weighing w
        where w.plate_number = k.p and w.plate_color = k.c and w.deleted_at is null ${scoped ? `and ${scoped}` : ''}
        order by w.measured_at desc, w.source_id
        limit $2) w`, params);
    return rows.map(projection.map);
  }

  findPage(filter: WeighingFilter, order: WeighingOrderName, first?: number | null, after?: string | null): Promise<Page<Weighing>> {
    const qb = this.em.createQueryBuilder(Weighing, 'e').where({ deletedAt: null });
    if (filter.plateNumber) qb.andWhere({ plateNumber: filter.plateNumber });
    if (filter.plateColor) qb.andWhere({ plateColor: filter.plateColor });
    if (filter.stationCode) qb.andWhere({ stationCode: filter.stationCode });
    if (filter.measuredFrom) qb.andWhere({ measuredAt: { $gte: filter.measuredFrom } });
    if (filter.measuredTo) qb.andWhere({ measuredAt: { $lt: filter.measuredTo } });
    if (filter.overloadedOnly) qb.andWhere({ overloadKg: { $gt: 0 } });
    if (filter.minOverloadRatio !== null && filter.minOverloadRatio !== undefined) {
      qb.andWhere({ overloadRatio: { $gte: filter.minOverloadRatio } });
    }
    return paginate(this.scope, qb, { ordering: weighingOrderings.ordering(order), first, after }, Weighing);
  }
}
