import type { ReadScope } from '../../read-kit/rows/read-scope';
import { RiskGradeChange } from './risk-grade-change.entity';
import { RiskGradeSnapshot } from './risk-grade-snapshot.entity';
import { RiskGrade } from './risk-grade.entity';

/** Queries over enterprises' risk grades and their monthly snapshots. */
export class RiskGradeRepository {
  constructor(private readonly scope: ReadScope) {}

  findByUsccs(usccs: readonly string[]): Promise<RiskGrade[]> {
    return this.scope.reads.byKeys(
      RiskGrade,
      ['uscc'],
      usccs.map((u) => [u]),
    );
  }

  /** The latest `months` monthly snapshots of each enterprise, newest first, in one statement for all of them. */
  findHistory(usccs: readonly string[], months: number): Promise<RiskGradeSnapshot[]> {
    return this.scope.reads.firstPerParent(RiskGradeSnapshot, {
      parentKeys: ['uscc'],
      parents: usccs.map((u) => [u]),
      order: [['month', 'desc']],
      limit: months,
    });
  }

  /** Each enterprise's logged grade changes, newest first (a handful a year each: grades move seldom). */
  findChanges(usccs: readonly string[]): Promise<RiskGradeChange[]> {
    return this.scope.reads.byKeys(
      RiskGradeChange,
      ['uscc'],
      usccs.map((u) => [u]),
      [['id', 'desc']],
    );
  }
}
