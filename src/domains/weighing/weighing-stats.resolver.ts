import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalDivision, optionalText } from '../../read-kit/arguments/identifier-args';
import { AggregateResult } from '../../read-kit/aggregate/aggregate-result';
import { aggregateResult, recordsCounted, requireAggregateShape, requireUnitWindow } from '../../read-kit/aggregate/aggregate-args';
import { Aggregates } from '../../read-kit/aggregate/aggregate-spec';
import { aggregateKOf } from '../../read-kit/aggregate/aggregate-k';
import type { WeighingContext } from './weighing.resolver';
import { MAX_WEIGHING_WINDOW_DAYS, WEIGHING_STATS_READS, WeighingMeasure, WeighingStatsArgs } from './weighing.stats';
import { WeighingRepository } from './weighing.repository';

@Resolver()
export class WeighingStatsResolver {
  @Classified(Classification.INTERNAL)
  @Aggregates(WEIGHING_STATS_READS)
  @Query(() => AggregateResult, {
    description:
      'Weighings (超限检测) counted by day or month, station, division and axles, with how many were overloaded and by how much. Every value is over units (day × station × axles) of at least the agreement’s k weighings.',
  })
  async weighingStats(@Args() args: WeighingStatsArgs, @Ctx() ctx: WeighingContext): Promise<AggregateResult> {
    const f = args.filter;
    requireUnitWindow('filter', f.from, f.to, 'day', MAX_WEIGHING_WINDOW_DAYS);
    requireAggregateShape(args.groupBy, args.measures, args.first);
    const k = aggregateKOf(ctx.access, 'Weighing');
    // A rate is computed from the overloaded count, read once whether asked for or not.
    const computed = [
      ...new Set(args.measures.flatMap((m) => (m === WeighingMeasure.COUNT ? [] : m === WeighingMeasure.OVERLOAD_RATE ? [WeighingMeasure.OVERLOADED] : [m]))),
    ];
    const answer = await new WeighingRepository(ctx).aggregate(
      {
        from: f.from,
        to: f.to,
        stationCode: optionalText('filter.stationCode', f.stationCode)?.trim() ?? null,
        divisionCode: optionalDivision('filter.divisionCode', f.divisionCode),
      },
      args.groupBy,
      computed,
      { k, first: args.first, order: args.orderBy },
    );
    ctx.access?.creditCount?.('Weighing', recordsCounted(answer));
    return aggregateResult(answer, args.groupBy, args.measures, computed, k, {
      derive: { OVERLOAD_RATE: (value, count) => (value(WeighingMeasure.OVERLOADED) ?? 0) / count },
    });
  }
}
