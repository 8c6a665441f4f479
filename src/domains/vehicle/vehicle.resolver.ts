import { Arg, Args, Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnterpriseLoaders } from '../enterprise';
import type { VehicleLoaders } from './vehicle.loaders';
import { registerPrefetch } from '../../read-kit/loaders/prefetch';
import { Parent } from '../../read-kit/fields/parent.decorator';
import { optionalDivision, optionalPlatePrefix, optionalText, optionalUscc, requirePlate } from '../../read-kit/arguments/identifier-args';
import { connectionType } from '../../read-kit/pagination';
import { PlateColor } from '../common/enums';
import { Enterprise } from '../enterprise';
import { VehiclesArgs } from './vehicle.args';
import { Vehicle } from './vehicle.entity';
import { VehicleRepository } from './vehicle.repository';

/** What Vehicle's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type VehicleContext = RequestContext<{ enterprise: EnterpriseLoaders; vehicle: VehicleLoaders }>;

registerPrefetch<VehicleContext>('Enterprise', 'vehicles', (uscc, ctx) => ctx.loaders.vehicle.byOwner.load(uscc));

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
    return ctx.loaders.vehicle.byKey.load({ plateNumber: requirePlate('plateNumber', plateNumber), plateColor });
  }

  @Classified(Classification.PUBLIC)
  @Query(() => VehicleConnection, { description: 'Vehicles, filtered and ordered, a page at a time.' })
  vehicles(@Args() args: VehiclesArgs, @Ctx() ctx: VehicleContext) {
    const f = args.filter ?? {};
    return new VehicleRepository(ctx).findPage({
      ...f,
      plateNumberPrefix: optionalPlatePrefix('filter.plateNumberPrefix', f.plateNumberPrefix),
      vehicleTypePrefix: optionalText('filter.vehicleTypePrefix', f.vehicleTypePrefix)?.trim().toUpperCase() ?? null,
      ownerUscc: optionalUscc('filter.ownerUscc', f.ownerUscc),
      registrationDivision: optionalDivision('filter.registrationDivision', f.registrationDivision),
    }, args.orderBy, args.first, args.after);
  }

  @Classified(Classification.PUBLIC)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The owning enterprise, when the hub knows it.' })
  owner(@Parent() vehicle: Vehicle, @Ctx() ctx: VehicleContext): Promise<Enterprise | null> | null {
    return vehicle.ownerUscc ? ctx.loaders.enterprise.byUscc.load(vehicle.ownerUscc) : null;
  }
}

@Resolver(() => Enterprise)
export class EnterpriseVehiclesResolver {
  @Classified(Classification.PUBLIC)
  @FieldResolver(() => [Vehicle], { description: 'Vehicles the enterprise owns, by plate.' })
  vehicles(@Parent() enterprise: Enterprise, @Ctx() ctx: VehicleContext): Promise<Vehicle[]> {
    return ctx.loaders.vehicle.byOwner.load(enterprise.uscc);
  }
}
