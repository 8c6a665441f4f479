import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnterpriseLoaders } from '../enterprise';
import type { VehicleLoaders } from './vehicle.loaders';
import { prefetchRelations } from '../../read-kit/relations';
import { optionalDivision, optionalPlatePrefix, optionalText, optionalUscc, requirePlate } from '../../read-kit/arguments/identifier-args';
import { connectionType } from '../../read-kit/pagination';
import { PlateColor } from '../common/enums';
import { VehiclesArgs } from './vehicle.args';
import { Vehicle } from './vehicle.entity';
import { VehicleRepository } from './vehicle.repository';

/** What Vehicle's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type VehicleContext = RequestContext<{ enterprise: EnterpriseLoaders; vehicle: VehicleLoaders }>;

export const VehicleConnection = connectionType(Vehicle, 'Vehicle');

@Resolver(() => Vehicle)
export class VehicleResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => Vehicle, { nullable: true, description: 'One vehicle by plate number and colour; null when unknown.' })
  vehicle(
    @Arg('plateNumber') plateNumber: string,
    @Arg('plateColor', () => PlateColor) plateColor: PlateColor,
    @Ctx() ctx: VehicleContext,
  ): Promise<Vehicle | null> {
    const key = { plateNumber: requirePlate('plateNumber', plateNumber), plateColor };
    prefetchRelations(ctx, Vehicle, key);
    return ctx.loaders.vehicle.byKey.load(key);
  }

  @Classified(Classification.PUBLIC)
  @Query(() => VehicleConnection, { description: 'Vehicles, filtered and ordered, a page at a time.' })
  vehicles(@Args() args: VehiclesArgs, @Ctx() ctx: VehicleContext) {
    const f = args.filter ?? {};
    return new VehicleRepository(ctx).findPage(
      {
        ...f,
        plateNumberPrefix: optionalPlatePrefix('filter.plateNumberPrefix', f.plateNumberPrefix),
        vehicleTypePrefix: optionalText('filter.vehicleTypePrefix', f.vehicleTypePrefix)?.trim().toUpperCase() ?? null,
        ownerUscc: optionalUscc('filter.ownerUscc', f.ownerUscc),
        registrationDivision: optionalDivision('filter.registrationDivision', f.registrationDivision),
      },
      args.orderBy,
      args.first,
      args.after,
    );
  }
}
