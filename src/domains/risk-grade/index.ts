import { domain } from '../../read-kit/domain-descriptor';
import { RiskDeduction } from './risk-deduction';
import { RiskGradeChange } from './risk-grade-change.entity';
import { RiskGradeLiveResolver, riskGradeChangedTopic } from './risk-grade-live.resolver';
import { RiskGradeSnapshot } from './risk-grade-snapshot.entity';
import { RiskGrade } from './risk-grade.entity';
import { createRiskGradeLoaders } from './risk-grade.loaders';
import { riskGradeRelations } from './risk-grade.relations';
import { RiskGradeRepository } from './risk-grade.repository';

export { RiskGrade, RiskGradeSnapshot, RiskGradeChange, RiskDeduction };
export { riskGradeChangedTopic, type RiskGradeLiveContext } from './risk-grade-live.resolver';
export { RiskFactor, RiskGradeLetter } from './risk-grade-codes';
export { FACTOR_FACTS } from './risk-grade-facts';
export { MAX_HISTORY_MONTHS, type RiskGradeContext } from './risk-grade.relations';
export type { RiskGradeLoaders } from './risk-grade.loaders';

/**
 * Enterprise risk grades (分类分级): hub-native records (provenance system HUB) graded by
 * src/supervision/risk-grading.ts, read as `Enterprise.riskGrade` and `Enterprise.riskHistory`; their changes are
 * announced live through `Subscription.riskGradeChanged`.
 */
export const riskGradeDomain = domain({
  name: 'riskGrade',
  entities: [RiskGrade, RiskGradeSnapshot, RiskGradeChange],
  resolvers: [RiskGradeLiveResolver],
  loaders: (scope) => createRiskGradeLoaders(new RiskGradeRepository(scope)),
  relations: riskGradeRelations,
  orderings: [],
  liveTopics: [riskGradeChangedTopic],
});
