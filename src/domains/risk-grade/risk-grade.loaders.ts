import { groupLoader, loaderPerArgs, uniqueLoader } from '../../read-kit/loaders';
import type { RiskGradeRepository } from './risk-grade.repository';

/** Per-request loaders of risk grades (by credit code), their logged changes and their monthly history (the latest `months`), one loader per length. */
export function createRiskGradeLoaders(repo: RiskGradeRepository) {
  return {
    byUscc: uniqueLoader(
      (usccs: readonly string[]) => repo.findByUsccs(usccs),
      (g) => g.uscc,
    ),
    changes: groupLoader(
      (usccs: readonly string[]) => repo.findChanges(usccs),
      (c) => c.uscc,
    ),
    history: loaderPerArgs(
      (months: number) => String(months),
      (months: number) =>
        groupLoader(
          (usccs: readonly string[]) => repo.findHistory(usccs, months),
          (s) => s.uscc,
        ),
    ),
  };
}

export type RiskGradeLoaders = ReturnType<typeof createRiskGradeLoaders>;
