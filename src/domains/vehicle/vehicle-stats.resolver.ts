import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalDivision } from '../../read-kit/arguments/identifier-args';
import { AggregateResult } from '../../read-kit/aggregate/aggregate-result';
import { aggregateResult, recordsCounted, requireAggregateShape } from '../../read-kit/aggregate/aggregate-args';
import { Aggregates } from '../../read-kit/aggregate/aggregate-spec';
import { aggregateKOf } from '../../read-kit/aggregate/aggregate-k';
import type { VehicleContext } from './vehicle.resolver';
import { VEHICLE_STATS_READS, VehicleStatsArgs } from './vehicle.stats';
import { VehicleRepository } from './vehicle.repository';

@Resolver()
export class VehicleStatsResolver {
  @Classified(Classification.INTERNAL)
  @Aggregates(VEHICLE_STATS_READS)
  @Query(() => AggregateResult, {
    description:
      'Vehicles as they stand, counted by registration division, GA 802 class, plate colour and transport-certificate status. Every value is a sum over units (division × class × colour × certificate status) of at least the agreement’s k vehicles.',
  })
  async vehicleStats(@Args() args: VehicleStatsArgs, @Ctx() ctx: VehicleContext): Promise<AggregateResult> {
    requireAggregateShape(args.groupBy, args.measures, args.first);
    const k = aggregateKOf(ctx.access, 'Vehicle');
    const answer = await new VehicleRepository(ctx).aggregate(
      { divisionCode: optionalDivision('filter.divisionCode', args.filter.divisionCode), certificateStatus: args.filter.certificateStatus ?? null },
      args.groupBy,
      { k, first: args.first, order: args.orderBy },
    );
    ctx.access?.creditCount?.('Vehicle', recordsCounted(answer));
    return aggregateResult(answer, args.groupBy, args.measures, [], k);
  }
}
