import { groupLoader, loaderPerArgs, uniqueLoader } from '../../read-kit/loaders';
import type { ClueRepository } from './clue.repository';

/** Per-request loaders of clues (by id), their evidence (the latest `limit` of each) and history (the first `limit`), one loader per limit. */
export function createClueLoaders(repo: ClueRepository) {
  return {
    byId: uniqueLoader(
      (ids: readonly string[]) => repo.findByIds(ids),
      (c) => c.id,
    ),
    evidence: loaderPerArgs(
      (limit: number) => String(limit),
      (limit: number) =>
        groupLoader(
          (ids: readonly string[]) => repo.findEvidence(ids, limit),
          (e) => e.clueId,
        ),
    ),
    history: loaderPerArgs(
      (limit: number) => String(limit),
      (limit: number) =>
        groupLoader(
          (ids: readonly string[]) => repo.findHistory(ids, limit),
          (e) => e.clueId,
        ),
    ),
  };
}

export type ClueLoaders = ReturnType<typeof createClueLoaders>;
