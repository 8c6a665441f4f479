import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { CheckpointLoaders } from './checkpoint.loaders';
import type { VehicleLoaders } from '../vehicle';
import { Parent } from '../../read-kit/fields/parent.decorator';
import { optionalCheckpointCode, optionalPlate, requireCheckpointCode } from '../../read-kit/arguments/identifier-args';
import { requireBoundedWindow } from '../../read-kit/arguments/time-window';
import { connectionType, decodeCursor, pageSize, type Page } from '../../read-kit/pagination';
import { SourceSystem } from '../common/enums';
import { Provenance } from '../common/provenance';
import { Vehicle } from '../vehicle';
import { CheckpointCapturesArgs, MAX_CAPTURE_WINDOW_DAYS } from './checkpoint.args';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { Checkpoint } from './checkpoint.entity';
import { CAPTURE_ORDERING, CheckpointRepository } from './checkpoint.repository';

/** What Checkpoint's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type CheckpointContext = RequestContext<{ checkpoint: CheckpointLoaders; vehicle: VehicleLoaders }>;

export const CheckpointCaptureConnection = connectionType(CheckpointCapture, 'CheckpointCapture');

@Resolver(() => Checkpoint)
export class CheckpointResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => Checkpoint, { nullable: true, description: 'One checkpoint by code; null when unknown.' })
  checkpoint(@Arg('code') code: string, @Ctx() ctx: CheckpointContext): Promise<Checkpoint | null> {
    return ctx.loaders.checkpoint.byCode.load(requireCheckpointCode('code', code));
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
      }, args.orderBy, args.first, args.after,
    );
  }

  @Classified(Classification.POLICE_RESTRICTED)
  @FieldResolver(() => Provenance, { description: 'Captures come from the checkpoint exchange database; the serial is their id there.' })
  provenance(@Parent() c: CheckpointCapture): Provenance {
    // Captures are immutable at the source: their capture time is their last change.
    return {
      system: SourceSystem.CHECKPOINT_EXCHANGE, recordId: String(c.sourceSerial), sourceUpdatedAt: c.capturedAt,
      syncedAt: c.syncedAt, contentHash: '',
    };
  }

  @Classified(Classification.PUBLIC)
  @FieldResolver(() => Checkpoint, { nullable: true })
  checkpoint(@Parent() c: CheckpointCapture, @Ctx() ctx: CheckpointContext): Promise<Checkpoint | null> {
    return ctx.loaders.checkpoint.byCode.load(c.checkpointCode);
  }

  @Classified(Classification.POLICE_RESTRICTED)
  @FieldResolver(() => Vehicle, { nullable: true, description: 'The captured vehicle, when the hub knows it.' })
  vehicle(@Parent() c: CheckpointCapture, @Ctx() ctx: CheckpointContext): Promise<Vehicle | null> {
    return ctx.loaders.vehicle.byKey.load(c);
  }
}

@Resolver(() => Vehicle)
export class VehicleCapturesResolver {
  @Classified(Classification.POLICE_RESTRICTED)
  @FieldResolver(() => CheckpointCaptureConnection, { description: `Captures of the vehicle in [from, to) (at most ${MAX_CAPTURE_WINDOW_DAYS} days), newest first.` })
  captures(
    @Parent() v: Vehicle,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: CheckpointContext,
  ): Promise<Page<CheckpointCapture>> {
    requireBoundedWindow('to', from, to, MAX_CAPTURE_WINDOW_DAYS);
    // Checked here, once, rather than inside the batch where it would fail every vehicle.
    if (after) decodeCursor('after', after, CAPTURE_ORDERING.name, CAPTURE_ORDERING.keys.map((k) => k.type));
    return ctx.loaders.checkpoint.capturesOfVehicle({ from, to, first: pageSize(first), after }).load(v);
  }
}
