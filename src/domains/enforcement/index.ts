import { domain } from '../../read-kit/domain-descriptor';
import { EnforcementCase } from './enforcement-case.entity';
import { createEnforcementLoaders } from './enforcement.loaders';
import { enforcementCaseOrderings } from './enforcement.orderings';
import { enforcementRelations } from './enforcement.relations';
import { EnforcementCaseRepository } from './enforcement.repository';
import { EnforcementCaseResolver } from './enforcement.resolver';

export { EnforcementCase };
export { enforcementCaseOrderings } from './enforcement.orderings';
export type { EnforcementLoaders } from './enforcement.loaders';
export type { EnforcementContext } from './enforcement.resolver';

/** Transport enforcement cases and their parties. */
export const enforcementDomain = domain({
  name: 'enforcement',
  entities: [EnforcementCase],
  resolvers: [EnforcementCaseResolver],
  loaders: (scope) => createEnforcementLoaders(new EnforcementCaseRepository(scope)),
  relations: enforcementRelations,
  orderings: [enforcementCaseOrderings],
});
