import { groupLoader, uniqueLoader, vehicleKeyString, type VehicleKey } from '../../read-kit/loaders';
import type { VehicleRepository } from './vehicle.repository';

/** Per-request loaders of vehicles. */
export function createVehicleLoaders(repo: VehicleRepository) {
  return {
    byKey: uniqueLoader(
      (keys: readonly VehicleKey[]) => repo.findByKeys(keys),
      (v): VehicleKey => v,
      vehicleKeyString,
    ),
    byOwner: groupLoader(
      (keys: readonly string[]) => repo.findByOwners(keys),
      (v) => v.ownerUscc ?? '',
    ),
  };
}

export type VehicleLoaders = ReturnType<typeof createVehicleLoaders>;
