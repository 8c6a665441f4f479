import { domain } from '../../read-kit/domain-descriptor';
import { EnforcementCase } from './enforcement-case.entity';
import { createEnforcementLoaders } from './enforcement.loaders';
import { enforcementCaseOrderings } from './enforcement.orderings';
import { enforcementRelations } from './enforcement.relations';
import { EnforcementCaseRepository } from './enforcement.repository';
import { EnforcementCaseResolver } from './enforcement.resolver';
import { EnforcementStatsResolver } from './enforcement-stats.resolver';

export { EnforcementCase };
export { enforcementCaseOrderings } from './enforcement.orderings';
export type { EnforcementLoaders } from './enforcement.loaders';
export type { EnforcementContext } from './enforcement.resolver';
/** How cases aggregate (units, measures, rollup): what `bench:reports` times the base-table fallback of. */
export { caseAggregate, CASE_GROUPS } from './enforcement.stats';

/** Transport enforcement cases and their parties. */
export const enforcementDomain = domain({
  name: 'enforcement',
  entities: [EnforcementCase],
  resolvers: [EnforcementCaseResolver, EnforcementStatsResolver],
  loaders: (scope) => createEnforcementLoaders(new EnforcementCaseRepository(scope)),
  relations: enforcementRelations,
  orderings: [enforcementCaseOrderings],
});
