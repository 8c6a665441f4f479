import type { ReadScope } from '../read-kit/rows/read-scope';
import { CheckpointRepository, createCheckpointLoaders } from '../domains/checkpoint';
import { CreditRepository, createCreditLoaders } from '../domains/credit';
import { EnforcementCaseRepository, createEnforcementLoaders } from '../domains/enforcement';
import { EnterpriseRepository, createEnterpriseLoaders } from '../domains/enterprise';
import { LicenceRepository, createLicenceLoaders } from '../domains/licence';
import { PractitionerRepository, createPractitionerLoaders } from '../domains/practitioner';
import { VehicleRepository, createVehicleLoaders } from '../domains/vehicle';
import { WeighingRepository, createWeighingLoaders } from '../domains/weighing';

/** Every domain's loaders for one request, over that request's read scope. */
export function createLoaders(scope: ReadScope) {
  return {
    enterprise: createEnterpriseLoaders(new EnterpriseRepository(scope)),
    licence: createLicenceLoaders(new LicenceRepository(scope)),
    vehicle: createVehicleLoaders(new VehicleRepository(scope)),
    practitioner: createPractitionerLoaders(new PractitionerRepository(scope)),
    checkpoint: createCheckpointLoaders(new CheckpointRepository(scope)),
    credit: createCreditLoaders(new CreditRepository(scope)),
    enforcement: createEnforcementLoaders(new EnforcementCaseRepository(scope)),
    weighing: createWeighingLoaders(new WeighingRepository(scope)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
