import { groupLoader, uniqueLoader } from '../../read-kit/loaders';
import type { EnterpriseRepository } from './enterprise.repository';

/** Per-request loaders of enterprises (never shared across requests: grants differ). */
export function createEnterpriseLoaders(repo: EnterpriseRepository) {
  return {
    byUscc: uniqueLoader(
      (keys: readonly string[]) => repo.findByUsccs(keys),
      (e) => e.uscc,
    ),
    abnormalOperationsByUscc: groupLoader(
      (keys: readonly string[]) => repo.findAbnormalOperationsByUsccs(keys),
      (a) => a.uscc,
    ),
  };
}

export type EnterpriseLoaders = ReturnType<typeof createEnterpriseLoaders>;
