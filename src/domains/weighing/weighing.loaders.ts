import DataLoader from 'dataloader';
import { groupLoader, vehicleKeyString, type VehicleKey } from '../../loaders';
import type { Weighing } from './weighing.entity';
import type { WeighingRepository } from './weighing.repository';

/**
 * `recentByVehicle(limit)` gives one loader per distinct limit in a request: a nested query asks
 * every vehicle with the same limit, so all of them still share one statement.
 */
export function createWeighingLoaders(repo: WeighingRepository) {
  const byLimit = new Map<number, DataLoader<VehicleKey, Weighing[], string | VehicleKey>>();
  return {
    recentByVehicle(limit: number) {
      let loader = byLimit.get(limit);
      if (!loader) {
        loader = groupLoader(
          (keys: readonly VehicleKey[]) => repo.findRecentByVehicles(keys, limit),
          (w): VehicleKey => w,
          vehicleKeyString,
        );
        byLimit.set(limit, loader);
      }
      return loader;
    },
  };
}

export type WeighingLoaders = ReturnType<typeof createWeighingLoaders>;
