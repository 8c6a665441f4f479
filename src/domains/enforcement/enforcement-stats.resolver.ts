import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalDivision, optionalText } from '../../read-kit/arguments/identifier-args';
import { AggregateResult } from '../../read-kit/aggregate/aggregate-result';
import { aggregateResult, recordsCounted, requireAggregateShape, requireUnitWindow } from '../../read-kit/aggregate/aggregate-args';
import { Aggregates } from '../../read-kit/aggregate/aggregate-spec';
import { aggregateKOf } from '../../read-kit/aggregate/aggregate-k';
import type { EnforcementContext } from './enforcement.resolver';
import { CASE_STATS_READS, CaseStatsArgs, MAX_CASE_WINDOW_DAYS } from './enforcement.stats';
import { EnforcementCaseRepository } from './enforcement.repository';

@Resolver()
export class EnforcementStatsResolver {
  @Classified(Classification.INTERNAL)
  @Aggregates(CASE_STATS_READS)
  @Query(() => AggregateResult, {
    description:
      'Cases counted and summed by month, division and violation code. Every value is a sum over units (month × division × code) of at least the agreement’s k cases; a cell made only of smaller units is suppressed.',
  })
  async caseStats(@Args() args: CaseStatsArgs, @Ctx() ctx: EnforcementContext): Promise<AggregateResult> {
    const f = args.filter;
    requireUnitWindow('filter', f.from, f.to, 'month', MAX_CASE_WINDOW_DAYS);
    requireAggregateShape(args.groupBy, args.measures, args.first);
    const k = aggregateKOf(ctx.access, 'EnforcementCase');
    const computed = args.measures.filter((m) => m !== 'COUNT');
    const answer = await new EnforcementCaseRepository(ctx).aggregate(
      {
        from: f.from,
        to: f.to,
        divisionCode: optionalDivision('filter.divisionCode', f.divisionCode),
        violationCode: optionalText('filter.violationCode', f.violationCode)?.trim() ?? null,
      },
      args.groupBy,
      computed,
      { k, first: args.first, order: args.orderBy },
    );
    ctx.access?.creditCount?.('EnforcementCase', recordsCounted(answer));
    return aggregateResult(answer, args.groupBy, args.measures, computed, k);
  }
}
