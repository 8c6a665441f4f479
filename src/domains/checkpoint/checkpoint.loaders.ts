import DataLoader from 'dataloader';
import { groupLoader, uniqueLoader, vehicleKeyString, type VehicleKey } from '../../loaders';
import { cursorOf, toPage, type Page } from '../../pagination';
import type { CheckpointCapture } from './checkpoint-capture.entity';
import { CAPTURE_ORDERING, type CaptureWindow, type CheckpointRepository } from './checkpoint.repository';

export interface VehicleCapturesArgs extends CaptureWindow {
  first: number;
  after: string | null;
}

/**
 * Loaders are keyed by the field's arguments as well as the vehicle: in a nested query every
 * vehicle is asked with the same arguments, so all of them share one statement.
 */
export function createCheckpointLoaders(repo: CheckpointRepository) {
  const pages = new Map<string, DataLoader<VehicleKey, Page<CheckpointCapture>, string | VehicleKey>>();
  const counts = new Map<string, DataLoader<VehicleKey, number, string | VehicleKey>>();

  const countLoader = (window: CaptureWindow) => {
    const id = `${window.from.toISOString()}|${window.to.toISOString()}`;
    let loader = counts.get(id);
    if (!loader) {
      const inner = uniqueLoader(
        (keys: readonly VehicleKey[]) => repo.countCapturesOfVehicles(keys, window),
        (r): VehicleKey => r,
        vehicleKeyString,
      );
      loader = new DataLoader<VehicleKey, number, string | VehicleKey>(
        async (keys) => (await inner.loadMany(keys)).map((r) => (r instanceof Error ? r : r?.count ?? 0)),
        { cacheKeyFn: vehicleKeyString },
      );
      counts.set(id, loader);
    }
    return loader;
  };

  return {
    byCode: uniqueLoader((keys: readonly string[]) => repo.findByCodes(keys), (c) => c.code),
    capturesOfVehicle(args: VehicleCapturesArgs) {
      const id = JSON.stringify([args.from, args.to, args.first, args.after]);
      let loader = pages.get(id);
      if (!loader) {
        const rows = groupLoader(
          (keys: readonly VehicleKey[]) => repo.findCapturesOfVehicles(keys, args, args.first + 1, args.after),
          (c): VehicleKey => c,
          vehicleKeyString,
        );
        loader = new DataLoader<VehicleKey, Page<CheckpointCapture>, string | VehicleKey>(async (keys) => {
          const lists = await rows.loadMany(keys);
          return lists.map((list, i) => (list instanceof Error ? list : toPage(
            list, args.first, (c) => cursorOf(CAPTURE_ORDERING, c), () => countLoader(args).load(keys[i]),
          )));
        }, { cacheKeyFn: vehicleKeyString });
        pages.set(id, loader);
      }
      return loader;
    },
  };
}

export type CheckpointLoaders = ReturnType<typeof createCheckpointLoaders>;
