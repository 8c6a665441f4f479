import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../graphql/classification';
import type { HubContext } from '../../graphql/context';
import { Parent } from '../../graphql/parent.decorator';
import { optionalPlate, optionalText } from '../../graphql/identifier-args';
import { requireWindowOrder } from '../../graphql/time-window';
import { InvalidInputError } from '../../errors';
import { connectionType, MAX_PAGE_SIZE, pageSize } from '../../pagination';
import { Vehicle } from '../vehicle';
import { WeighingsArgs } from './weighing.args';
import { Weighing } from './weighing.entity';
import { WeighingRepository } from './weighing.repository';

export const WeighingConnection = connectionType(Weighing, 'Weighing');

@Resolver(() => Weighing)
export class WeighingResolver {
  @Classified(Classification.INTERNAL)
  @Query(() => WeighingConnection, { description: 'Weighings, filtered and ordered, a page at a time.' })
  weighings(@Args() args: WeighingsArgs, @Ctx() ctx: HubContext) {
    const f = args.filter ?? {};
    requireWindowOrder('filter.measuredTo', f.measuredFrom, f.measuredTo);
    if (f.minOverloadRatio !== null && f.minOverloadRatio !== undefined && !(f.minOverloadRatio >= 0)) {
      throw new InvalidInputError('filter.minOverloadRatio', 'must be 0 or more');
    }
    return new WeighingRepository(ctx).findPage(
      {
        ...f,
        plateNumber: optionalPlate('filter.plateNumber', f.plateNumber),
        stationCode: optionalText('filter.stationCode', f.stationCode)?.trim() ?? null,
      }, args.orderBy, args.first, args.after,
    );
  }

  @Classified(Classification.INTERNAL)
  @FieldResolver(() => Vehicle, { nullable: true, description: 'The weighed vehicle, when the hub knows it.' })
  vehicle(@Parent() w: Weighing, @Ctx() ctx: HubContext): Promise<Vehicle | null> {
    return ctx.loaders.vehicle.byKey.load(w);
  }
}

@Resolver(() => Vehicle)
export class VehicleWeighingsResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => [Weighing], { description: 'The vehicle\'s most recent weighings, newest first.' })
  weighings(
    @Parent() v: Vehicle,
    @Arg('last', () => Int, { defaultValue: 20, description: `How many, at most ${MAX_PAGE_SIZE}.` }) last: number,
    @Ctx() ctx: HubContext,
  ): Promise<Weighing[]> {
    return ctx.loaders.weighing.recentByVehicle(pageSize(last, 'last')).load(v);
  }
}
