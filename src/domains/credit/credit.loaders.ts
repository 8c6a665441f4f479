import { groupLoader } from '../../read-kit/loaders';
import type { CreditRepository } from './credit.repository';

export function createCreditLoaders(repo: CreditRepository) {
  return {
    ratingsBySubject: groupLoader(
      (keys: readonly string[]) => repo.findRatingsBySubjects(keys),
      (r) => r.subjectUscc,
    ),
    listEntriesBySubject: groupLoader(
      (keys: readonly string[]) => repo.findListEntriesBySubjects(keys),
      (r) => r.subjectUscc,
    ),
  };
}

export type CreditLoaders = ReturnType<typeof createCreditLoaders>;
