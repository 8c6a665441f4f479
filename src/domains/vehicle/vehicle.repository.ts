import type { ReadScope } from '../../read-kit/rows/read-scope';
import { loadAlways } from '../../read-kit/rows/projection';
import type { PlateColor, TransportCertificateStatus } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import type { Ordering, Page } from '../../read-kit/pagination';
import { Vehicle } from './vehicle.entity';

loadAlways(Vehicle, ['plateNumber', 'plateColor', 'ownerUscc']);

export interface VehicleFilter {
  ownerUscc?: string | null;
  registrationDivision?: string | null;
  plateNumberPrefix?: string | null;
  plateColor?: PlateColor | null;
  vehicleTypePrefix?: string | null;
  transportCertificateStatus?: TransportCertificateStatus | null;
}

export type VehicleOrderName = 'PLATE_ASC' | 'RATED_TOTAL_MASS_DESC';

export const VEHICLE_ORDERINGS: Record<VehicleOrderName, Ordering<Vehicle>> = {
  PLATE_ASC: { name: 'PLATE_ASC', direction: 'asc', keys: [
    { property: 'plateNumber', column: 'plate_number', type: 'text', value: (v) => v.plateNumber },
    { property: 'plateColor', column: 'plate_color', type: 'text', value: (v) => v.plateColor }] },
  RATED_TOTAL_MASS_DESC: { name: 'RATED_TOTAL_MASS_DESC', direction: 'desc', keys: [
    { property: 'ratedTotalMassKg', column: 'rated_total_mass_kg', type: 'int', value: (v) => v.ratedTotalMassKg },
    { property: 'plateNumber', column: 'plate_number', type: 'text', value: (v) => v.plateNumber },
    { property: 'plateColor', column: 'plate_color', type: 'text', value: (v) => v.plateColor }] },
};

/** Queries over vehicles. */
export class VehicleRepository {
  constructor(private readonly scope: ReadScope) {}

  findByKeys(keys: readonly VehicleKey[]): Promise<Vehicle[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.scope.reads.byKeys(Vehicle, ['plateNumber', 'plateColor'], keys.map((k) => [k.plateNumber, k.plateColor]));
  }

  findByOwners(usccs: readonly string[]): Promise<Vehicle[]> {
    return this.scope.reads.byKeys(Vehicle, ['ownerUscc'], usccs.map((u) => [u]), [['plateNumber', 'asc'], ['plateColor', 'asc']]);
  }

  findPage(filter: VehicleFilter, order: VehicleOrderName, first?: number | null, after?: string | null): Promise<Page<Vehicle>> {
    return this.scope.reads.page(Vehicle, {
      ownerUscc: filter.ownerUscc, registrationDivision: filter.registrationDivision, plateNumber: { startsWith: filter.plateNumberPrefix },
      plateColor: filter.plateColor, vehicleType: { startsWith: filter.vehicleTypePrefix }, transportCertificateStatus: filter.transportCertificateStatus,
    }, { ordering: VEHICLE_ORDERINGS[order], first, after });
  }
}
