import { groupLoader, loaderPerArgs, uniqueLoader, vehicleKeyString, type VehicleKey } from '../../read-kit/loaders';
import type { WeighingRepository } from './weighing.repository';

/** Per-request loaders of weighings: by source id, and the newest `limit` of each vehicle (one loader per limit). */
export function createWeighingLoaders(repo: WeighingRepository) {
  return {
    bySourceId: uniqueLoader(
      (ids: readonly string[]) => repo.findBySourceIds(ids),
      (w) => w.sourceId,
    ),
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
