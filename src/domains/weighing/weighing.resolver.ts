import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { VehicleLoaders } from '../vehicle';
import type { WeighingLoaders } from './weighing.loaders';
import { optionalPlate, optionalText } from '../../read-kit/arguments/identifier-args';
import { requireWindowOrder } from '../../read-kit/arguments/time-window';
import { InvalidInputError } from '../../errors';
import { connectionType } from '../../read-kit/pagination';
import { WeighingsArgs } from './weighing.args';
import { Weighing } from './weighing.entity';
import { WeighingRepository } from './weighing.repository';

/** What Weighing's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type WeighingContext = RequestContext<{ vehicle: VehicleLoaders; weighing: WeighingLoaders }>;

export const WeighingConnection = connectionType(Weighing, 'Weighing');

@Resolver(() => Weighing)
export class WeighingResolver {
  @Classified(Classification.INTERNAL)
  @Query(() => WeighingConnection, { description: 'Weighings, filtered and ordered, a page at a time.' })
  weighings(@Args() args: WeighingsArgs, @Ctx() ctx: WeighingContext) {
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
      },
      args.orderBy,
      args.first,
      args.after,
    );
  }
}
