import type { EntityManager } from '@mikro-orm/postgresql';
import { CheckpointRepository, createCheckpointLoaders } from '../domains/checkpoint';
import { CreditRepository, createCreditLoaders } from '../domains/credit';
import { EnforcementCaseRepository, createEnforcementLoaders } from '../domains/enforcement';
import { EnterpriseRepository, createEnterpriseLoaders } from '../domains/enterprise';
import { LicenceRepository, createLicenceLoaders } from '../domains/licence';
import { PractitionerRepository, createPractitionerLoaders } from '../domains/practitioner';
import { VehicleRepository, createVehicleLoaders } from '../domains/vehicle';
import { WeighingRepository, createWeighingLoaders } from '../domains/weighing';

/** Every domain's loaders for one request, over that request's EntityManager. */
export function createLoaders(em: EntityManager) {
  return {
    enterprise: createEnterpriseLoaders(new EnterpriseRepository(em)),
    licence: createLicenceLoaders(new LicenceRepository(em)),
    vehicle: createVehicleLoaders(new VehicleRepository(em)),
    practitioner: createPractitionerLoaders(new PractitionerRepository(em)),
    checkpoint: createCheckpointLoaders(new CheckpointRepository(em)),
    credit: createCreditLoaders(new CreditRepository(em)),
    enforcement: createEnforcementLoaders(new EnforcementCaseRepository(em)),
    weighing: createWeighingLoaders(new WeighingRepository(em)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
