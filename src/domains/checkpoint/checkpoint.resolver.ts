import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { CheckpointLoaders } from './checkpoint.loaders';
import type { VehicleLoaders } from '../vehicle';
import { prefetchRelations } from '../../read-kit/relations';
import { optionalCheckpointCode, optionalPlate, requireCheckpointCode } from '../../read-kit/arguments/identifier-args';
import { requireBoundedWindow } from '../../read-kit/arguments/time-window';
import { connectionType } from '../../read-kit/pagination';
import { CheckpointCapturesArgs, MAX_CAPTURE_WINDOW_DAYS } from './checkpoint.args';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { Checkpoint } from './checkpoint.entity';
import { CheckpointRepository } from './checkpoint.repository';

/** What Checkpoint's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type CheckpointContext = RequestContext<{ checkpoint: CheckpointLoaders; vehicle: VehicleLoaders }>;

export const CheckpointCaptureConnection = connectionType(CheckpointCapture, 'CheckpointCapture');

@Resolver(() => Checkpoint)
export class CheckpointResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => Checkpoint, { nullable: true, description: 'One checkpoint by code; null when unknown.' })
  checkpoint(@Arg('code') code: string, @Ctx() ctx: CheckpointContext): Promise<Checkpoint | null> {
    const key = requireCheckpointCode('code', code);
    prefetchRelations(ctx, Checkpoint, { code: key });
    return ctx.loaders.checkpoint.byCode.load(key);
  }
}

@Resolver(() => CheckpointCapture)
export class CheckpointCaptureResolver {
  @Classified(Classification.POLICE_RESTRICTED)
  @Query(() => CheckpointCaptureConnection, { description: 'Captures in a bounded time window, newest first unless ordered otherwise.' })
  checkpointCaptures(@Args() args: CheckpointCapturesArgs, @Ctx() ctx: CheckpointContext) {
    const f = args.filter;
    requireBoundedWindow('filter.to', f.from, f.to, MAX_CAPTURE_WINDOW_DAYS);
    return new CheckpointRepository(ctx).findCapturePage(
      {
        ...f,
        plateNumber: optionalPlate('filter.plateNumber', f.plateNumber),
        checkpointCode: optionalCheckpointCode('filter.checkpointCode', f.checkpointCode),
      },
      args.orderBy,
      args.first,
      args.after,
    );
  }
}
