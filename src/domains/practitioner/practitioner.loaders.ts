import { groupLoader, uniqueLoader } from '../../read-kit/loaders';
import type { PractitionerRepository } from './practitioner.repository';

export function createPractitionerLoaders(repo: PractitionerRepository) {
  return {
    byIdNumber: uniqueLoader(
      (keys: readonly string[]) => repo.findByIdNumbers(keys),
      (p) => p.idNumber,
    ),
    byEmployer: groupLoader(
      (keys: readonly string[]) => repo.findByEmployers(keys),
      (p) => p.employerUscc ?? '',
    ),
  };
}

export type PractitionerLoaders = ReturnType<typeof createPractitionerLoaders>;
