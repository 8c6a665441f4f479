import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { PlateColor, TransportCertificateStatus } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import type { Page } from '../../read-kit/pagination';
import { Vehicle } from './vehicle.entity';
import { vehicleOrderings, type VehicleOrderName } from './vehicle.orderings';
import { unitReads, type AggregateAnswer } from '../../read-kit/rows/aggregate-query';
import { VEHICLE_GROUPS, VEHICLE_STATS_READS, vehicleAggregate, type VehicleGroupBy } from './vehicle.stats';

const VEHICLE_UNIT_READS = unitReads(VEHICLE_GROUPS, VEHICLE_STATS_READS.reads.groupBy);

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

  findByKeys(keys: readonly VehicleKey[]): Promise<Vehicle[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.scope.reads.byKeys(
      Vehicle,
      ['plateNumber', 'plateColor'],
      keys.map((k) => [k.plateNumber, k.plateColor]),
    );
  }

  findByOwners(usccs: readonly string[]): Promise<Vehicle[]> {
    return this.scope.reads.byKeys(
      Vehicle,
      ['ownerUscc'],
      usccs.map((u) => [u]),
      [
        ['plateNumber', 'asc'],
        ['plateColor', 'asc'],
      ],
    );
  }

  findPage(filter: VehicleFilter, order: VehicleOrderName, first?: number | null, after?: string | null): Promise<Page<Vehicle>> {
    return this.scope.reads.page(
      Vehicle,
      {
        ownerUscc: filter.ownerUscc,
        registrationDivision: filter.registrationDivision,
        plateNumber: { startsWith: filter.plateNumberPrefix },
        plateColor: filter.plateColor,
        vehicleType: { startsWith: filter.vehicleTypePrefix },
        transportCertificateStatus: filter.transportCertificateStatus,
      },
      { ordering: vehicleOrderings.ordering(order), first, after },
    );
  }

  /** Vehicles counted by `groupBy`, as `vehicleAggregate` defines units and suppression. */
  aggregate(
    filter: { divisionCode: string | null; certificateStatus: TransportCertificateStatus | null },
    groupBy: readonly VehicleGroupBy[],
    options: { k: number; first: number; order: 'KEYS' | 'COUNT_DESC' },
  ): Promise<AggregateAnswer> {
    return this.scope.reads.aggregate({
      fact: vehicleAggregate,
      where: { registrationDivision: { startsWith: filter.divisionCode }, transportCertificateStatus: filter.certificateStatus },
      groups: groupBy.map((g) => VEHICLE_GROUPS[g]),
      unitReads: VEHICLE_UNIT_READS,
      measures: [],
      ...options,
    });
  }
}
