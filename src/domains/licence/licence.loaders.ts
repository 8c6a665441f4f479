import { groupLoader } from '../../read-kit/loaders';
import type { LicenceRepository } from './licence.repository';

export function createLicenceLoaders(repo: LicenceRepository) {
  return {
    byHolder: groupLoader(
      (keys: readonly string[]) => repo.findByHolders(keys),
      (l) => l.holderUscc,
    ),
  };
}

export type LicenceLoaders = ReturnType<typeof createLicenceLoaders>;
