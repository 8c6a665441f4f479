import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalDivision, optionalText } from '../../read-kit/arguments/identifier-args';
import { beijingDate } from '../../read-kit/arguments/time-window';
import { AggregateResult } from '../../read-kit/aggregate/aggregate-result';
import { aggregateResult, recordsCounted, requireAggregateShape, requireUnitWindow } from '../../read-kit/aggregate/aggregate-args';
import { Aggregates } from '../../read-kit/aggregate/aggregate-spec';
import { aggregateKOf } from '../../read-kit/aggregate/aggregate-k';
import type { RequestContext } from '../../read-kit/request-context';
import { INSPECTION_STATS_READS, InspectionStatsArgs, MAX_INSPECTION_STATS_WINDOW_DAYS } from './inspection.stats';
import { InspectionFactRepository } from './inspection-facts.repository';

@Resolver()
export class InspectionStatsResolver {
  @Classified(Classification.INTERNAL)
  @Aggregates(INSPECTION_STATS_READS)
  @Query(() => AggregateResult, {
    description:
      'Random inspections (双随机): inspected objects counted by month, division, item and outcome. Every value is a sum over units (month × division × item × outcome) of at least the agreement’s k results.',
  })
  async inspectionStats(@Args() args: InspectionStatsArgs, @Ctx() ctx: RequestContext): Promise<AggregateResult> {
    const f = args.filter;
    requireUnitWindow('filter', f.from, f.to, 'month', MAX_INSPECTION_STATS_WINDOW_DAYS);
    requireAggregateShape(args.groupBy, args.measures, args.first);
    const k = aggregateKOf(ctx.access, 'InspectionResult');
    const answer = await new InspectionFactRepository(ctx).aggregate(
      // Inspected on a date: whole Beijing months are whole dates.
      {
        from: beijingDate(f.from),
        to: beijingDate(f.to),
        divisionCode: optionalDivision('filter.divisionCode', f.divisionCode),
        itemCode: optionalText('filter.itemCode', f.itemCode)?.trim() ?? null,
      },
      args.groupBy,
      { k, first: args.first, order: args.orderBy },
    );
    ctx.access?.creditCount?.('InspectionResult', recordsCounted(answer));
    return aggregateResult(answer, args.groupBy, args.measures, [], k);
  }
}
