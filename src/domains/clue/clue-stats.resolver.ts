import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalDivision } from '../../read-kit/arguments/identifier-args';
import { beijingDate } from '../../read-kit/arguments/time-window';
import { AggregateResult } from '../../read-kit/aggregate/aggregate-result';
import { aggregateResult, recordsCounted, requireAggregateShape, requireUnitWindow } from '../../read-kit/aggregate/aggregate-args';
import { Aggregates } from '../../read-kit/aggregate/aggregate-spec';
import { aggregateKOf } from '../../read-kit/aggregate/aggregate-k';
import type { ClueContext } from './clue.resolver';
import { CLUE_STATS_READS, ClueMeasure, ClueStatsArgs, HANDLING_HOURS, MAX_CLUE_STATS_WINDOW_DAYS } from './clue.stats';
import { ClueRepository } from './clue.repository';

@Resolver()
export class ClueStatsResolver {
  @Classified(Classification.INTERNAL)
  @Aggregates(CLUE_STATS_READS)
  @Query(() => AggregateResult, {
    description:
      'Supervision clues counted by month, division, kind and status, with how many were closed (dismissed or linked to a case) and how long closing them took on average. Every value is a sum over units (month × division × kind × status) of at least the agreement’s k clues.',
  })
  async clueStats(@Args() args: ClueStatsArgs, @Ctx() ctx: ClueContext): Promise<AggregateResult> {
    const f = args.filter;
    requireUnitWindow('filter', f.from, f.to, 'month', MAX_CLUE_STATS_WINDOW_DAYS);
    requireAggregateShape(args.groupBy, args.measures, args.first);
    const k = aggregateKOf(ctx.access, 'Clue');
    // A mean is computed from the closed count and their summed hours, read once whether asked for or not.
    const computed = [
      ...new Set(
        args.measures.flatMap((m) => (m === ClueMeasure.COUNT ? [] : m === ClueMeasure.MEAN_HANDLING_HOURS ? [ClueMeasure.CLOSED, HANDLING_HOURS] : [m])),
      ),
    ];
    const answer = await new ClueRepository(ctx).aggregate(
      // A clue's window starts on a date: whole Beijing months are whole dates.
      { from: beijingDate(f.from), to: beijingDate(f.to), divisionCode: optionalDivision('filter.divisionCode', f.divisionCode), kind: f.kind ?? null },
      args.groupBy,
      computed,
      { k, first: args.first, order: args.orderBy },
    );
    ctx.access?.creditCount?.('Clue', recordsCounted(answer));
    return aggregateResult(answer, args.groupBy, args.measures, computed, k, {
      derive: {
        MEAN_HANDLING_HOURS: (value) => {
          const closed = value(ClueMeasure.CLOSED) ?? 0;
          return closed > 0 ? (value(HANDLING_HOURS) ?? 0) / closed : null;
        },
      },
    });
  }
}
