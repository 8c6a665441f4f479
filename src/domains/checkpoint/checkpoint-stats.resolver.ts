import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalCheckpointCode } from '../../read-kit/arguments/identifier-args';
import { AggregateResult, DistinctMethod } from '../../read-kit/aggregate/aggregate-result';
import { aggregateResult, recordsCounted, requireAggregateShape, requireUnitWindow } from '../../read-kit/aggregate/aggregate-args';
import { Aggregates } from '../../read-kit/aggregate/aggregate-spec';
import { aggregateKOf } from '../../read-kit/aggregate/aggregate-k';
import type { CheckpointContext } from './checkpoint.resolver';
import { MAX_CAPTURE_WINDOW_DAYS } from './checkpoint.args';
import { CAPTURE_STATS_READS, CaptureMeasure, CaptureStatsArgs, requireDistinctPlatesGrid } from './checkpoint.stats';
import { CheckpointRepository } from './checkpoint.repository';

@Resolver()
export class CheckpointStatsResolver {
  @Classified(Classification.INTERNAL)
  @Aggregates(CAPTURE_STATS_READS)
  @Query(() => AggregateResult, {
    description:
      'Traffic flow (通行流量): captures counted by hour or day, checkpoint, direction, plate province and vehicle category, without reading a capture. Every value is a sum over units (hour × checkpoint × direction × province × category) of at least the agreement’s k captures.',
  })
  async captureStats(@Args() args: CaptureStatsArgs, @Ctx() ctx: CheckpointContext): Promise<AggregateResult> {
    const w = args.window;
    requireUnitWindow('window', w.from, w.to, 'hour', MAX_CAPTURE_WINDOW_DAYS);
    requireAggregateShape(args.groupBy, args.measures, args.first);
    const distinct = args.measures.includes(CaptureMeasure.DISTINCT_PLATES);
    if (distinct) requireDistinctPlatesGrid(args.groupBy, w);
    const k = aggregateKOf(ctx.access, 'CheckpointCapture');
    const computed = args.measures.filter((m) => m !== CaptureMeasure.COUNT);
    const answer = await new CheckpointRepository(ctx).aggregateCaptures(
      { from: w.from, to: w.to, checkpointCode: optionalCheckpointCode('window.checkpointCode', w.checkpointCode), direction: w.direction ?? null },
      args.groupBy,
      computed,
      { k, first: args.first, order: args.orderBy },
    );
    ctx.access?.creditCount?.('CheckpointCapture', recordsCounted(answer));
    return aggregateResult(answer, args.groupBy, args.measures, computed, k, {
      distinctMethod: distinct ? DistinctMethod.EXACT : null,
      // Fewer than k vehicles behind a flow would single them out even when their passes are many.
      derive: { DISTINCT_PLATES: (value) => ((value('DISTINCT_PLATES') ?? 0) >= k ? value('DISTINCT_PLATES') : null) },
    });
  }
}
