import { groupLoader, loaderPerArgs, uniqueLoader, vehicleKeyString, type VehicleKey } from '../../read-kit/loaders';
import { cursorOf, toPage, type Page } from '../../read-kit/pagination';
import type { CheckpointCapture } from './checkpoint-capture.entity';
import { CAPTURE_ORDERING } from './checkpoint.orderings';
import type { CaptureKey, CaptureWindow, CheckpointRepository } from './checkpoint.repository';

export interface VehicleCapturesArgs extends CaptureWindow {
  first: number;
  after: string | null;
}

/** Per-request loaders of checkpoints and captures, keyed by field arguments as well as by vehicle. */
export function createCheckpointLoaders(repo: CheckpointRepository) {
  const countsIn = loaderPerArgs(
    (w: CaptureWindow & { atMost?: number }) => `${w.from.toISOString()}|${w.to.toISOString()}|${w.atMost ?? ''}`,
    (w: CaptureWindow & { atMost?: number }) =>
      uniqueLoader(
        (keys: readonly VehicleKey[]) => repo.countCapturesOfVehicles(keys, w, w.atMost),
        (r): VehicleKey => r,
        vehicleKeyString,
      ),
  );
  const rowsFor = loaderPerArgs(
    (a: VehicleCapturesArgs) => JSON.stringify([a.from, a.to, a.first, a.after]),
    (a: VehicleCapturesArgs) =>
      groupLoader(
        (keys: readonly VehicleKey[]) => repo.findCapturesOfVehicles(keys, a, a.first + 1, a.after),
        (c): VehicleKey => c,
        vehicleKeyString,
      ),
  );
  return {
    captureByKey: uniqueLoader(
      (keys: readonly CaptureKey[]) => repo.findCapturesByKeys(keys),
      (c): CaptureKey => c,
      (k) => `${k.sourceSerial}|${new Date(k.capturedAt).toISOString()}`,
    ),
    byCode: uniqueLoader(
      (keys: readonly string[]) => repo.findByCodes(keys),
      (c) => c.code,
    ),
    /** A vehicle's page of captures; its `totalCount` is loaded (batched too) only when asked. */
    capturesOfVehicle(args: VehicleCapturesArgs) {
      return {
        load: async (key: VehicleKey): Promise<Page<CheckpointCapture>> =>
          toPage(
            await rowsFor(args).load(key),
            args.first,
            (c) => cursorOf(CAPTURE_ORDERING, c),
            async (atMost?: number) => (await countsIn({ from: args.from, to: args.to, atMost }).load(key))?.count ?? 0,
          ),
      };
    },
  };
}

export type CheckpointLoaders = ReturnType<typeof createCheckpointLoaders>;
