import { groupLoader, loaderPerArgs, vehicleKeyString, type VehicleKey } from '../../read-kit/loaders';
import type { WeighingRepository } from './weighing.repository';

/** Per-request loaders of weighings: the newest `limit` of each vehicle, one loader per limit. */
export function createWeighingLoaders(repo: WeighingRepository) {
  return {
    recentByVehicle: loaderPerArgs(
      (limit: number) => String(limit),
      (limit: number) =>
        groupLoader(
          (keys: readonly VehicleKey[]) => repo.findRecentByVehicles(keys, limit),
          (w): VehicleKey => w,
          vehicleKeyString,
        ),
    ),
  };
}

export type WeighingLoaders = ReturnType<typeof createWeighingLoaders>;
