import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { DEFAULT_CELLS } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import { TransportCertificateStatus } from '../common/enums';
import { Vehicle } from './vehicle.entity';

/** What vehicles can be grouped by. */
export enum VehicleGroupBy {
  DIVISION = 'DIVISION',
  VEHICLE_TYPE = 'VEHICLE_TYPE',
  VEHICLE_CATEGORY = 'VEHICLE_CATEGORY',
  CERTIFICATE_STATUS = 'CERTIFICATE_STATUS',
}

/** What can be measured of vehicles. */
export enum VehicleMeasure {
  COUNT = 'COUNT',
}

registerEnumType(VehicleGroupBy, {
  name: 'VehicleGroupBy',
  description:
    'DIVISION of the registration (车管所), VEHICLE_TYPE: the GA 802 class letter (H trucks, K buses, Q tractors, …), VEHICLE_CATEGORY: the plate colour, CERTIFICATE_STATUS of the road transport certificate.',
});
registerEnumType(VehicleMeasure, { name: 'VehicleMeasure', description: 'COUNT of vehicles.' });

/**
 * Vehicles as they stand, counted in units of a registration division × GA 802 class × plate
 * colour × certificate status: the class, not the full type code, so units stay large enough to publish.
 */
export const vehicleAggregate: FactAggregate<Vehicle> = {
  type: Vehicle,
  units: {
    division: { base: 'e.registration_division' },
    type: { base: 'left(e.vehicle_type, 1)' },
    category: { base: 'e.plate_color' },
    certificate: { base: 'e.transport_certificate_status' },
  },
  measures: {},
  rollup: null,
};

export const VEHICLE_GROUPS: Record<VehicleGroupBy, AggregateGroup> = {
  DIVISION: { value: (u) => u('division') },
  VEHICLE_TYPE: { value: (u) => u('type') },
  VEHICLE_CATEGORY: { value: (u) => u('category') },
  CERTIFICATE_STATUS: { value: (u) => u('certificate') },
};

/** What each group-by reads of a vehicle: checked against the agreement's aggregate grant before anything runs. */
export const VEHICLE_STATS_READS: AggregateDeclaration = {
  of: 'Vehicle',
  reads: {
    groupBy: {
      DIVISION: ['registrationDivision'],
      VEHICLE_TYPE: ['vehicleType'],
      VEHICLE_CATEGORY: ['plateColor'],
      CERTIFICATE_STATUS: ['transportCertificateStatus'],
    },
    measures: { COUNT: [] },
  },
};

@InputType({ description: 'Which vehicles to count (all the caller’s when nothing is given).' })
export class VehicleStatsFilterInput {
  @Tests('Vehicle.registrationDivision')
  @Field(() => String, { nullable: true, description: 'Registered in this division or under it (a prefix).' })
  divisionCode?: string | null;

  @Tests('Vehicle.transportCertificateStatus')
  @Field(() => TransportCertificateStatus, { nullable: true })
  certificateStatus?: TransportCertificateStatus | null;
}

@ArgsType()
export class VehicleStatsArgs {
  @Field(() => VehicleStatsFilterInput, { defaultValue: {} })
  filter!: VehicleStatsFilterInput;

  @Field(() => [VehicleGroupBy], { defaultValue: [] })
  groupBy!: VehicleGroupBy[];

  @Field(() => [VehicleMeasure], { defaultValue: [VehicleMeasure.COUNT] })
  measures!: VehicleMeasure[];

  @Field(() => Int, { defaultValue: DEFAULT_CELLS, description: 'Most cells returned.' })
  first!: number;

  @Field(() => AggregateSort, { defaultValue: AggregateSort.KEYS })
  orderBy!: AggregateSort;
}
