import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType } from 'type-graphql';
import { PlateColor, TransportCertificateStatus } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';
import { vehicleOrderings, type VehicleOrderName } from './vehicle.orderings';

@InputType({ description: 'Conditions a vehicle must all meet.' })
export class VehicleFilterInput {
  @Tests('Vehicle.ownerUscc')
  @Field(() => String, { nullable: true, description: 'Unified social credit code of the owner.' })
  ownerUscc?: string | null;

  @Tests('Vehicle.registrationDivision')
  @Field(() => String, { nullable: true, description: 'GB/T 2260 division of registration.' })
  registrationDivision?: string | null;

  @Tests('Vehicle.plateNumber')
  @Field(() => String, { nullable: true, description: 'Start of the plate, e.g. 苏E or 浙A.' })
  plateNumberPrefix?: string | null;

  @Tests('Vehicle.plateColor')
  @Field(() => PlateColor, { nullable: true })
  plateColor?: PlateColor | null;

  @Tests('Vehicle.vehicleType')
  @Field(() => String, { nullable: true, description: 'Start of the GA 802 type code, e.g. H1 (heavy trucks).' })
  vehicleTypePrefix?: string | null;

  @Tests('Vehicle.transportCertificateStatus')
  @Field(() => TransportCertificateStatus, { nullable: true })
  transportCertificateStatus?: TransportCertificateStatus | null;
}

@ArgsType()
export class VehiclesArgs extends PageArgs {
  @Field(() => VehicleFilterInput, { nullable: true })
  filter?: VehicleFilterInput | null;

  @Field(() => vehicleOrderings.enum, { defaultValue: vehicleOrderings.enum.PLATE_ASC })
  orderBy!: VehicleOrderName;
}
