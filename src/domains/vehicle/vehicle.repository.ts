import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import type { PlateColor, TransportCertificateStatus } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import { escapeLike } from '../../db/escape-like';
import { paginate, type Page } from '../../read-kit/pagination';
import { Vehicle } from './vehicle.entity';
import { vehicleOrderings, type VehicleOrderName } from './vehicle.orderings';

export interface VehicleFilter {
  ownerUscc?: string | null;
  registrationDivision?: string | null;
  plateNumberPrefix?: string | null;
  plateColor?: PlateColor | null;
  vehicleTypePrefix?: string | null;
  transportCertificateStatus?: TransportCertificateStatus | null;
}

/** Queries over vehicles. */
export class VehicleRepository {
  constructor(private readonly scope: ReadScope) {}

  private get em(): EntityManager {
    return this.scope.em;
  }

  findByKeys(keys: readonly VehicleKey[]): Promise<Vehicle[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return findRowsByKeys(this.scope, Vehicle, ['plateNumber', 'plateColor'], keys.map((k) => [k.plateNumber, k.plateColor]));
  }

  findByOwners(usccs: readonly string[]): Promise<Vehicle[]> {
    return findRowsByKeys(this.scope, Vehicle, ['ownerUscc'], usccs.map((u) => [u]), [['plateNumber', 'asc'], ['plateColor', 'asc']]);
  }

  findPage(filter: VehicleFilter, order: VehicleOrderName, first?: number | null, after?: string | null): Promise<Page<Vehicle>> {
    const qb = this.em.createQueryBuilder(Vehicle, 'e').where({ deletedAt: null });
    if (filter.ownerUscc) qb.andWhere({ ownerUscc: filter.ownerUscc });
    if (filter.registrationDivision) qb.andWhere({ registrationDivision: filter.registrationDivision });
    if (filter.plateNumberPrefix) qb.andWhere({ plateNumber: { $like: `${escapeLike(filter.plateNumberPrefix)}%` } });
    if (filter.plateColor) qb.andWhere({ plateColor: filter.plateColor });
    if (filter.vehicleTypePrefix) qb.andWhere({ vehicleType: { $like: `${escapeLike(filter.vehicleTypePrefix)}%` } });
    if (filter.transportCertificateStatus) qb.andWhere({ transportCertificateStatus: filter.transportCertificateStatus });
    return paginate(this.scope, qb, { ordering: vehicleOrderings.ordering(order), first, after }, Vehicle);
  }
}
