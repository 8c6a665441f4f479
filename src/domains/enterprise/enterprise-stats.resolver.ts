import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalDivision } from '../../read-kit/arguments/identifier-args';
import { AggregateResult } from '../../read-kit/aggregate/aggregate-result';
import { aggregateResult, recordsCounted, requireAggregateShape } from '../../read-kit/aggregate/aggregate-args';
import { Aggregates } from '../../read-kit/aggregate/aggregate-spec';
import { aggregateKOf } from '../../read-kit/aggregate/aggregate-k';
import type { EnterpriseContext } from './enterprise.resolver';
import { ENTERPRISE_STATS_READS, EnterpriseGroupBy, EnterpriseStatsArgs } from './enterprise.stats';
import { EnterpriseRepository } from './enterprise.repository';

@Resolver()
export class EnterpriseStatsResolver {
  @Classified(Classification.INTERNAL)
  @Aggregates(ENTERPRISE_STATS_READS)
  @Query(() => AggregateResult, {
    description:
      'Enterprises as they stand, counted by division, status, credit grade and risk grade (e.g. a sampling frame stratified by credit). Every value is a sum over units (division × status × credit × risk) of at least the agreement’s k enterprises.',
  })
  async enterpriseStats(@Args() args: EnterpriseStatsArgs, @Ctx() ctx: EnterpriseContext): Promise<AggregateResult> {
    requireAggregateShape(args.groupBy, args.measures, args.first);
    const k = aggregateKOf(ctx.access, 'Enterprise');
    const answer = await new EnterpriseRepository(ctx).aggregate(
      { divisionCode: optionalDivision('filter.divisionCode', args.filter.divisionCode), status: args.filter.status ?? null },
      args.groupBy,
      { k, first: args.first, order: args.orderBy },
    );
    ctx.access?.creditCount?.('Enterprise', recordsCounted(answer));
    // Each enterprise's credit grade is the credit platform's record: a grouping by it reads theirs too.
    if (args.groupBy.includes(EnterpriseGroupBy.CREDIT_GRADE)) ctx.access?.creditCount?.('CreditRating', recordsCounted(answer));
    return aggregateResult(answer, args.groupBy, args.measures, [], k);
  }
}
