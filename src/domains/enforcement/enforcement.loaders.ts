import { groupLoader, uniqueLoader, vehicleKeyString, type VehicleKey } from '../../read-kit/loaders';
import type { EnforcementCaseRepository } from './enforcement.repository';

export function createEnforcementLoaders(repo: EnforcementCaseRepository) {
  return {
    byCaseNumber: uniqueLoader(
      (keys: readonly string[]) => repo.findByCaseNumbers(keys),
      (c) => c.caseNumber,
    ),
    byPartyUscc: groupLoader(
      (keys: readonly string[]) => repo.findByPartyUsccs(keys),
      (c) => c.partyUscc ?? '',
    ),
    byPartyIdNumber: groupLoader(
      (keys: readonly string[]) => repo.findByPartyIdNumbers(keys),
      (c) => c.partyIdNumber ?? '',
    ),
    byVehicle: groupLoader(
      (keys: readonly VehicleKey[]) => repo.findByVehicles(keys),
      (c): VehicleKey => ({ plateNumber: c.vehiclePlateNumber ?? '', plateColor: c.vehiclePlateColor! }),
      vehicleKeyString,
    ),
  };
}

export type EnforcementLoaders = ReturnType<typeof createEnforcementLoaders>;
