import { Int } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { arg, relation } from '../../read-kit/relations';
import { requireBoundedWindow } from '../../read-kit/arguments/time-window';
import { decodeCursor, pageSize } from '../../read-kit/pagination';
import { RecordSystem } from '../common/enums';
import { Provenance } from '../common/provenance';
import { Vehicle } from '../vehicle';
import { MAX_CAPTURE_WINDOW_DAYS } from './checkpoint.args';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { Checkpoint } from './checkpoint.entity';
import { CAPTURE_ORDERING } from './checkpoint.orderings';
import { CheckpointCaptureConnection, type CheckpointContext } from './checkpoint.resolver';

export const checkpointRelations = [
  // No reference: derived from the capture's own columns, declared as a relation so that reads load them.
  relation({
    on: () => CheckpointCapture,
    field: 'provenance',
    returns: () => Provenance,
    description: 'Captures come from the checkpoint exchange database; the serial is their id there.',
    classification: Classification.POLICE_RESTRICTED,
    parentKey: ['sourceSerial', 'capturedAt', 'syncedAt'],
    // Captures are immutable at the source: their capture time is their last change.
    load: (_ctx: CheckpointContext, c): Provenance => ({
      system: RecordSystem.CHECKPOINT_EXCHANGE,
      recordId: String(c.sourceSerial),
      sourceUpdatedAt: c.capturedAt,
      syncedAt: c.syncedAt,
      contentHash: '',
    }),
  }),
  relation({
    on: () => CheckpointCapture,
    field: 'checkpoint',
    returns: () => Checkpoint,
    nullable: true,
    classification: Classification.PUBLIC,
    parentKey: 'checkpointCode',
    load: (ctx: CheckpointContext, { checkpointCode }) => ctx.loaders.checkpoint.byCode.load(checkpointCode),
  }),
  relation({
    on: () => CheckpointCapture,
    field: 'vehicle',
    returns: () => Vehicle,
    nullable: true,
    description: 'The captured vehicle, when the hub knows it.',
    classification: Classification.POLICE_RESTRICTED,
    parentKey: ['plateNumber', 'plateColor'],
    load: (ctx: CheckpointContext, key) => ctx.loaders.vehicle.byKey.load(key),
  }),
  relation({
    on: () => Vehicle,
    field: 'captures',
    returns: () => CheckpointCaptureConnection,
    description: `Captures of the vehicle in [from, to) (at most ${MAX_CAPTURE_WINDOW_DAYS} days), newest first.`,
    classification: Classification.POLICE_RESTRICTED,
    parentKey: ['plateNumber', 'plateColor'],
    args: {
      from: arg<Date>(() => Date),
      to: arg<Date>(() => Date),
      first: arg<number | null>(() => Int, { nullable: true }),
      after: arg<string | null>(() => String, { nullable: true }),
    },
    load: (ctx: CheckpointContext, vehicle, { from, to, first, after }) => {
      requireBoundedWindow('to', from, to, MAX_CAPTURE_WINDOW_DAYS);
      // Checked here, once, rather than inside the batch where it would fail every vehicle.
      if (after)
        decodeCursor(
          'after',
          after,
          CAPTURE_ORDERING.name,
          CAPTURE_ORDERING.keys.map((k) => k.type),
        );
      return ctx.loaders.checkpoint.capturesOfVehicle({ from, to, first: pageSize(first), after }).load(vehicle);
    },
  }),
];
